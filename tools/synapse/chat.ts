import { z } from 'zod';
import { defineTool } from '../../src/tool.js';
import { type ChatOutput, chatOutput, checkChatAnswer, isObj, str, synapsePost } from './schemas.js';
import { streamChat } from './stream.js';

export default defineTool({
  name: 'chat',
  title: 'Synapse · Chat with agent',
  description:
    'Send a message to a Synapse agent and get its answer. The agent may use its own tools while ' +
    'answering. `agent` takes an id or name from list_agents; an unknown name falls back to a partial ' +
    'match, then to the first agent, so check agent_name in the result. Pass session_id from a previous ' +
    'answer to continue that conversation. Streams progress (tools used, thinking) when the client asks ' +
    'for progress.',
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  services: ['synapse'],
  listTool: 'list_agents',
  input: z.strictObject({
    message: z.string().min(1).describe('The message to the agent.'),
    agent: z
      .string()
      .min(1)
      .optional()
      .describe('Agent id or name (from list_agents); the first configured agent when omitted.'),
    session_id: z
      .string()
      .min(1)
      .optional()
      .describe(
        'session_id of an earlier chat answer, to continue that conversation; a new one when omitted.',
      ),
    images: z
      .array(z.string().min(1))
      .optional()
      .describe('Images for the agent, each a base64-encoded string.'),
  }),
  output: chatOutput,
  async handler(args, ctx) {
    const body: Record<string, unknown> = { message: args.message };
    if (args.agent !== undefined) body.agent = args.agent;
    if (args.session_id !== undefined) body.session_id = args.session_id;
    if (args.images !== undefined) body.images = args.images;
    if (ctx.wantsProgress) return streamChat(ctx, body);
    const data = await synapsePost(ctx, '/chat', body);
    const r = isObj(data) ? data : {};
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
