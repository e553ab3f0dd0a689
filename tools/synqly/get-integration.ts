import { z } from 'zod';
import { buildPath } from '../../src/http/path.js';
import { defineTool } from '../../src/tool.js';
import { integrationSchema, resultOf, toIntegration } from './schemas.js';

export default defineTool({
  name: 'get_integration',
  title: 'Synqly · Get integration',
  description:
    'One Synqly integration with its provider and integration point; credentials are never shown. Ids from list_integrations.',
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  services: ['synqly'],
  listTool: ['list_accounts', 'list_integrations'],
  input: z.strictObject({
    accountId: z.string().min(1).describe('Account id.'),
    integrationId: z.string().min(1).describe('Integration id.'),
  }),
  output: z.object({ integration: integrationSchema }),
  async handler(args, ctx) {
    const data = await ctx.api.synqly.management({
      method: 'GET',
      path: buildPath('/v1/integrations/{accountId}/{integrationId}', args),
    });
    return { integration: toIntegration(resultOf(data)) };
  },
});
