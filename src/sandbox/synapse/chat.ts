/**
 * The sandbox's stand-in for Synapse's ReAct chat loop (SYN `core/routes/api_v1.py`): one scripted chat
 * turn, agent resolution, and an orchestrator agent's run seen through the chat filters.
 */
import type { AgentDef } from './definitions.js';
import { type PacedEvent, Recorder } from './run.js';

/** What the stand-in LLM does for one chat turn. */
export type LlmMode = 'ok' | 'error' | 'local_down';

/** The raw error text a failing provider produces (what `/chat/stream` echoes in its `response`). */
export const LLM_ERROR_TEXT = 'Error: LLM provider returned HTTP 500 (model overloaded).';

/** What the real backend answers when its local model server is down. */
export const LOCAL_AGENT_ERROR_TEXT =
  'Local Agent Error: Cannot connect to host localhost:11434 ssl:default [Connection refused]';

/**
 * What `/chat` answers when the loop's `final` event has no `response` (or there is none): api_v1's default
 * text, not the agent's (`/chat/stream` then sends a `response` whose content is `""`).
 */
export const CHAT_STAND_IN_TEXT = 'I completed the requested actions.';

/** `/chat`'s 500 detail and `/chat/stream`'s `error` message for an agent failure. */
export const AGENT_ERROR_DETAIL = 'The agent encountered an error processing your request.';

/** api_v1's catch-all: `/chat`'s 500 detail and `/chat/stream`'s `error` message for any other failure. */
export const INTERNAL_ERROR_DETAIL = 'An internal error occurred. Please try again later.';

/** A chat turn that fails outside the agent's model call (api_v1's catch-all): its generic error, no answer. */
export function internalErrorTurn(
  agent: AgentDef,
  sessionId: string,
): { events: PacedEvent[]; response: string; failed: boolean; detail: string } {
  const rec = new Recorder(0);
  rec.emit({ type: 'session', session_id: sessionId, agent_id: agent.id, agent_name: agent.name });
  rec.emit({ type: 'error', message: INTERNAL_ERROR_DETAIL });
  rec.emit({ type: 'done' });
  return { events: rec.events, response: '', failed: true, detail: INTERNAL_ERROR_DETAIL };
}

/**
 * One chat turn: the ReAct loop's events (`/chat/stream` order) and the final answer or error. `answerless`:
 * the loop's `final` carries no `response`, which api_v1 turns into content `""` on the stream and its
 * stand-in text on `/chat` (`event.get("response", …)` with those defaults).
 */
export function chatTurn(
  agent: AgentDef,
  message: string,
  sessionId: string,
  turn: number,
  mode: LlmMode,
  answerless = false,
): { events: PacedEvent[]; response: string; failed: boolean } {
  const rec = new Recorder(0);
  rec.emit({ type: 'session', session_id: sessionId, agent_id: agent.id, agent_name: agent.name });
  rec.emit({ type: 'status', message: `${agent.name} is working on your request` });
  if (mode === 'error') {
    rec.emit({ type: 'error', message: AGENT_ERROR_DETAIL });
    rec.emit({ type: 'response', content: LLM_ERROR_TEXT, intent: 'chat', session_id: sessionId });
    rec.emit({ type: 'done' });
    return { events: rec.events, response: LLM_ERROR_TEXT, failed: true };
  }
  if (mode === 'local_down') {
    // The provider returns the error text as if the model had said it: the loop shows it as a thought, then
    // answers it (no tool call in it).
    rec.emit({ type: 'llm_thought', thought: LOCAL_AGENT_ERROR_TEXT, turn: 1 });
    rec.emit({ type: 'response', content: LOCAL_AGENT_ERROR_TEXT, intent: 'chat', session_id: sessionId });
    rec.emit({ type: 'done' });
    return { events: rec.events, response: LOCAL_AGENT_ERROR_TEXT, failed: false };
  }
  rec.emit({ type: 'thinking', message: 'Planning the answer…' });
  const tool = agent.capabilities?.[0];
  if (tool) {
    rec.emit({ type: 'tool_execution', tool_name: tool, args: { query: message } });
    rec.emit({ type: 'tool_result', tool_name: tool, preview: `2 results for "${message.slice(0, 60)}"` });
  }
  rec.emit({ type: 'llm_thought', thought: 'I have what I need to answer.', turn: 1 });
  if (answerless) {
    rec.emit({ type: 'response', content: '', intent: 'chat', session_id: sessionId });
    rec.emit({ type: 'done' });
    return { events: rec.events, response: CHAT_STAND_IN_TEXT, failed: false };
  }
  const response = `${agent.name} (turn ${turn}): ${tool ? `after using ${tool}, ` : ''}here is my answer to "${message}".`;
  rec.emit({ type: 'response', content: response, intent: 'chat', session_id: sessionId });
  rec.emit({ type: 'done' });
  return { events: rec.events, response, failed: false };
}

/** `_resolve_agent_for_api`: exact id → case-insensitive name → partial name → first agent. */
export function resolveAgent(
  agents: readonly AgentDef[],
  identifier: string | null | undefined,
): AgentDef | undefined {
  if (agents.length === 0) return undefined;
  if (!identifier) return agents[0];
  const byId = agents.find((a) => a.id === identifier);
  if (byId) return byId;
  const lower = identifier.toLowerCase();
  return (
    agents.find((a) => a.name.toLowerCase() === lower) ??
    agents.find((a) => a.name.toLowerCase().includes(lower)) ??
    agents[0]
  );
}

/**
 * What `/chat` and `/chat/stream` make of an orchestrator agent's run (`run_react_loop` delegates to the
 * engine, api_v1 filters its events): only status, thinking, tool and thought events pass; every `final`
 * (each agent step's, then the run's) becomes a `response` followed by a `done`; a pause for a human is
 * dropped, so the stream just ends (api-notes §2c). The sync route answers the last `final`.
 */
export function orchestratorChat(
  agent: AgentDef,
  sessionId: string,
  runEvents: readonly PacedEvent[],
): { events: PacedEvent[]; response: string; failed: boolean } {
  const rec = new Recorder(0);
  rec.emit({ type: 'session', session_id: sessionId, agent_id: agent.id, agent_name: agent.name });
  rec.emit({ type: 'status', message: 'Processing your request...' });
  let response = CHAT_STAND_IN_TEXT;
  let failed = false;
  for (const { event } of runEvents) {
    switch (event.type) {
      case 'status':
      case 'thinking':
        rec.emit({ type: event.type, message: event.message ?? '' });
        break;
      case 'tool_execution':
        rec.emit({ type: 'tool_execution', tool_name: event.tool_name, args: event.args });
        break;
      case 'tool_result':
        rec.emit({ type: 'tool_result', tool_name: event.tool_name, preview: event.preview });
        break;
      case 'llm_thought':
        rec.emit({ type: 'llm_thought', thought: event.thought, turn: event.turn ?? 1 });
        break;
      case 'final':
        response = typeof event.response === 'string' ? event.response : '';
        rec.emit({
          type: 'response',
          content: response,
          intent: event.intent ?? 'chat',
          session_id: sessionId,
        });
        rec.emit({ type: 'done' });
        break;
      case 'error':
        failed = true;
        rec.emit({ type: 'error', message: AGENT_ERROR_DETAIL });
        break;
      default:
        break;
    }
  }
  return { events: rec.events, response, failed };
}
