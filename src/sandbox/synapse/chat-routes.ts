/** Synapse's chat routes: one turn with the resolved agent, answered whole or streamed. */
import { randomBytes } from 'node:crypto';
import { sendJson } from '../common/json-body.js';
import { type ChatBody, chatBody, HttpError } from './bodies.js';
import { AGENT_ERROR_DETAIL, chatTurn, internalErrorTurn, orchestratorChat, resolveAgent } from './chat.js';
import type { AgentDef } from './definitions.js';
import { startRun } from './engine.js';
import { frozen, newRunId } from './orchestration-routes.js';
import type { PacedEvent } from './run.js';
import type { Route, SynapseState } from './state.js';

function chatPrecheck(
  state: SynapseState,
  body: ChatBody,
): { agent: AgentDef; sessionId: string; turn: number } {
  const agent = resolveAgent(state.agents, body.agent);
  if (!agent) throw new HttpError(400, 'No agents configured');
  if (state.starting) throw new HttpError(503, 'No agent sessions available. Server may still be starting.');
  const sessionId = body.session_id || `api_${randomBytes(6).toString('hex')}`;
  const turn = (state.sessions.get(sessionId) ?? 0) + 1;
  state.sessions.set(sessionId, turn);
  return { agent, sessionId, turn };
}

/**
 * One chat turn with the resolved agent: the scripted ReAct loop, or for an `orchestrator` agent a new run
 * of its orchestration seen through the chat filters (a human pause inside it is invisible).
 */
function chatResult(
  state: SynapseState,
  agent: AgentDef,
  message: string,
  sessionId: string,
  turn: number,
): { events: PacedEvent[]; response: string; failed: boolean; detail?: string } {
  if (state.internalError) return internalErrorTurn(agent, sessionId);
  if (agent.type !== 'orchestrator')
    return chatTurn(agent, message, sessionId, turn, state.llm, state.answerless);
  const orch = state.orchestrations.find((o) => o.id === agent.orchestration_id);
  if (!orch) {
    const missing: PacedEvent[] = [{ event: { type: 'error', message: AGENT_ERROR_DETAIL }, delayMs: 10 }];
    return { events: missing, response: '', failed: true };
  }
  const runId = newRunId(state, orch.id);
  const { run, events } = startRun(orch, state.agents, message, runId, state.clock.now(), state.llm);
  state.runs.set(runId, run);
  return orchestratorChat(agent, sessionId, frozen(events));
}

/** `POST /chat` and `POST /chat/stream`: one turn with the resolved agent. */
export const CHAT_ROUTES: Route[] = [
  {
    method: 'POST',
    pattern: /^\/chat$/,
    run(state, _hub, req, res) {
      const body = chatBody(req.body);
      const { agent, sessionId, turn } = chatPrecheck(state, body);
      const result = chatResult(state, agent, body.message, sessionId, turn);
      if (result.failed) throw new HttpError(500, result.detail ?? AGENT_ERROR_DETAIL);
      sendJson(res, 200, {
        response: result.response,
        agent_id: agent.id,
        agent_name: agent.name,
        session_id: sessionId,
      });
    },
  },
  {
    method: 'POST',
    pattern: /^\/chat\/stream$/,
    run(state, hub, req, res) {
      const body = chatBody(req.body);
      const { agent, sessionId, turn } = chatPrecheck(state, body);
      hub.send(res, req.path, chatResult(state, agent, body.message, sessionId, turn).events);
    },
  },
];
