import { z } from 'zod';
import { buildPath } from '../../src/http/path.js';
import { defineTool } from '../../src/tool.js';

export default defineTool({
  name: 'delete_account',
  title: 'Synqly · Delete account',
  description:
    'Delete a Synqly account (id from list_accounts) with its integrations and tokens; irreversible, its connectors stop at once. Confirm with the user first.',
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  services: ['synqly'],
  listTool: 'list_accounts',
  input: z.strictObject({
    accountId: z.string().min(1).describe('Account id.'),
  }),
  output: z.object({ deleted: z.boolean(), accountId: z.string() }),
  async handler(args, ctx) {
    await ctx.api.synqly.management({ method: 'DELETE', path: buildPath('/v1/accounts/{accountId}', args) });
    return { deleted: true, accountId: args.accountId };
  },
});
