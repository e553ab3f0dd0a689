/**
 * Synapse's run streams (`/orchestrations/{id}/run/stream`, `/orchestrations/runs/{id}/resume/stream`) read
 * into a run result: a progress message per engine event (Synapse's text in it fenced, src/progress-text.ts),
 * the pause or the final result, and the failures Synapse reports as data (a model error tagged with a step,
 * an `orchestration_error`).
 */
import type { ProgressText } from '../../src/progress-text.js';
import type { ToolContext } from '../../src/tool.js';
import {
  isLocalAgentError,
  type PendingHumanStep,
  runModelFailure,
  type StepModelFailure,
  SynapseReportedError,
  SynapseRunPendingError,
  SynapseStreamEndedError,
} from './failures.js';
import { askableFields, readHumanFields, unshownFieldsNote } from './human-fields.js';
import { isRecord, type RunOutput, toRunOutput } from './schemas.js';
import { type StepError, withStepErrors } from './step-errors.js';
import { eventMessage, nameOrId, readUntilDone, type SynapseEvent, said } from './stream.js';
import { cutText, quotable, sentence, str } from './text.js';

interface RunProgressState {
  stepNumber: number;
  stepNames: Map<string, string>;
}

/** The step an event is about, as a progress message names it (nameOrId). */
function stepLabel(ev: SynapseEvent, st: RunProgressState): unknown {
  const id = str(ev.orch_step_id);
  return nameOrId(str(ev.step_name) ?? (id ? st.stepNames.get(id) : undefined), id) ?? 'step';
}

/** Where a routing or branching event goes: the end, or a step. */
function target(ev: SynapseEvent): ProgressText {
  return ev.target_step_id === null ? said`end` : said`step ${ev.target_step_id}`;
}

function runMessage(ev: SynapseEvent, st: RunProgressState): string | ProgressText {
  switch (ev.type) {
    case 'orchestration_start':
      return said`orchestration started: ${nameOrId(ev.orchestration_name, ev.orchestration_id)} (run ${ev.run_id})`;
    case 'step_start': {
      st.stepNumber += 1;
      const id = str(ev.orch_step_id);
      const name = str(ev.step_name);
      if (id && name) st.stepNames.set(id, name);
      return said`step ${st.stepNumber} started: ${nameOrId(name, id)}${ev.step_type ? said` (${ev.step_type})` : ''}`;
    }
    case 'step_complete':
      return said`step finished: ${stepLabel(ev, st)}${typeof ev.duration_seconds === 'number' ? said` (${ev.duration_seconds} s)` : ''}`;
    case 'step_error':
      return said`step failed: ${stepLabel(ev, st)}: ${ev.error}`;
    case 'step_warning':
      return said`step warning: ${stepLabel(ev, st)}: ${ev.message}`;
    case 'thinking':
      return said`${stepLabel(ev, st)}: thinking${ev.message ? said` \u2014 ${ev.message}` : ''}`;
    case 'status':
      return said`${stepLabel(ev, st)}: ${ev.message}`;
    case 'tool_execution':
      return said`tool used: ${ev.tool_name} (${stepLabel(ev, st)})`;
    case 'tool_result':
      return said`tool result: ${ev.tool_name}${ev.preview ? said` \u2014 ${ev.preview}` : ''}`;
    case 'llm_thought':
      return said`${stepLabel(ev, st)}: thought \u2014 ${ev.thought}`;
    case 'final':
      return isRunFinal(ev) ? 'final response received' : said`${stepLabel(ev, st)}: agent answered`;
    case 'routing_decision': {
      if (ev.target_step_id !== undefined || ev.decision !== undefined) {
        return said`routing \u2192 ${target(ev)}: ${ev.reasoning || ev.decision}`;
      }
      const args = isRecord(ev.arguments) ? ev.arguments : {};
      const label = (str(ev.tool_name) ?? '').replace(/^route_/, '');
      return said`route chosen: ${label}${args.reasoning ? said` \u2014 ${args.reasoning}` : ''}`;
    }
    case 'if_decision':
    case 'switch_decision': {
      const kind = ev.type === 'if_decision' ? said`if` : said`switch`;
      const choice = ev.matched_case ?? ev.result ?? ev.decision;
      if (ev.target_step_id === undefined && typeof ev.condition === 'string') {
        // The step's own verdict; the routing that follows names the target.
        return said`${kind}: ${ev.condition} \u2192 ${choice}`;
      }
      return said`${kind}${choice !== undefined ? said` ${choice}` : ''} \u2192 ${target(ev)}`;
    }
    case 'parallel_start':
      return said`parallel: ${ev.branch_count} branches started`;
    case 'branch_start':
      return said`branch ${typeof ev.branch_index === 'number' ? ev.branch_index + 1 : said`?`}/${ev.branch_count} started`;
    case 'parallel_complete':
      return said`parallel: ${ev.branch_count} branches finished`;
    case 'merge_complete':
      return said`merged ${ev.input_count} outputs (${ev.strategy})`;
    case 'loop_iteration':
      return said`loop iteration ${ev.iteration}/${ev.total}`;
    case 'loop_complete':
      return said`loop finished (${ev.iterations_completed} iterations)`;
    case 'loop_limit_reached':
      return said`loop limit reached at step ${ev.orch_step_id} (${ev.iterations}/${ev.max_iterations})`;
    case 'transform_result':
      return said`transform done: ${stepLabel(ev, st)}`;
    case 'orchestration_end':
      return 'reached the end step';
    case 'human_input_required':
      return said`waiting for human input: ${ev.prompt}`;
    case 'orchestration_complete':
      // No status is no outcome (as in streamRun's result): never announced as "completed".
      return str(ev.status) ? said`orchestration ${ev.status}` : 'orchestration finished (no status)';
    default:
      return eventMessage(ev);
  }
}

