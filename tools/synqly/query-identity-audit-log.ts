import { z } from 'zod';
import { defineTool } from '../../src/tool.js';
import { timeWindowArgs, withTimeWindow } from './filters.js';
import { connectorListOutput, connectorRead } from './read-target.js';
import {
  connectorPaging,
  connectorQuery,
  connectorTarget,
  ocsfRecord,
  readConnectorList,
} from './schemas.js';

export default defineTool({
  name: 'query_identity_audit_log',
  title: 'Synqly · Query identity audit log',
  description:
    'Query the OCSF audit log (logins, password and group changes, …) of the Synqly-connected identity provider.',
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  services: ['synqly'],
  listTool: ['list_accounts', 'list_integrations'],
  input: z.strictObject({
    ...connectorTarget,
    ...connectorPaging('query_identity_audit_log'),
    ...timeWindowArgs,
    include_raw_data: z.boolean().optional().describe('Include raw_data.'),
  }),
  output: connectorListOutput(ocsfRecord),
  async handler(args, ctx) {
    const { res, integration } = await connectorRead(
      ctx,
      { accountId: args.accountId, integrationId: args.integrationId },
      {
        method: 'GET',
        path: '/v1/identity/audit',
        query: {
          ...connectorQuery('query_identity_audit_log', {
            ...args,
            filter: withTimeWindow(args),
          }),
          include_raw_data: args.include_raw_data,
        },
      },
    );
    const { items, ...rest } = readConnectorList('query_identity_audit_log', res.data, args.cursor);
    return { items, ...rest, integration };
  },
});
