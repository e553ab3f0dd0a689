import { z } from 'zod';
import { defineTool } from '../../src/tool.js';
import {
  connectorTarget,
  priorityEnum,
  resultOf,
  ticketSchema,
  warningsField,
  withId,
  withWarnings,
} from './schemas.js';
import { connectorRequest } from './tokens.js';

export default defineTool({
  name: 'create_ticket',
  title: 'Synqly · Create ticket',
  description:
    'Create a ticket in the ticketing system connected through a Synqly integration (Jira, ServiceNow, …), ' +
    'e.g. to track a security finding. Only name is required. Returns the ticket with its id (for ' +
    'update_ticket). Uses SYNQLY_INTEGRATION_TOKEN, or accountId + integrationId (from list_integrations).',
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  services: ['synqly'],
  listTool: 'list_integrations',
  input: z.strictObject({
    ...connectorTarget,
    name: z.string().min(1).describe('Title of the ticket.'),
    summary: z.string().min(1).optional().describe('Short summary.'),
    description: z.string().min(1).optional().describe('Full description.'),
    creator: z
      .string()
      .min(1)
      .optional()
      .describe('Who reports the ticket (user id or email in the provider).'),
    assignee: z.string().min(1).optional().describe('Who the ticket is assigned to.'),
    contact: z.string().min(1).optional().describe('Contact person for the ticket.'),
    priority: priorityEnum.optional().describe('Priority of the ticket.'),
    due_date: z.string().min(1).optional().describe('Due date, RFC 3339 (e.g. 2025-03-01T12:00:00Z).'),
    completion_date: z.string().min(1).optional().describe('Completion date, RFC 3339.'),
    status: z.string().min(1).optional().describe('Initial status, as the provider names it (e.g. "To Do").'),
    project: z.string().min(1).optional().describe('Project (e.g. Jira project key) to create it in.'),
    issue_type: z.string().min(1).optional().describe('Issue type, e.g. "Task" or "Bug".'),
    tags: z.array(z.string().min(1)).optional().describe('Labels of the ticket.'),
    custom_fields: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('Provider-specific fields, by the name mapped in the integration.'),
  }),
  output: z.object({ ticket: ticketSchema, warnings: warningsField }),
  async handler(args, ctx) {
    const { accountId, integrationId, ...body } = args;
    const res = await connectorRequest(
      ctx,
      { accountId, integrationId },
      { method: 'POST', path: '/v1/ticketing/tickets', body },
    );
    return withWarnings({ ticket: withId(ticketSchema, resultOf(res.data)) }, res.data);
  },
});
