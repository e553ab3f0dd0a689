import { z } from 'zod';
import { defineTool } from '../../src/tool.js';
import {
  connectorPaging,
  connectorQuery,
  connectorTarget,
  listOutput,
  readConnectorList,
  ticketSchema,
  withId,
} from './schemas.js';
import { connectorRequest } from './tokens.js';

export default defineTool({
  name: 'query_tickets',
  title: 'Synqly · Query tickets',
  description:
    'Query tickets in the ticketing system connected through a Synqly integration (Jira, ServiceNow, …). Returns tickets with their ids (for update_ticket) and nextCursor for the next page. Uses SYNQLY_INTEGRATION_TOKEN, or accountId + integrationId (from list_integrations).',
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  services: ['synqly'],
  listTool: 'list_integrations',
  input: z.strictObject({
    ...connectorTarget,
    ...connectorPaging,
  }),
  output: listOutput(ticketSchema),
  async handler(args, ctx) {
    const res = await connectorRequest(
      ctx,
      { accountId: args.accountId, integrationId: args.integrationId },
      { method: 'GET', path: '/v1/ticketing/tickets', query: { ...connectorQuery('query_tickets', args) } },
    );
    const { items, ...rest } = readConnectorList('query_tickets', res.data);
    return { items: items.map((t) => withId(ticketSchema, t)), ...rest };
  },
});
