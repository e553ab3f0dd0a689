/**
 * Synapse's SSE endpoints (`/chat/stream`, `/run/stream`, `/resume/stream`) read event by event: each event
 * but `done` becomes one MCP progress notification with a short message, error events end the call as an
 * error, and a stream that stops before `done` is an error (its outcome is unknown), never a success.
 */
import { CancelledError } from '../../src/errors.js';
import type { ToolContext } from '../../src/tool.js';
import {
  type ChatOutput,
  chatModelFailure,
  checkChatAnswer,
  cutText,
  isLocalAgentError,
  isRecord,
  type RunOutput,
  runModelFailure,
  type StepModelFailure,
  SynapseReportedError,
  SynapseRunPendingError,
  SynapseStreamEndedError,
  sentence,
  str,
  toRunOutput,
} from './schemas.js';

/** One parsed stream event: its JSON, with `type` naming it. */
export type SynapseEvent = Record<string, unknown> & { type: string };

const SHORT = 160;

function short(v: unknown): string {
  if (typeof v === 'string') return cutText(v, SHORT);
  if (v === undefined || v === null) return '';
  return cutText(JSON.stringify(v), SHORT);
}

/** Stream read timing; tests shorten it instead of waiting. */
export const streamTiming = {
  /**
   * Longest silence before a "still waiting" progress notification (when the client asked for progress):
   * Synapse sends nothing while a model call runs (up to 180 s) and clients give up after 60 s without news.
   */
  keepAliveMs: 15_000,
};

/** How a read that has a time limit ends when the limit passes. */
interface ReadLimit {
  /** Epoch ms after which the read stops and the connection is closed. */
  until: number;
  /** The error the call ends with. */
  expired(): Error;
}

const TIMER = Symbol('timer');

