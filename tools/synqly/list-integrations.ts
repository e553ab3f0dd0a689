import { z } from 'zod';
import { buildPath } from '../../src/http/path.js';
import { defineTool } from '../../src/tool.js';
import {
  integrationSchema,
  listOutput,
  managementPaging,
  managementQuery,
  readManagementList,
  toIntegration,
} from './schemas.js';

export default defineTool({
  name: 'list_integrations',
  title: 'Synqly · List integrations',
  description:
    'List Synqly integrations (connectors such as a Jira instance) of one account or all, with ids for get_integration and the connector tools.',
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  services: ['synqly'],
  listTool: 'list_accounts',
  input: z.strictObject({
    accountId: z.string().min(1).optional().describe('Only this account (from list_accounts).'),
    ...managementPaging('list_integrations'),
  }),
  output: listOutput(integrationSchema),
  async handler(args, ctx) {
    const { query, limit } = managementQuery('list_integrations', args);
    const path =
      args.accountId === undefined
        ? '/v1/integrations'
        : buildPath('/v1/integrations/{accountId}', { accountId: args.accountId });
    const data = await ctx.api.synqly.management({ method: 'GET', path, query });
    const { items, nextCursor } = readManagementList('list_integrations', data, limit);
    const integrations = items.map(toIntegration);
    return nextCursor ? { items: integrations, nextCursor } : { items: integrations };
  },
});
