import { z } from 'zod';
import { defineTool } from '../../src/tool.js';
import {
  connectorPaging,
  connectorQuery,
  connectorTarget,
  listOutput,
  ocsfRecord,
  readConnectorList,
} from './schemas.js';
import { connectorRequest } from './tokens.js';

export default defineTool({
  name: 'query_identity_audit_log',
  title: 'Synqly · Query identity audit log',
  description:
    'Query the audit log (OCSF events: logins, password changes, group changes, …) of the identity provider connected through a Synqly integration (Okta, Entra ID, …). Returns events and nextCursor for the next page. Uses SYNQLY_INTEGRATION_TOKEN, or accountId + integrationId (from list_integrations).',
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  services: ['synqly'],
  listTool: 'list_integrations',
  input: z.strictObject({
    ...connectorTarget,
    ...connectorPaging,
    include_raw_data: z
      .boolean()
      .optional()
      .describe('true: include each event as the provider returned it (raw_data); larger results.'),
  }),
  output: listOutput(ocsfRecord),
  async handler(args, ctx) {
    const res = await connectorRequest(
      ctx,
      { accountId: args.accountId, integrationId: args.integrationId },
      {
        method: 'GET',
        path: '/v1/identity/audit',
        query: {
          ...connectorQuery('query_identity_audit_log', args),
          include_raw_data: args.include_raw_data,
        },
      },
    );
    const { items, ...rest } = readConnectorList('query_identity_audit_log', res.data);
    return { items: items, ...rest };
  },
});
