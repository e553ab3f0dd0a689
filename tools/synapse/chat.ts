import { z } from 'zod';
import { defineTool } from '../../src/tool.js';
import { type ChatOutput, chatOutput, checkChatAnswer, isRecord, str, synapsePost } from './schemas.js';
import { streamChat } from './stream.js';

export default defineTool({
  name: 'chat',
  title: 'Synapse · Chat with agent',
  description:
    'Send a message to a Synapse agent and get its answer (the agent may use its tools). An unknown agent name falls back to a partial match, then the first agent: check agent_name in the result. Streams progress when asked.',
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  services: ['synapse'],
  untrusted: true,
  listTool: 'list_agents',
  input: z.strictObject({
    message: z.string().min(1).describe('The message.'),
    agent: z
      .string()
      .min(1)
      .optional()
      .describe('Agent id or name (from list_agents); default the first agent.'),
    session_id: z
      .string()
      .min(1)
      .optional()
      .describe('session_id of an earlier answer, to continue that conversation.'),
    images: z.array(z.string().min(1)).optional().describe('Images, base64-encoded.'),
  }),
  output: chatOutput,
  async handler(args, ctx) {
    const body: Record<string, unknown> = { message: args.message };
    if (args.agent !== undefined) body.agent = args.agent;
    if (args.session_id !== undefined) body.session_id = args.session_id;
    if (args.images !== undefined) body.images = args.images;
    if (ctx.wantsProgress) return streamChat(ctx, body);
    const data = await synapsePost(ctx, '/chat', body);
    const r = isRecord(data) ? data : {};
    const response = str(r.response) ?? '';
    checkChatAnswer(response);
    const out: ChatOutput = { response };
    const agentId = str(r.agent_id);
    const agentName = str(r.agent_name);
    const sessionId = str(r.session_id);
    if (agentId !== undefined) out.agent_id = agentId;
    if (agentName !== undefined) out.agent_name = agentName;
    if (sessionId !== undefined) out.session_id = sessionId;
    return out;
  },
});
