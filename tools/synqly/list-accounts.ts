import { z } from 'zod';
import { defineTool } from '../../src/tool.js';
import {
  accountSchema,
  listOutput,
  managementPaging,
  managementQuery,
  readManagementList,
  withId,
} from './schemas.js';

export default defineTool({
  name: 'list_accounts',
  title: 'Synqly · List accounts',
  description:
    'List Synqly accounts (one per customer) with ids for get_account, list_integrations and the connector tools.',
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  services: ['synqly'],
  input: z.strictObject({ ...managementPaging('list_accounts') }),
  output: listOutput(accountSchema),
  async handler(args, ctx) {
    const { query, limit } = managementQuery('list_accounts', args);
    const data = await ctx.api.synqly.management({ method: 'GET', path: '/v1/accounts', query });
    const { items, nextCursor } = readManagementList('list_accounts', data, limit);
    const accounts = items.map((a) => withId(accountSchema, a));
    return nextCursor ? { items: accounts, nextCursor } : { items: accounts };
  },
});
