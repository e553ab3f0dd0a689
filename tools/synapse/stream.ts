/**
 * Synapse's SSE endpoints (`/chat/stream`, `/run/stream`, `/resume/stream`) read event by event: each event
 * but `done` becomes one MCP progress notification with a short message, error events end the call as an
 * error, and a stream that stops before `done` is an error (its outcome is unknown), never a success.
 */
import { CancelledError } from '../../src/errors.js';
import type { ToolContext } from '../../src/tool.js';
import {
  type ChatOutput,
  checkChatAnswer,
  cutText,
  isRecord,
  type RunOutput,
  SynapseReportedError,
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

/** Opens a stream and yields its JSON events; a broken connection becomes SynapseStreamEndedError. */
async function* openEvents(
  ctx: ToolContext,
  path: string,
  body: unknown,
  seen: { count: number },
): AsyncGenerator<SynapseEvent> {
  const stream = await ctx.api.synapse.stream({
    method: 'POST',
    path,
    body,
    signal: ctx.signal,
    deadline: ctx.deadline,
  });
  const iterator = stream.events[Symbol.asyncIterator]();
  try {
    while (true) {
      let next: IteratorResult<{ data: string }>;
      try {
        next = await iterator.next();
      } catch (err) {
        if (ctx.signal.aborted) throw new CancelledError();
        const reason = err instanceof Error && err.message ? err.message : 'connection lost';
        throw new SynapseStreamEndedError(`interrupted after ${seen.count} events (${cutText(reason, 120)})`);
      }
      if (next.done) return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(next.value.data);
      } catch {
        ctx.log.debug(`synapse stream ${path}: skipped a data line that is not JSON`);
        continue;
      }
      if (!isRecord(parsed) || typeof parsed.type !== 'string') continue;
      seen.count += 1;
      yield parsed as SynapseEvent;
    }
  } finally {
    // Leaving early (error event, result read, failure) closes the body and with it the upstream connection.
    await iterator.return?.()?.catch(() => undefined);
  }
}

/** Reads events until `done`; the generator is closed (and the connection with it) on any early exit. */
async function readUntilDone(
  ctx: ToolContext,
  path: string,
  body: unknown,
  onEvent: (ev: SynapseEvent) => Promise<void>,
  what: string,
): Promise<void> {
  const seen = { count: 0 };
  try {
    for await (const ev of openEvents(ctx, path, body, seen)) {
      if (ev.type === 'done') return;
      await onEvent(ev);
    }
  } catch (err) {
    if (err instanceof SynapseStreamEndedError) throw endedEarly(what, err.message);
    throw err;
  }
  throw endedEarly(what, `the stream closed after ${seen.count} events without its done event`);
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
        throw new SynapseReportedError(
          `Synapse chat failed: ${sentence(str(ev.message) ?? 'the agent reported an error')} The agent did not ` +
            'answer; retrying later may help.',
        );
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

/**
 * `/run/stream` and `/resume/stream`: progress per event, then the run's result assembled from
 * `human_input_required` (paused) or `orchestration_complete` + `final`. `orchestration_error` is an error.
 */
export async function streamRun(
  ctx: ToolContext,
  path: string,
  body: Record<string, unknown>,
  knownRunId: string,
): Promise<RunOutput> {
  const st: RunProgressState = { stepNumber: 0, stepNames: new Map() };
  let runId = knownRunId;
  let paused: Record<string, unknown> | undefined;
  let complete: Record<string, unknown> | undefined;
  let final: Record<string, unknown> | undefined;
  await readUntilDone(
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
      if (ev.type === 'human_input_required') {
        paused = ev;
        if (str(ev.run_id)) runId = str(ev.run_id) ?? runId;
      }
      if (ev.type === 'orchestration_complete') complete = ev;
      if (isRunFinal(ev)) final = ev;
      await ctx.progress({ message: runMessage(ev, st) });
    },
    'orchestration',
  );
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
  const data = final && isRecord(final.data) ? final.data : {};
  const status = str(complete?.status) ?? str(data.status) ?? 'completed';
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
