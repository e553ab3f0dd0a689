import { z } from 'zod';
import { buildPath } from '../../src/http/path.js';
import { defineTool } from '../../src/tool.js';
import { accountSchema, resultOf, withId } from './schemas.js';

export default defineTool({
  name: 'get_account',
  title: 'Synqly · Get account',
  description: 'One Synqly account (id from list_accounts) with its environment and labels.',
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  services: ['synqly'],
  listTool: 'list_accounts',
  input: z.strictObject({
    accountId: z.string().min(1).describe('Account id.'),
  }),
  output: z.object({ account: accountSchema }),
  async handler(args, ctx) {
    const data = await ctx.api.synqly.management({
      method: 'GET',
      path: buildPath('/v1/accounts/{accountId}', args),
    });
    return { account: withId(accountSchema, resultOf(data)) };
  },
});