/** True for the run's own `final` event (agent steps also send `final`, tagged with their step id). */
function isRunFinal(ev: SynapseEvent): boolean {
  if (ev.type !== 'final') return false;
  return ev.orch_step_id === undefined || ev.intent === 'orchestration' || isRecord(ev.data);
}

/** A sync call's read of a run stream: no progress, and a time limit after which the run goes on unseen. */
export interface RunReadOptions {
  /** Epoch ms at which the call answers even though the run has not finished. */
  until: number;
}

/**
 * The call ran out of time while the run goes on upstream (Synapse v1 can neither stop nor read a run). The
 * last step seen is Synapse's name for it: fenced as data in the error result, never in syn-mcp's words.
 */
function stillRunning(
  runId: string,
  lastStep: string | undefined,
  waitedMs: number,
  resumed = false,
): SynapseRunPendingError {
  const seconds = Math.max(1, Math.round(waitedMs / 1000));
  const where = lastStep ? ' (the last step seen is below)' : '';
  const id = runId
    ? `run ${runId}${where} has not finished within this call's ${seconds} s; it may still be running in Synapse`
    : `run${where} has not reported its run_id within this call's ${seconds} s; it may still be running in Synapse`;
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
    lastStep ? { text: `last step seen: "${cutText(lastStep, 80)}"`, source: 'synapse' } : undefined,
  );
}

/**
 * An `orchestration_error` event as an error: Synapse's words fenced as data, the hint syn-mcp's. A resume
 * stream reports an unknown run this way, inside its HTTP 200 (api-notes §2b): told as the "not found" it
 * is, naming the run id the caller gave.
 */
function orchestrationError(error: string | undefined, resumedRunId: string): SynapseReportedError {
  const said = sentence(error ?? 'unknown error');
  const upstream = { text: said, source: 'synapse' as const };
  if (resumedRunId && /^Run '.*' not found\.$/.test(said)) {
    return new SynapseReportedError(
      `Synapse: run ${resumedRunId} not found; nothing was resumed. Check run_id: it comes from a paused ` +
        'run_orchestration or resume_orchestration_run result.',
      upstream,
    );
  }
  return new SynapseReportedError(
    'Synapse orchestration error (below). The run stopped; tell the user. Running it again will fail the ' +
      'same way until the cause is fixed.',
    upstream,
  );
}

