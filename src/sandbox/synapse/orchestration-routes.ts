/**
 * Synapse's orchestration routes: reading orchestrations, starting a run and resuming a paused one, each
 * answered after draining the engine or streamed as it goes.
 */
import { isRecord } from '../../json.js';
import { sendJson } from '../common/json-body.js';
import { HttpError, resumeBody, runBody } from './bodies.js';
import type { OrchestrationDef } from './definitions.js';
import { resumeRun, startRun } from './engine.js';
import type { EngineEvent, PacedEvent } from './run.js';
import type { Route, SynapseState } from './state.js';

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
export function frozen(events: PacedEvent[]): PacedEvent[] {
  return events.map(({ event, delayMs }) => ({ event: structuredClone(event), delayMs }));
}

const DONE: PacedEvent = { event: { type: 'done' }, delayMs: 5 };

/** Adds the closing `done`; a stream that paused for a human ends right after `human_input_required`. */
function withDone(events: PacedEvent[]): PacedEvent[] {
  const pause = events.findIndex((e) => e.event.type === 'human_input_required');
  const body = pause === -1 ? events : events.slice(0, pause + 1);
  return [...body.filter((e) => !e.event.type.startsWith('_log_')), DONE];
}

/** A new run id, `run_<orchestration>_<ms>`, its time part strictly increasing. */
export function newRunId(state: SynapseState, orchId: string): string {
  const ms = Math.max(Math.floor(state.clock.now()), state.lastRunMs + 1);
  state.lastRunMs = ms;
  return `run_${orchId}_${ms}`;
}

function findOrch(state: SynapseState, id: string): OrchestrationDef {
  const orch = state.orchestrations.find((o) => o.id === id);
  if (!orch) throw new HttpError(404, `Orchestration '${id}' not found`);
  return orch;
}

/** Reading orchestrations, starting a run and resuming a paused one, each synchronous or streamed. */
export const ORCHESTRATION_ROUTES: Route[] = [
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
