import { z } from 'zod';
import { buildPath } from '../../src/http/path.js';
import { defineTool } from '../../src/tool.js';

export default defineTool({
  name: 'delete_integration',
  title: 'Synqly · Delete integration',
  description:
    'Delete a Synqly integration (ids from list_accounts, list_integrations) and revoke its tokens; irreversible, the connector stops at once. Confirm with the user first.',
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  services: ['synqly'],
  listTool: ['list_accounts', 'list_integrations'],
  input: z.strictObject({
    accountId: z.string().min(1).describe('Account id.'),
    integrationId: z.string().min(1).describe('Integration id.'),
  }),
  output: z.object({ deleted: z.boolean(), accountId: z.string(), integrationId: z.string() }),
  async handler(args, ctx) {
    await ctx.api.synqly.management({
      method: 'DELETE',
      path: buildPath('/v1/integrations/{accountId}/{integrationId}', args),
    });
    return { deleted: true, accountId: args.accountId, integrationId: args.integrationId };
  },
});
