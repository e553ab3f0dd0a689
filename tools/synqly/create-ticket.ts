import { z } from 'zod';
import { defineTool } from '../../src/tool.js';
import {
  connectorWriteTarget,
  priorityEnum,
  resultOf,
  ticketSchema,
  warningsField,
  withId,
  withWarnings,
} from './schemas.js';
import { connectorWrite, usedIntegration } from './target.js';
import { noteField, unshownNote } from './unconfirmed.js';

export default defineTool({
  name: 'create_ticket',
  title: 'Synqly · Create ticket',
  description:
    'Create a ticket in the Synqly-connected ticketing system (Jira, ServiceNow, …); its id is for update_ticket.',
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  services: ['synqly'],
  listTool: ['list_accounts', 'list_integrations'],
  input: z.strictObject({
    ...connectorWriteTarget,
    name: z.string().min(1).describe('Title.'),
    summary: z.string().min(1).optional().describe('Short summary.'),
    description: z.string().min(1).optional().describe('Full description.'),
    creator: z.string().min(1).optional().describe('Reporter (user id or email).'),
    assignee: z.string().min(1).optional().describe('Assignee.'),
    contact: z.string().min(1).optional().describe('Contact.'),
    priority: priorityEnum.optional().describe('Priority.'),
    due_date: z.string().min(1).optional().describe('RFC 3339.'),
    completion_date: z.string().min(1).optional().describe('RFC 3339.'),
    status: z.string().min(1).optional().describe("Provider's status name."),
    project: z.string().min(1).optional().describe('e.g. Jira project key.'),
    issue_type: z.string().min(1).optional().describe('e.g. "Task".'),
    tags: z.array(z.string().min(1)).optional().describe('Labels.'),
    custom_fields: z.record(z.string(), z.unknown()).optional().describe('Provider fields, by mapped name.'),
  }),
  output: z.object({
    ticket: ticketSchema,
    integration: usedIntegration,
    note: noteField,
    warnings: warningsField,
  }),
  async handler(args, ctx) {
    const { accountId, integrationId, ...body } = args;
    const { res, integration } = await connectorWrite(
      ctx,
      { accountId, integrationId },
      { method: 'POST', path: '/v1/ticketing/tickets', body },
    );
    const ticket = withId(ticketSchema, resultOf(res.data));
    const note = unshownNote(
      ticket,
      'ticket',
      'whether it was created is not confirmed; check with query_tickets before creating it again',
    );
    return withWarnings({ ticket, integration, ...note }, res.data);
  },
});