async function within<T>(p: Promise<T>, ms: number): Promise<T | typeof TIMER> {
  if (!Number.isFinite(ms)) return p;
  let timer: NodeJS.Timeout | undefined;
  const elapsed = new Promise<typeof TIMER>((resolve) => {
    timer = setTimeout(() => resolve(TIMER), Math.max(0, ms));
  });
  try {
    return await Promise.race([p, elapsed]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Reads a stream's events until `done`; the connection is closed on any early exit. While the upstream is
 * silent, a client that asked for progress hears "still waiting" every `streamTiming.keepAliveMs`; with a
 * `limit`, the read stops at its time and the call ends with the limit's error.
 */
async function readUntilDone(
  ctx: ToolContext,
  path: string,
  body: unknown,
  onEvent: (ev: SynapseEvent) => Promise<void>,
  what: string,
  limit?: ReadLimit,
): Promise<void> {
  const local = new AbortController();
  const signal = AbortSignal.any([ctx.signal, local.signal]);
  const stream = await ctx.api.synapse.stream({ method: 'POST', path, body, signal, deadline: ctx.deadline });
  const iterator = stream.events[Symbol.asyncIterator]();
  let count = 0;
  let lastEventAt = Date.now();
  try {
    while (true) {
      const pending = iterator.next();
      let next: IteratorResult<{ data: string }> | typeof TIMER;
      while (true) {
        const keepAlive = ctx.wantsProgress ? streamTiming.keepAliveMs : Number.POSITIVE_INFINITY;
        const untilLimit = limit ? limit.until - Date.now() : Number.POSITIVE_INFINITY;
        try {
          next = await within(pending, Math.min(keepAlive, untilLimit));
        } catch (err) {
          if (ctx.signal.aborted) throw new CancelledError();
          const reason = err instanceof Error && err.message ? err.message : 'connection lost';
          throw endedEarly(what, `interrupted after ${count} events (${cutText(reason, 120)})`);
        }
        if (next !== TIMER) break;
        if (limit && Date.now() >= limit.until) {
          pending.catch(() => undefined);
          local.abort();
          throw limit.expired();
        }
        const silent = Math.round((Date.now() - lastEventAt) / 1000);
        await ctx.progress({
          message: `still waiting for Synapse: no news for ${silent} s (a model call can take minutes)`,
        });
      }
      if (next.done) break;
      lastEventAt = Date.now();
      let parsed: unknown;
      try {
        parsed = JSON.parse(next.value.data);
      } catch {
        ctx.log.debug(`synapse stream ${path}: skipped a data line that is not JSON`);
        continue;
      }
      if (!isRecord(parsed) || typeof parsed.type !== 'string') continue;
      count += 1;
      if (parsed.type === 'done') return;
      await onEvent(parsed as SynapseEvent);
    }
  } finally {
    // Leaving early (error event, result read, time limit, failure) closes the body and the connection.
    local.abort();
    await iterator.return?.()?.catch(() => undefined);
  }
  throw endedEarly(what, `the stream closed after ${count} events without its done event`);
}

function endedEarly(what: string, detail: string): SynapseStreamEndedError {
  const next =
    what === 'chat'
      ? 'The answer is incomplete; call chat again (the agent may already have acted on the message).'
      : 'The run may still be going on upstream or may have stopped; its outcome is unknown. Do not start ' +
        'it again blindly: tell the user, or check the effects first.';
  return new SynapseStreamEndedError(`Synapse ${what} stream ended early: ${detail}. ${next}`);
}

// ── Chat ─────────────────────────────────────────────────────────────────────

function chatMessage(ev: SynapseEvent): string {
  switch (ev.type) {
    case 'session':
      return `chatting with ${short(ev.agent_name) || short(ev.agent_id) || 'agent'} (session ${short(ev.session_id)})`;
    case 'status':
      return `status: ${short(ev.message)}`;
    case 'thinking':
      return ev.message ? `thinking: ${short(ev.message)}` : 'thinking';
    case 'tool_execution':
      return `tool used: ${short(ev.tool_name)}`;
    case 'tool_result':
      return `tool result: ${short(ev.tool_name)}${ev.preview ? ` — ${short(ev.preview)}` : ''}`;
    case 'llm_thought':
      return `thought${typeof ev.turn === 'number' ? ` (turn ${ev.turn})` : ''}: ${short(ev.thought)}`;
    case 'response':
      return 'answer received';
    default:
      return short(ev.message) ? `${ev.type}: ${short(ev.message)}` : ev.type;
  }
}

/** `/chat/stream`: progress per event, then the answer; an `error` event decides even if a `response` follows. */
export async function streamChat(ctx: ToolContext, body: Record<string, unknown>): Promise<ChatOutput> {
  const session: { id?: string; agentId?: string; agentName?: string } = {};
  let answer: { content: string; sessionId?: string } | undefined;
  await readUntilDone(
    ctx,
    '/chat/stream',
    body,
    async (ev) => {
      if (ev.type === 'error') {
        throw new SynapseReportedError(chatModelFailure(str(ev.message) ?? 'the agent reported an error'));
      }
      if (ev.type === 'session') {
        const id = str(ev.session_id);
        const agentId = str(ev.agent_id);
        const agentName = str(ev.agent_name);
        if (id !== undefined) session.id = id;
        if (agentId !== undefined) session.agentId = agentId;
        if (agentName !== undefined) session.agentName = agentName;
      }
      if (ev.type === 'response') {
        const content = str(ev.content) ?? '';
        checkChatAnswer(content);
        const sessionId = str(ev.session_id);
        answer = sessionId !== undefined ? { content, sessionId } : { content };
      }
      await ctx.progress({ message: chatMessage(ev) });
    },
    'chat',
  );
  if (!answer) {
    throw new SynapseReportedError('Synapse chat stream finished without a response event; call chat again.');
  }
  const out: ChatOutput = { response: answer.content };
  if (session.agentId !== undefined) out.agent_id = session.agentId;
  if (session.agentName !== undefined) out.agent_name = session.agentName;
  const sessionId = answer.sessionId ?? session.id;
  if (sessionId !== undefined) out.session_id = sessionId;
  return out;
}

// ── Runs ─────────────────────────────────────────────────────────────────────

interface RunProgressState {
  stepNumber: number;
  stepNames: Map<string, string>;
}

function stepLabel(ev: SynapseEvent, st: RunProgressState): string {
  const id = str(ev.orch_step_id);
  const name = str(ev.step_name) ?? (id ? st.stepNames.get(id) : undefined);
  return short(name ?? id ?? 'step');
}

function runMessage(ev: SynapseEvent, st: RunProgressState): string {
  switch (ev.type) {
    case 'orchestration_start':
      return `orchestration started: ${short(ev.orchestration_name) || short(ev.orchestration_id)} (run ${short(ev.run_id)})`;
    case 'step_start': {
      st.stepNumber += 1;
      const id = str(ev.orch_step_id);
      const name = str(ev.step_name);
      if (id && name) st.stepNames.set(id, name);
      return `step ${st.stepNumber} started: ${short(name ?? id)}${ev.step_type ? ` (${short(ev.step_type)})` : ''}`;
    }
    case 'step_complete':
      return `step finished: ${stepLabel(ev, st)}${typeof ev.duration_seconds === 'number' ? ` (${ev.duration_seconds} s)` : ''}`;
    case 'step_error':
      return `step failed: ${stepLabel(ev, st)}: ${short(ev.error)}`;
    case 'step_warning':
      return `step warning: ${stepLabel(ev, st)}: ${short(ev.message)}`;
    case 'thinking':
      return `${stepLabel(ev, st)}: thinking${ev.message ? ` — ${short(ev.message)}` : ''}`;
    case 'status':
      return `${stepLabel(ev, st)}: ${short(ev.message)}`;
    case 'tool_execution':
      return `tool used: ${short(ev.tool_name)} (${stepLabel(ev, st)})`;
    case 'tool_result':
      return `tool result: ${short(ev.tool_name)}${ev.preview ? ` — ${short(ev.preview)}` : ''}`;
    case 'llm_thought':
      return `${stepLabel(ev, st)}: thought — ${short(ev.thought)}`;
    case 'final':
      return isRunFinal(ev) ? 'final response received' : `${stepLabel(ev, st)}: agent answered`;
    case 'routing_decision': {
      if (ev.target_step_id !== undefined || ev.decision !== undefined) {
        const target = ev.target_step_id === null ? 'end' : `step ${short(ev.target_step_id)}`;
        return `routing → ${target}: ${short(ev.reasoning) || short(ev.decision)}`;
      }
      const args = isRecord(ev.arguments) ? ev.arguments : {};
      const label = (str(ev.tool_name) ?? '').replace(/^route_/, '');
      return `route chosen: ${short(label)}${args.reasoning ? ` — ${short(args.reasoning)}` : ''}`;
    }
    case 'if_decision':
    case 'switch_decision': {
      const choice = ev.matched_case ?? ev.result ?? ev.decision;
      if (ev.target_step_id === undefined && typeof ev.condition === 'string') {
        // The step's own verdict; the routing that follows names the target.
        return `${ev.type === 'if_decision' ? 'if' : 'switch'}: ${short(ev.condition)} → ${short(choice)}`;
      }
      const target = ev.target_step_id === null ? 'end' : `step ${short(ev.target_step_id)}`;
      return `${ev.type === 'if_decision' ? 'if' : 'switch'}${choice !== undefined ? ` ${short(choice)}` : ''} → ${target}`;
    }
    case 'parallel_start':
      return `parallel: ${short(ev.branch_count)} branches started`;
    case 'branch_start':
      return `branch ${typeof ev.branch_index === 'number' ? ev.branch_index + 1 : '?'}/${short(ev.branch_count)} started`;
    case 'parallel_complete':
      return `parallel: ${short(ev.branch_count)} branches finished`;
    case 'merge_complete':
      return `merged ${short(ev.input_count)} outputs (${short(ev.strategy)})`;
    case 'loop_iteration':
      return `loop iteration ${short(ev.iteration)}/${short(ev.total)}`;
    case 'loop_complete':
      return `loop finished (${short(ev.iterations_completed)} iterations)`;
    case 'loop_limit_reached':
      return `loop limit reached at step ${short(ev.orch_step_id)} (${short(ev.iterations)}/${short(ev.max_iterations)})`;
    case 'transform_result':
      return `transform done: ${stepLabel(ev, st)}`;
    case 'orchestration_end':
      return 'reached the end step';
    case 'human_input_required':
      return `waiting for human input: ${short(ev.prompt)}`;
    case 'orchestration_complete':
      return `orchestration ${short(ev.status) || 'completed'}`;
    default:
      return short(ev.message) ? `${ev.type}: ${short(ev.message)}` : ev.type;
  }
}

/** True for the run's own `final` event (agent steps also send `final`, tagged with their step id). */
function isRunFinal(ev: SynapseEvent): boolean {
  if (ev.type !== 'final') return false;
  return ev.orch_step_id === undefined || ev.intent === 'orchestration' || isRecord(ev.data);
}

/** When a call without progress answers "still running": shortly before its deadline, while the client listens. */
export function answerBy(deadline: number): number {
  const left = deadline - Date.now();
  return deadline - Math.min(2_000, Math.max(0, left) / 10);
}

/** A sync call's read of a run stream: no progress, and a time limit after which the run goes on unseen. */
export interface RunReadOptions {
  /** Epoch ms at which the call answers even though the run has not finished. */
  until: number;
}

/** The call ran out of time while the run goes on upstream (Synapse v1 can neither stop nor read a run). */
export function stillRunning(
  runId: string,
  lastStep: string | undefined,
  waitedMs: number,
  resumed = false,
): SynapseRunPendingError {
  const seconds = Math.max(1, Math.round(waitedMs / 1000));
  const where = lastStep ? ` (last seen: step "${cutText(lastStep, 80)}")` : '';
  const id = runId
    ? `run ${runId}${where} has not finished within this call's ${seconds} s; it may still be running in Synapse`
    : `run has not reported its run_id within this call's ${seconds} s; it may still be running in Synapse`;
  const again = resumed
    ? 'do not resume it again (a second resume overwrites the answer and skips the running step): tell the ' +
      'user it is still going.'
    : 'do not start it again: tell the user it is still going, or call again with progress enabled to follow ' +
      'a new run to the end.';
  const resume = runId
    ? ` If it pauses for human input, its run_id is "${runId}" for resume_orchestration_run.`
    : '';
  return new SynapseRunPendingError(
    `Synapse orchestration ${id}. Synapse cannot stop a run or report on it later, so ${again}${resume}`,
  );
}

/**
 * `/run/stream` and `/resume/stream`: progress per event, then the run's result assembled from
 * `human_input_required` (paused) or `orchestration_complete` + `final`. `orchestration_error` is an error;
 * so is a step whose model call failed (an `error` event tagged with the step, or a `Local Agent Error:`
 * output), once the stream has ended. With `sync`, the read stops at `sync.until` and the call says the run
 * may still be running, with its run_id.
 */
export async function streamRun(
  ctx: ToolContext,
  path: string,
  body: Record<string, unknown>,
  knownRunId: string,
  sync?: RunReadOptions,
): Promise<RunOutput> {
  const st: RunProgressState = { stepNumber: 0, stepNames: new Map() };
  const started = Date.now();
  let runId = knownRunId;
  let lastStep: string | undefined;
  let paused: Record<string, unknown> | undefined;
  let complete: Record<string, unknown> | undefined;
  let final: Record<string, unknown> | undefined;
  const failures: StepModelFailure[] = [];
  const stepName = (ev: SynapseEvent): string | undefined => {
    const id = str(ev.orch_step_id);
    return str(ev.step_name) ?? (id ? st.stepNames.get(id) : undefined);
  };
  const read = readUntilDone(
    ctx,
    path,
    body,
    async (ev) => {
      if (ev.type === 'orchestration_error') {
        const error = sentence(str(ev.error) ?? 'unknown error');
        const hint = /^Run '.*' not found\.$/.test(error)
          ? ' Check run_id: it comes from a paused run_orchestration result.'
          : ' The run stopped; tell the user. Running it again will fail the same way until the cause is fixed.';
        throw new SynapseReportedError(`Synapse orchestration error: ${error}${hint}`);
      }
      if (ev.type === 'orchestration_start' && str(ev.run_id)) runId = str(ev.run_id) ?? runId;
      if (ev.type === 'step_start') lastStep = str(ev.step_name) ?? str(ev.orch_step_id) ?? lastStep;
      if (ev.type === 'human_input_required') {
        paused = ev;
        if (str(ev.run_id)) runId = str(ev.run_id) ?? runId;
      }
      if (ev.type === 'error') {
        failures.push({
          stepId: str(ev.orch_step_id),
          stepName: stepName(ev),
          error: str(ev.message) ?? str(ev.error) ?? 'the model call failed',
        });
      }
      if (ev.type === 'final' && !isRunFinal(ev) && isLocalAgentError(ev.response)) {
        failures.push({ stepId: str(ev.orch_step_id), stepName: stepName(ev), error: ev.response });
      }
      if (ev.type === 'orchestration_complete') complete = ev;
      if (isRunFinal(ev)) final = ev;
      await ctx.progress({ message: ev.type === 'error' ? runErrorMessage(ev, st) : runMessage(ev, st) });
    },
    'orchestration',
    sync
      ? { until: sync.until, expired: () => stillRunning(runId, lastStep, Date.now() - started) }
      : undefined,
  );
  await read.catch((err: unknown) => {
    // A broken stream leaves the run's fate unknown: its run_id is what the user can ask Synapse about.
    if (err instanceof SynapseStreamEndedError && runId) {
      throw new SynapseStreamEndedError(`${err.message} Its run_id is "${runId}".`);
    }
    throw err;
  });
  const data = final && isRecord(final.data) ? final.data : {};
  const status = str(complete?.status) ?? str(data.status) ?? (paused ? 'paused' : 'completed');
  const failure = failures[0];
  if (failure) throw new SynapseReportedError(runModelFailure(runId, failure, status));
  if (paused) {
    return toRunOutput(
      {
        status: 'paused',
        run_id: str(paused.run_id) ?? runId,
        human_input_required: {
          step_id: paused.orch_step_id,
          prompt: paused.prompt,
          fields: paused.fields,
          agent_context: paused.agent_context,
        },
      },
      runId,
    );
  }
  if (!final && !complete) {
    throw new SynapseReportedError(
      'Synapse orchestration stream finished without a result (no final or orchestration_complete event); ' +
        'its outcome is unknown.',
    );
  }
  return toRunOutput(
    {
      status,
      run_id: str(data.run_id) ?? str(complete?.run_id) ?? runId,
      response: str(final?.response) || `Orchestration ${status}.`,
      shared_state: complete?.final_state ?? data.shared_state,
      step_history: data.step_history,
    },
    runId,
  );
}

function runErrorMessage(ev: SynapseEvent, st: RunProgressState): string {
  return `model call failed: ${stepLabel(ev, st)}: ${short(ev.message ?? ev.error)}`;
}
