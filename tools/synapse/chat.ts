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
    "Send a message to a Synapse agent and get its answer. An agent not in list_agents is refused before sending, with the available names; an orchestrator-type agent too (use run_orchestration). A failure of the agent's model is an error, not an answer.",
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  services: ['synapse'],
  listTool: 'list_agents',
  input: z.strictObject({
    message: z.string().min(1).describe('The message.'),
    agent: z
      .string()
      .min(1)
      .optional()
      .describe('Agent id or exact name (from list_agents, any case); default the first agent.'),
    session_id: z.string().min(1).optional().describe('From an earlier answer, to continue it.'),
    images: z.array(z.string().min(1)).optional().describe('Base64.'),
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
