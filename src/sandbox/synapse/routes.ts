/**
 * The Synapse emulator's `/api/v1` routes (seed 001 + api-notes §2, §2b; SYN `core/routes/api_v1.py`).
 * Order of checks, as FastAPI does them: route (unknown → 404 `Not Found`, wrong method → 405), the
 * `HTTPBearer` dependency (missing/non-Bearer → 403, unknown key → 401 + `WWW-Authenticate: Bearer`),
 * body validation (422 with pydantic's error list), then the handler (`{detail}` errors).
 */
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { isRecord } from '../../json.js';
import type { Clock } from '../common/clock.js';
import { sendJson } from '../common/json-body.js';
import type { EmulatorRequest } from '../common/server.js';
import type { AgentDef, OrchestrationDef } from './data.js';
import {
  AGENT_ERROR_DETAIL,
  chatTurn,
  type EngineEvent,
  type LlmMode,
  orchestratorChat,
  type PacedEvent,
  type RunState,
  resolveAgent,
  resumeRun,
  startRun,
} from './engine.js';
import type { StreamHub } from './sse.js';

/** Base path of every route. */
export const BASE_PATH = '/api/v1';

/** What the routes read and mutate. */
export interface SynapseState {
  readonly clock: Clock;
  /** Keys that authenticate (`sk-syn-` + 64 hex); a key not in the list is "invalid or revoked". */
  apiKeys: string[];
  agents: AgentDef[];
  orchestrations: OrchestrationDef[];
  readonly runs: Map<string, RunState>;
  /** Chat turns per session id. */
  readonly sessions: Map<string, number>;
  llm: LlmMode;
  /** True while "the server is still starting" (`/chat` answers 503). */
  starting: boolean;
  /** Status for a missing `Authorization` header: 403 (FastAPI 0.115) or 401 (newer FastAPI). */
  missingAuthStatus: 401 | 403;
  lastRunMs: number;
}

/** `{detail}` error as FastAPI's HTTPException renders it. */
class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly detail: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof detail === 'string' ? detail : 'validation error');
  }
}

interface PydanticIssue {
  type: string;
  loc: Array<string | number>;
  msg: string;
  input: unknown;
}

const MISSING = (loc: Array<string | number>, input: unknown): PydanticIssue => ({
  type: 'missing',
  loc,
  msg: 'Field required',
  input,
});

function stringIssue(loc: Array<string | number>, input: unknown): PydanticIssue {
  return { type: 'string_type', loc, msg: 'Input should be a valid string', input };
}

/** The body of a pydantic model parameter: absent → 422 missing, not an object → 422 model_attributes_type. */
function modelBody(body: unknown): Record<string, unknown> {
  if (body === undefined) throw new HttpError(422, [MISSING(['body'], null)]);
  if (!isRecord(body)) {
    throw new HttpError(422, [
      {
        type: 'model_attributes_type',
        loc: ['body'],
        msg: 'Input should be a valid dictionary or object to extract fields from',
        input: body,
      },
    ]);
  }
  return body;
}

function optionalStr(body: Record<string, unknown>, key: string, issues: PydanticIssue[]): string | null {
  const v = body[key];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') {
    issues.push(stringIssue(['body', key], v));
    return null;
  }
  return v;
}

interface ChatBody {
  message: string;
  agent: string | null;
  session_id: string | null;
  images: string[];
}

/** `V1ChatRequest`. */
function chatBody(raw: unknown): ChatBody {
  const body = modelBody(raw);
  const issues: PydanticIssue[] = [];
  let message = '';
  if (body.message === undefined) issues.push(MISSING(['body', 'message'], body));
  else if (typeof body.message !== 'string') issues.push(stringIssue(['body', 'message'], body.message));
  else message = body.message;
  const agent = optionalStr(body, 'agent', issues);
  const session_id = optionalStr(body, 'session_id', issues);
  const images: string[] = [];
  if (body.images !== undefined) {
    if (!Array.isArray(body.images)) {
      issues.push({
        type: 'list_type',
        loc: ['body', 'images'],
        msg: 'Input should be a valid list',
        input: body.images,
      });
    } else {
      body.images.forEach((img, i) => {
        if (typeof img === 'string') images.push(img);
        else issues.push(stringIssue(['body', 'images', i], img));
      });
    }
  }
  if (issues.length > 0) throw new HttpError(422, issues);
  return { message, agent, session_id, images };
}

