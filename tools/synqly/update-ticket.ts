import { z } from 'zod';
import { buildPath } from '../../src/http/path.js';
import { defineTool } from '../../src/tool.js';
import {
  connectorWriteTarget,
  resultOf,
  ticketSchema,
  warningsField,
  withId,
  withWarnings,
} from './schemas.js';
import { connectorWrite, usedIntegration } from './target.js';
import { noteField, unshownNote } from './unconfirmed.js';

const operation = z.strictObject({
  op: z.enum(['add', 'copy', 'move', 'replace', 'remove', 'test']),
  path: z.string().min(1).describe('JSON Pointer, e.g. "/status".'),
  value: z.unknown().optional().describe('New value (add, replace, test).'),
  from: z.string().min(1).optional().describe('Source JSON Pointer (copy, move).'),
});

export default defineTool({
  name: 'update_ticket',
  title: 'Synqly · Update ticket',
  description:
    'Update a Synqly-connected ticket (id from query_tickets or create_ticket) with JSON Patch (RFC 6902) operations. Confirm with the user first.',
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
  services: ['synqly'],
  listTool: ['query_tickets', 'list_accounts', 'list_integrations'],
  input: z.strictObject({
    ...connectorWriteTarget,
    ticketId: z.string().min(1).describe('Ticket id.'),
    operations: z.array(operation).min(1).describe('Applied in order.'),
  }),
  output: z.object({
    ticket: ticketSchema,
    integration: usedIntegration,
    note: noteField,
    warnings: warningsField,
  }),
  async handler(args, ctx) {
    const { res, integration } = await connectorWrite(
      ctx,
      { accountId: args.accountId, integrationId: args.integrationId },
      {
        method: 'PATCH',
        path: buildPath('/v1/ticketing/tickets/{ticketId}', { ticketId: args.ticketId }),
        body: args.operations,
      },
    );
    const ticket = withId(ticketSchema, resultOf(res.data));
    const note = unshownNote(ticket, 'ticket', 'the update is not confirmed; query_tickets shows the ticket');
    return withWarnings({ ticket, integration, ...note }, res.data);
  },
});
