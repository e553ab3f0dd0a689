import { z } from 'zod';
import { defineTool } from '../../src/tool.js';
import { chooseAgent, listedAgents } from './agent-choice.js';
import { chatFailure, checkChatAnswer } from './failures.js';
import { type ChatOutput, chatOutput, isRecord, synapsePost } from './schemas.js';
import { streamChat } from './stream.js';
import { str } from './text.js';

export default defineTool({
  name: 'chat',
  title: 'Synapse · Chat with agent',
  description:
    "Send a message to a Synapse agent and get its answer (the agent may use its tools). agent must be an exact id or name from list_agents (case does not matter); an unknown one is refused before anything is sent, with the available names. An orchestrator-type agent is refused too: use run_orchestration for its orchestration. A failure of the agent's model is an error, not an answer. Streams progress when asked.",
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
      .describe('Agent id or exact name (from list_agents, any case); default the first agent.'),
    session_id: z
      .string()
      .min(1)
      .optional()
      .describe('session_id of an earlier answer, to continue that conversation.'),
    images: z.array(z.string().min(1)).optional().describe('Images, base64-encoded.'),
  }),
  output: chatOutput,
  async handler(args, ctx) {
    // Synapse answers from a fallback agent when the name matches none: check the choice first.
    const agent = chooseAgent(await listedAgents(ctx), args.agent);
    const body: Record<string, unknown> = { message: args.message };
    // The id, not the name: Synapse's exact-id match comes before its loose name matching.
    if (args.agent !== undefined) body.agent = agent.id;
    if (args.session_id !== undefined) body.session_id = args.session_id;
    if (args.images !== undefined) body.images = args.images;
    if (ctx.wantsProgress)
      return streamChat(ctx, body).catch((err: unknown) => Promise.reject(chatFailure(err)));
    const data = await synapsePost(ctx, '/chat', body).catch((err: unknown) =>
      Promise.reject(chatFailure(err)),
    );
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
