import { z } from 'zod';
import { defineTool } from '../../src/tool.js';
import {
  connectorWriteTarget,
  priorityEnum,
  resultOf,
  warningsField,
  withId,
  withWarnings,
} from './schemas.js';
import { connectorWrite, usedIntegration } from './target.js';
import { noteField, unshownNote } from './unconfirmed.js';

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
    'Send a notification through the Synqly-connected notification service (Slack, Teams, PagerDuty, …).',
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  services: ['synqly'],
  listTool: ['list_accounts', 'list_integrations'],
  input: z.strictObject({
    ...connectorWriteTarget,
    summary: z.string().min(1).describe('Message text.'),
    name: z.string().min(1).optional().describe('Title.'),
    description: z.string().min(1).optional().describe('Longer description.'),
    priority: priorityEnum.optional().describe('Priority.'),
    status: z.string().min(1).optional().describe("Provider's status name."),
    project: z.string().min(1).optional().describe('Project or channel.'),
    issue_type: z.string().min(1).optional().describe('If the provider has one.'),
    creator: z.string().min(1).optional().describe('Sender.'),
    assignee: z.string().min(1).optional().describe('Assignee.'),
    contact: z.string().min(1).optional().describe('Contact.'),
    tags: z.array(z.string().min(1)).optional().describe('Tags.'),
  }),
  output: z.object({ notification, integration: usedIntegration, note: noteField, warnings: warningsField }),
  async handler(args, ctx) {
    const { accountId, integrationId, ...body } = args;
    const { res, integration } = await connectorWrite(
      ctx,
      { accountId, integrationId },
      { method: 'POST', path: '/v1/notifications/create', body },
    );
    const sent = withId(notification, resultOf(res.data));
    const note = unshownNote(
      sent,
      'notification',
      'whether it was sent is not confirmed; ask the user before sending it again',
    );
    return withWarnings({ notification: sent, integration, ...note }, res.data);
  },
});
