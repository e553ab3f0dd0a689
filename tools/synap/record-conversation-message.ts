import { z } from 'zod';
import { defineTool } from '../../src/tool.js';
import { conform } from '../memory/shape.js';
import { metadataField } from './schemas.js';

const output = z.object({
  message_id: z.string(),
  conversation_id: z.string().nullable().optional(),
  session_id: z.string().nullable().optional(),
  recorded_at: z.string().nullable().optional(),
});

export default defineTool({
  name: 'record_conversation_message',
  title: 'Synap · Record conversation message',
  description:
    'Append a message to a Synap conversation, for fetch_context (scope conversation) and compact_conversation.',
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  services: ['synap'],
  input: z.strictObject({
    conversation_id: z.string().min(1).describe('Your conversation id.'),
    role: z.enum(['user', 'assistant']).describe('Author.'),
    content: z.string().min(1).describe('Message text.'),
    user_id: z.string().min(1).optional().describe('External user id.'),
    customer_id: z.string().min(1).optional().describe('External customer id.'),
    session_id: z.string().min(1).optional().describe('Assigned when omitted.'),
    metadata: metadataField,
  }),
  output,
  async handler(args, ctx) {
    const data = await ctx.api.synap.post('/v1/conversations/messages', { body: args });
    return conform(output, data);
  },
});