/** `V1OrchestrationRunRequest`: `message: str = ""`. */
function runBody(raw: unknown): string {
  const body = modelBody(raw);
  if (body.message === undefined) return '';
  if (typeof body.message !== 'string')
    throw new HttpError(422, [stringIssue(['body', 'message'], body.message)]);
  return body.message;
}

/** `V1ResumeRequest`: `response: dict | str = {}`; a string is normalised to `{"response": <string>}`. */
function resumeBody(raw: unknown): Record<string, unknown> {
  const body = modelBody(raw);
  const r = body.response;
  if (r === undefined) return {};
  if (typeof r === 'string') return { response: r };
  if (isRecord(r)) return r;
  throw new HttpError(422, [
    {
      type: 'dict_type',
      loc: ['body', 'response', 'dict[any,any]'],
      msg: 'Input should be a valid dictionary',
      input: r,
    },
    stringIssue(['body', 'response', 'str'], r),
  ]);
}

/** `require_api_key`: HTTPBearer, then the key lookup. */
function authenticate(state: SynapseState, headers: Record<string, string>): void {
  const header = headers.authorization ?? '';
  const [scheme, ...rest] = header.trim().split(/\s+/);
  const credentials = rest.join(' ');
  if (!header || !scheme || !credentials) {
    throw new HttpError(
      state.missingAuthStatus,
      'Not authenticated',
      state.missingAuthStatus === 401 ? { 'www-authenticate': 'Bearer' } : {},
    );
  }
  if (scheme.toLowerCase() !== 'bearer') {
    throw new HttpError(state.missingAuthStatus, 'Invalid authentication credentials');
  }
  if (!state.apiKeys.includes(credentials)) {
    throw new HttpError(401, 'Invalid or revoked API key', { 'www-authenticate': 'Bearer' });
  }
}

function agentJson(a: AgentDef): Record<string, unknown> {
  return {
    id: a.id,
    name: a.name,
    type: a.type ?? 'conversational',
    model: a.model === undefined ? '' : a.model,
    capabilities: a.capabilities ?? [],
  };
}

/**
 * `GET /orchestrations/{id}` as v1.4.3 really answers it (api-notes §2c): every step's `label` is `""`,
 * `depends_on` and `edges` are empty, and no human prompt or fields are shown.
 */
function orchestrationDetail(o: OrchestrationDef): Record<string, unknown> {
  return {
    id: o.id,
    name: o.name,
    description: o.description,
    steps: o.steps.map((s) => ({
      id: s.id,
      label: '',
      type: s.type,
      agent_id: s.agent_id ?? null,
      depends_on: [],
    })),
    edges: [],
  };
}

/** What the synchronous run/resume routes return after draining the engine (api_v1 `v1_orchestration_run`). */
function runResult(runId: string, events: readonly PacedEvent[]): Record<string, unknown> {
  let finalResponse: string | null = null;
  let stepHistory: unknown = [];
  let sharedState: unknown = {};
  let status = 'running';
  for (const { event } of events) {
    if (event.type === 'human_input_required') {
      return {
        status: 'paused',
        run_id: runId,
        human_input_required: {
          step_id: event.orch_step_id ?? null,
          prompt: event.prompt ?? null,
          fields: event.fields ?? [],
          agent_context: event.agent_context ?? null,
        },
      };
    }
    if (event.type === 'orchestration_complete') {
      status = typeof event.status === 'string' ? event.status : 'completed';
      sharedState = event.final_state ?? {};
    }
    if (event.type === 'final') {
      finalResponse = typeof event.response === 'string' ? event.response : '';
      const data = event.data;
      stepHistory = isRecord(data) ? (data.step_history ?? []) : [];
    }
  }
  return {
    status,
    run_id: runId,
    response: finalResponse || `Orchestration ${status}.`,
    shared_state: sharedState,
    step_history: stepHistory,
  };
}

