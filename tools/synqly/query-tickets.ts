import { z } from 'zod';
import { defineTool } from '../../src/tool.js';
import { connectorListOutput, connectorRead } from './read-target.js';
import {
  connectorPaging,
  connectorQuery,
  connectorTarget,
  readConnectorList,
  ticketSchema,
  withId,
} from './schemas.js';

export default defineTool({
  name: 'query_tickets',
  title: 'Synqly · Query tickets',
  description: 'Query tickets in the Synqly-connected ticketing system, with ids for update_ticket.',
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  services: ['synqly'],
  listTool: ['list_accounts', 'list_integrations'],
  input: z.strictObject({
    ...connectorTarget,
    ...connectorPaging('query_tickets'),
  }),
  output: connectorListOutput(ticketSchema),
  async handler(args, ctx) {
    const { res, integration } = await connectorRead(
      ctx,
      { accountId: args.accountId, integrationId: args.integrationId },
      { method: 'GET', path: '/v1/ticketing/tickets', query: { ...connectorQuery('query_tickets', args) } },
    );
    const { items, ...rest } = readConnectorList('query_tickets', res.data, args.cursor);
    return { items: items.map((t) => withId(ticketSchema, t)), ...rest, integration };
  },
});