/**
 * `/run/stream` and `/resume/stream`: progress per event, then the run's result assembled from
 * `human_input_required` (paused) or `orchestration_complete` + `final`. `orchestration_error` is an error;
 * so is a step whose model call failed (an `error` event tagged with the step, or a `Local Agent Error:`
 * output), once the stream has ended. `knownRunId` is the run a resume continues ('' for a new run, whose id
 * comes in `orchestration_start`). With `sync`, the read stops at `sync.until` and the call says the run may
 * still be running, with its run_id.
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
  const stepErrors: StepError[] = [];
  const stepName = (ev: SynapseEvent): string | undefined => {
    const id = str(ev.orch_step_id);
    return str(ev.step_name) ?? (id ? st.stepNames.get(id) : undefined);
  };
  const read = readUntilDone(
    ctx,
    path,
    body,
    async (ev) => {
      if (ev.type === 'orchestration_error') throw orchestrationError(str(ev.error), knownRunId);
      // Run ids are quoted in syn-mcp's own words (still running, stream ended): only id-shaped ones are taken.
      if (ev.type === 'orchestration_start') runId = quotable(str(ev.run_id)) ?? runId;
      if (ev.type === 'step_start') lastStep = str(ev.step_name) ?? str(ev.orch_step_id) ?? lastStep;
      if (ev.type === 'human_input_required') {
        paused = ev;
        runId = quotable(str(ev.run_id)) ?? runId;
      }
      if (ev.type === 'step_error') {
        stepErrors.push({ stepId: str(ev.orch_step_id), stepName: stepName(ev), error: str(ev.error) ?? '' });
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
      await ctx.progress({ message: progressMessage(ev, st, failures) });
    },
    'orchestration',
    sync
      ? {
          until: sync.until,
          // Only a resume knows its run id before the stream starts.
          expired: () => stillRunning(runId, lastStep, Date.now() - started, knownRunId !== ''),
        }
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
  // No status is no outcome: never read as 'completed' (toRunOutput words 'unknown').
  const status = str(complete?.status) ?? str(data.status) ?? (paused ? 'paused' : 'unknown');
  const failure = failures[0];
  if (failure) throw runModelFailure(runId, failure, status, paused && pendingStep(paused));
  if (paused) {
    const out = toRunOutput(
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
    return withStepErrors(out, stepErrors);
  }
  if (!final && !complete) {
    throw new SynapseReportedError(
      'Synapse orchestration stream finished without a result (no final or orchestration_complete event); ' +
        'its outcome is unknown.',
    );
  }
  const out = toRunOutput(
    {
      status,
      run_id: str(data.run_id) ?? str(complete?.run_id) ?? runId,
      // Only Synapse's own words: a run whose events carry no response has none (toRunOutput leaves it out).
      response: final?.response,
      shared_state: complete?.final_state ?? data.shared_state,
      step_history: data.step_history,
    },
    runId,
  );
  return withStepErrors(out, stepErrors);
}

/** The human step a run paused at, as a model-failure error names it. */
function pendingStep(paused: Record<string, unknown>): PendingHumanStep {
  const specs = readHumanFields(paused.fields);
  return {
    stepId: str(paused.orch_step_id),
    prompt: str(paused.prompt),
    fields: askableFields(specs).map((f) => f.name),
    unshown: unshownFieldsNote(specs),
  };
}

/** The progress message of a run event; a step whose model failed is never told as "agent answered". */
function progressMessage(
  ev: SynapseEvent,
  st: RunProgressState,
  failures: readonly StepModelFailure[],
): string | ProgressText {
  if (ev.type === 'error') return said`model call failed: ${stepLabel(ev, st)}: ${ev.message ?? ev.error}`;
  if (ev.type === 'final' && !isRunFinal(ev)) {
    if (isLocalAgentError(ev.response)) return said`model call failed: ${stepLabel(ev, st)}: ${ev.response}`;
    const id = str(ev.orch_step_id);
    if (id !== undefined && failures.some((f) => f.stepId === id)) {
      return said`${stepLabel(ev, st)}: the model error was kept as the step's output`;
    }
  }
  return runMessage(ev, st);
}