/** Snapshot of a value at the time an event is produced (the run keeps mutating afterwards). */
function frozen(events: PacedEvent[]): PacedEvent[] {
  return events.map(({ event, delayMs }) => ({ event: structuredClone(event), delayMs }));
}

const DONE: PacedEvent = { event: { type: 'done' }, delayMs: 5 };

/** Adds the closing `done`; a stream that paused for a human ends right after `human_input_required`. */
function withDone(events: PacedEvent[]): PacedEvent[] {
  const pause = events.findIndex((e) => e.event.type === 'human_input_required');
  const body = pause === -1 ? events : events.slice(0, pause + 1);
  return [...body.filter((e) => !e.event.type.startsWith('_log_')), DONE];
}

type Route = {
  method: 'GET' | 'POST';
  pattern: RegExp;
  run(state: SynapseState, hub: StreamHub, req: EmulatorRequest, res: ServerResponse, params: string[]): void;
};

function newRunId(state: SynapseState, orchId: string): string {
  const ms = Math.max(Math.floor(state.clock.now()), state.lastRunMs + 1);
  state.lastRunMs = ms;
  return `run_${orchId}_${ms}`;
}

function findOrch(state: SynapseState, id: string): OrchestrationDef {
  const orch = state.orchestrations.find((o) => o.id === id);
  if (!orch) throw new HttpError(404, `Orchestration '${id}' not found`);
  return orch;
}

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
): { events: PacedEvent[]; response: string; failed: boolean } {
  if (agent.type !== 'orchestrator') return chatTurn(agent, message, sessionId, turn, state.llm);
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

const ROUTES: Route[] = [
  {
    method: 'GET',
    pattern: /^\/agents$/,
    run(state, _hub, _req, res) {
      sendJson(res, 200, state.agents.map(agentJson));
    },
  },
  {
    method: 'GET',
    pattern: /^\/agents\/([^/]+)$/,
    run(state, _hub, _req, res, [id = '']) {
      const agent = state.agents.find((a) => a.id === id);
      if (!agent) throw new HttpError(404, `Agent '${id}' not found`);
      sendJson(res, 200, { ...agentJson(agent), description: agent.description ?? '' });
    },
  },
  {
    method: 'GET',
    pattern: /^\/orchestrations$/,
    run(state, _hub, _req, res) {
      sendJson(
        res,
        200,
        state.orchestrations.map((o) => ({
          id: o.id,
          name: o.name,
          description: o.description,
          steps: o.steps.length,
        })),
      );
    },
  },
  {
    method: 'GET',
    pattern: /^\/orchestrations\/([^/]+)$/,
    run(state, _hub, _req, res, [id = '']) {
      sendJson(res, 200, orchestrationDetail(findOrch(state, id)));
    },
  },
  {
    method: 'POST',
    pattern: /^\/chat$/,
    run(state, _hub, req, res) {
      const body = chatBody(req.body);
      const { agent, sessionId, turn } = chatPrecheck(state, body);
      const result = chatResult(state, agent, body.message, sessionId, turn);
      if (result.failed) throw new HttpError(500, AGENT_ERROR_DETAIL);
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
  {
    method: 'POST',
    pattern: /^\/orchestrations\/([^/]+)\/run$/,
    run(state, _hub, req, res, [id = '']) {
      const message = runBody(req.body);
      const orch = findOrch(state, id);
      const runId = newRunId(state, orch.id);
      const { run, events } = startRun(orch, state.agents, message, runId, state.clock.now(), state.llm);
      state.runs.set(runId, run);
      sendJson(res, 200, runResult(runId, events));
    },
  },
  {
    method: 'POST',
    pattern: /^\/orchestrations\/([^/]+)\/run\/stream$/,
    run(state, hub, req, res, [id = '']) {
      const message = runBody(req.body);
      const orch = findOrch(state, id);
      const runId = newRunId(state, orch.id);
      const { run, events } = startRun(orch, state.agents, message, runId, state.clock.now(), state.llm);
      state.runs.set(runId, run);
      hub.send(res, req.path, withDone(frozen(events)));
    },
  },
  {
    method: 'POST',
    pattern: /^\/orchestrations\/runs\/([^/]+)\/resume$/,
    run(state, _hub, req, res, [runId = '']) {
      const human = resumeBody(req.body);
      const run = state.runs.get(runId);
      if (!run) throw new HttpError(404, `Run '${runId}' not found`);
      const orch = state.orchestrations.find((o) => o.id === run.orchestration_id);
      const events = resumeRun(orch, state.agents, run, human, state.clock.now(), state.llm);
      sendJson(res, 200, runResult(runId, events));
    },
  },
  {
    method: 'POST',
    pattern: /^\/orchestrations\/runs\/([^/]+)\/resume\/stream$/,
    run(state, hub, req, res, [runId = '']) {
      const human = resumeBody(req.body);
      const run = state.runs.get(runId);
      if (!run) {
        const missing: EngineEvent = { type: 'orchestration_error', error: `Run '${runId}' not found` };
        hub.send(res, req.path, [{ event: missing, delayMs: 10 }, DONE]);
        return;
      }
      const orch = state.orchestrations.find((o) => o.id === run.orchestration_id);
      hub.send(
        res,
        req.path,
        withDone(frozen(resumeRun(orch, state.agents, run, human, state.clock.now(), state.llm))),
      );
    },
  },
];

const OPENAPI_PATHS = [
  '/chat',
  '/chat/stream',
  '/agents',
  '/agents/{agent_id}',
  '/orchestrations',
  '/orchestrations/{orch_id}',
  '/orchestrations/{orch_id}/run',
  '/orchestrations/{orch_id}/run/stream',
  '/orchestrations/runs/{run_id}/resume',
  '/orchestrations/runs/{run_id}/resume/stream',
];

function decodeParam(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** The emulator's request handler. */
export function createHandler(state: SynapseState, hub: StreamHub) {
  return (req: EmulatorRequest, res: ServerResponse): void => {
    try {
      if (req.method === 'GET' && req.path === '/openapi.json') {
        const paths = Object.fromEntries(OPENAPI_PATHS.map((p) => [`${BASE_PATH}${p}`, {}]));
        sendJson(res, 200, { openapi: '3.1.0', info: { title: 'Synapse', version: '1.4.3' }, paths });
        return;
      }
      if (!req.path.startsWith(`${BASE_PATH}/`)) throw new HttpError(404, 'Not Found');
      const sub = req.path.slice(BASE_PATH.length);
      const matching = ROUTES.map((route) => ({ route, m: route.pattern.exec(sub) })).filter(
        (x) => x.m !== null,
      );
      if (matching.length === 0) throw new HttpError(404, 'Not Found');
      const hit = matching.find((x) => x.route.method === req.method);
      if (!hit?.m)
        throw new HttpError(405, 'Method Not Allowed', {
          allow: matching.map((x) => x.route.method).join(', '),
        });
      authenticate(state, req.headers);
      hit.route.run(
        state,
        hub,
        req,
        res,
        hit.m.slice(1).map((p) => decodeParam(p ?? '')),
      );
    } catch (err) {
      if (err instanceof HttpError) {
        sendJson(res, err.status, { detail: err.detail }, err.headers);
        return;
      }
      throw err;
    }
  };
}
