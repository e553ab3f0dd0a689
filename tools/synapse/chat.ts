import { z } from 'zod';
import { CancelledError } from '../../src/errors.js';
import { defineTool, type ToolContext } from '../../src/tool.js';
import { answeredBy, chooseAgent, listedAgents } from './agent-choice.js';
import { chatAnswer, chatFailure, noChatAnswer } from './failures.js';
import { type ChatOutput, chatOutput, isRecord } from './schemas.js';
import { answerBy, streamChat } from './stream.js';
import { str } from './text.js';

/**
 * Longest attempt of a sync chat (POST /chat, never replayed): an agent's answer may take minutes, so it is
 * not cut at the default 30 s; the call's own time limit (postChat) and the client's cancellation end it first.
 */
const CHAT_ATTEMPT_MS = 300_000;

/**
 * POST /chat, answering by the call's time limit: the agent's answer may take minutes (up to the backend's
 * 180 s model timeout per call), and a client that hears nothing gives up on its own, telling the model
 * nothing. v1 chat has no id to come back to: the answer then says so (failures.ts `noChatAnswer`).
 */
async function postChat(ctx: ToolContext, body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const started = Date.now();
  const local = new AbortController();
  const timer = setTimeout(() => local.abort(), Math.max(0, answerBy(ctx.deadline) - started));
  try {
    const data = await ctx.api.synapse.post('/chat', {
      body,
      signal: AbortSignal.any([ctx.signal, local.signal]),
      timeoutMs: CHAT_ATTEMPT_MS,
    });
    return isRecord(data) ? data : {};
  } catch (err) {
    if (err instanceof CancelledError && local.signal.aborted && !ctx.signal.aborted) {
      throw noChatAnswer(Date.now() - started, str(body.session_id));
    }
    throw chatFailure(err);
  } finally {
    clearTimeout(timer);
  }
}

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
    // The id, not the name, and always (the first agent too): Synapse's exact-id match comes before its loose
    // name matching, so it picks this agent while it still exists (answeredBy checks it did).
    const body: Record<string, unknown> = { message: args.message, agent: agent.id };
    if (args.session_id !== undefined) body.session_id = args.session_id;
    if (args.images !== undefined) body.images = args.images;
    if (ctx.wantsProgress) {
      const streamed = await streamChat(ctx, body).catch((err: unknown) => Promise.reject(chatFailure(err)));
      return answeredBy(agent, args.agent, streamed);
    }
    const r = await postChat(ctx, body);
    // No response, an empty one or Synapse's stand-in is no answer: never one made up here (the stream too).
    const out: ChatOutput = { response: chatAnswer(r.response) };
    const agentId = str(r.agent_id);
    const agentName = str(r.agent_name);
    const sessionId = str(r.session_id);
    if (agentId !== undefined) out.agent_id = agentId;
    if (agentName !== undefined) out.agent_name = agentName;
    if (sessionId !== undefined) out.session_id = sessionId;
    return answeredBy(agent, args.agent, out);
  },
});
