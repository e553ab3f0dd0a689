import { z } from 'zod';
import { defineTool } from '../../src/tool.js';
import { accountSchema, asRecord, resultOf, withId } from './schemas.js';
import { noteField, unshownNote } from './unconfirmed.js';

export default defineTool({
  name: 'create_account',
  title: 'Synqly · Create account',
  description:
    'Create a Synqly account (usually one per customer) to hold integrations; its id is for create_integration.',
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  services: ['synqly'],
  input: z.strictObject({
    name: z.string().min(1).optional().describe('Unique short name (default: generated).'),
    fullname: z.string().min(1).max(256).optional().describe('Display name.'),
    environment: z.enum(['test', 'prod']).optional().describe('Default prod.'),
    labels: z.array(z.string().min(1)).optional().describe('Grouping labels.'),
  }),
  output: z.object({ account: accountSchema, note: noteField }),
  async handler(args, ctx) {
    const data = await ctx.api.synqly.management({ method: 'POST', path: '/v1/accounts', body: args });
    const account = withId(accountSchema, asRecord(resultOf(data)).account);
    const note = unshownNote(
      account,
      'account',
      'whether it was created is not confirmed; check with list_accounts before creating it again',
    );
    return { account, ...note };
  },
});
