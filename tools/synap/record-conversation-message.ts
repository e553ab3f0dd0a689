import { z } from 'zod';
import { defineTool } from '../../src/tool.js';
import { conform } from '../memory/shape.js';
import { callOpts, metadataField } from './schemas.js';

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
    'Append one message (from the user or the assistant) to a Synap conversation so Synap can learn from it ' +
    'and recall it later with fetch_context (scope conversation) or compact it with compact_conversation. ' +
    'Returns the message id, the session id and when it was recorded. Each call records one more message.',
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  services: ['synap'],
  input: z.strictObject({
    conversation_id: z.string().min(1).describe('Your id for the conversation.'),
    role: z.enum(['user', 'assistant']).describe('Who wrote the message.'),
    content: z.string().min(1).describe('The message text.'),
    user_id: z.string().min(1).optional().describe('External id of the user in the conversation.'),
    customer_id: z.string().min(1).optional().describe('External id of the customer the user belongs to.'),
    session_id: z.string().min(1).optional().describe('Session id; Synap assigns one when omitted.'),
    metadata: metadataField,
  }),
  output,
  async handler(args, ctx) {
    const data = await ctx.api.synap.post('/v1/conversations/messages', { body: args, ...callOpts(ctx) });
    return conform(output, data);
  },
});
