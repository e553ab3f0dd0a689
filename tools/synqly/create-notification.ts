import { z } from 'zod';
import { defineTool } from '../../src/tool.js';
import { connectorTarget, priorityEnum, resultOf, warningsField, withId, withWarnings } from './schemas.js';
import { connectorRequest } from './tokens.js';

const notification = z.object({
  id: z.string(),
  name: z.string().nullable().optional(),
  summary: z.string().nullable().optional(),
  priority: z.string().nullable().optional(),
  status: z.string().nullable().optional(),
  notification_status: z.string().nullable().optional(),
  created_at: z.string().nullable().optional(),
});

export default defineTool({
  name: 'create_notification',
  title: 'Synqly · Create notification',
  description:
    'Send a notification (message) through the notification service connected by a Synqly integration ' +
    '(Slack, Teams, PagerDuty, …), e.g. to alert a team about a finding. Only summary is required. Returns ' +
    'the notification with its id. Uses SYNQLY_INTEGRATION_TOKEN, or accountId + integrationId (from ' +
    'list_integrations).',
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  services: ['synqly'],
  listTool: 'list_integrations',
  input: z.strictObject({
    ...connectorTarget,
    summary: z.string().min(1).describe('The message text.'),
    name: z.string().min(1).optional().describe('Title of the notification.'),
    description: z.string().min(1).optional().describe('Longer description.'),
    priority: priorityEnum.optional().describe('Priority of the notification.'),
    status: z.string().min(1).optional().describe('Status, as the provider names it.'),
    project: z.string().min(1).optional().describe('Project or channel, as the provider names it.'),
    issue_type: z.string().min(1).optional().describe('Issue type, for providers that have one.'),
    creator: z.string().min(1).optional().describe('Who sends the notification.'),
    assignee: z.string().min(1).optional().describe('Who the notification is assigned to.'),
    contact: z.string().min(1).optional().describe('Contact person.'),
    tags: z.array(z.string().min(1)).optional().describe('Tags of the notification.'),
  }),
  output: z.object({ notification, warnings: warningsField }),
  async handler(args, ctx) {
    const { accountId, integrationId, ...body } = args;
    const res = await connectorRequest(
      ctx,
      { accountId, integrationId },
      { method: 'POST', path: '/v1/notifications/create', body },
    );
    return withWarnings({ notification: withId(notification, resultOf(res.data)) }, res.data);
  },
});
