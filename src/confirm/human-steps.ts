/**
 * Human steps through the client: when a call's result is a workflow paused for a person (a Synapse run at
 * a HUMAN step) and the client can show a form, the user is asked directly with the step's typed form, the
 * answers resume the run, and this repeats until it completes or the user declines. Declined (or cancelled,
 * timed out, an answer that does not fit the form) → the paused result as it is, with its run id, so the
 * run can be resumed later. Protocol-neutral like the gate: a 2025 session is asked and waited for; a
 * 2026-07-28 request gets `input_required` rounds whose sealed state carries the run between them.
 */
import type { ElicitAnswer } from './answer.js';
import { type StateBinding, StateError, type StateSealer } from './state.js';

/** The key of the human step's form in `inputRequests` / `inputResponses`. */
export const HUMAN_INPUT = 'human';
/** The kind of round sealed in a human step's request state. */
export const HUMAN_KIND = 'human-step';
/** Most forms one call asks before it gives the paused result back (a workflow that never stops asking). */
export const MAX_HUMAN_ROUNDS = 8;

/** A run paused for a person, as an adapter reads it from a tool's structured result. */
export interface PausedRun {
  runId: string;
  /** The question, for the form's message. */
  message: string;
  /** The step's fields, as the adapter reads them (JSON: sealed between rounds). */
  fields: unknown;
}

/** A flat form-elicitation schema. */
export interface HumanForm {
  type: 'object';
  properties: Record<string, object>;
  required: string[];
}

/** What the server needs to know of a service whose runs pause for people (tools/synapse provides it). */
export interface HumanStepsAdapter {
  /** Tools whose results may be a paused run. */
  readonly tools: readonly string[];
  /** The tool that resumes a paused run. */
  readonly resumeTool: string;
  resumeArgs(runId: string, response: Record<string, unknown>): Record<string, unknown>;
  /** The paused run in a result, or undefined when the result is not paused. */
  pausedRun(structured: unknown): PausedRun | undefined;
  form(fields: unknown): HumanForm;
  /** The form's content as the resume answers, or what does not fit. */
  answers(content: unknown, fields: unknown): { ok: true; response: Record<string, unknown> } | { ok: false };
  /** The part of a paused result kept between rounds, given back as the result on a decline. */
  keep(structured: Record<string, unknown>): Record<string, unknown>;
}

/** A tool result as the steps see it. */
export interface StepResult {
  isError?: boolean | undefined;
  structuredContent?: unknown;
}

/** A form elicitation's parameters. */
export interface HumanElicitation {
  mode: 'form';
  message: string;
  requestedSchema: HumanForm;
}

/** What is sealed between 2026 rounds. */
interface Sealed {
  runId: string;
  message: string;
  fields: unknown;
  kept: Record<string, unknown>;
  round: number;
}

function isSealed(v: unknown): v is Sealed {
  if (v === null || typeof v !== 'object') return false;
  const s = v as Record<string, unknown>;
  return (
    typeof s.runId === 'string' &&
    typeof s.message === 'string' &&
    typeof s.round === 'number' &&
    s.kept !== null &&
    typeof s.kept === 'object' &&
    'fields' in s
  );
}

function elicitationOf(adapter: HumanStepsAdapter, run: PausedRun): HumanElicitation {
  return { mode: 'form', message: run.message, requestedSchema: adapter.form(run.fields) };
}

/** The answers of an accepted form that fits, else undefined (declined, cancelled, or not fitting). */
function responseOf(
  adapter: HumanStepsAdapter,
  answer: ElicitAnswer | undefined,
  fields: unknown,
): Record<string, unknown> | undefined {
  if (answer?.action !== 'accept') return undefined;
  const parsed = adapter.answers(answer.content ?? {}, fields);
  return parsed.ok ? parsed.response : undefined;
}

/**
 * A 2025 session: asks while the result is a paused run, resuming with each accepted answer; resolves to
 * the last result (completed, failed, or still paused when the user did not answer).
 */
export async function humanStepsByAsking<R extends StepResult>(
  first: R,
  opts: {
    adapter: HumanStepsAdapter;
    ask(params: HumanElicitation): Promise<ElicitAnswer>;
    resume(args: Record<string, unknown>): Promise<R>;
  },
): Promise<R> {
  const { adapter } = opts;
  let result = first;
  for (let round = 0; round < MAX_HUMAN_ROUNDS; round++) {
    if (result.isError) return result;
    const run = adapter.pausedRun(result.structuredContent);
    if (!run) return result;
    let answer: ElicitAnswer | undefined;
    try {
      answer = await opts.ask(elicitationOf(adapter, run));
    } catch {
      answer = undefined;
    }
    const response = responseOf(adapter, answer, run.fields);
    if (!response) return result;
    result = await opts.resume(adapter.resumeArgs(run.runId, response));
  }
  return result;
}

/** The outcome of a 2026 round: a result to return, or another round asking the user. */
export type RoundOutcome<R> =
  | { kind: 'result'; result: R }
  | { kind: 'ask'; inputRequests: Record<string, HumanElicitation>; requestState: string };

/**
 * A 2026 request whose result is in: when it is a paused run, the first round asking the user (its state
 * sealed to this call); else the result itself.
 */
export function firstHumanRound<R extends StepResult>(
  result: R,
  opts: {
    adapter: HumanStepsAdapter;
    sealer: StateSealer;
    binding: Omit<StateBinding, 'kind'>;
    round?: number;
  },
): RoundOutcome<R> {
  const { adapter } = opts;
  if (result.isError) return { kind: 'result', result };
  const run = adapter.pausedRun(result.structuredContent);
  const round = opts.round ?? 0;
  const structured = result.structuredContent;
  if (!run || structured === null || typeof structured !== 'object' || round >= MAX_HUMAN_ROUNDS) {
    return { kind: 'result', result };
  }
  const sealed: Sealed = {
    runId: run.runId,
    message: run.message,
    fields: run.fields,
    kept: adapter.keep(structured as Record<string, unknown>),
    round,
  };
  return {
    kind: 'ask',
    inputRequests: { [HUMAN_INPUT]: elicitationOf(adapter, run) },
    requestState: opts.sealer.seal({ ...opts.binding, kind: HUMAN_KIND }, sealed),
  };
}

/**
 * A 2026 retry carrying a human step's state (opened here: a StateError for one that is malformed,
 * tampered, for another call, expired or reused). Accepted answers that fit resume the run, and its result
 * goes round again; no answer yet → asked again; declined, cancelled or not fitting → the paused result.
 */
export async function nextHumanRound<R extends StepResult>(
  requestState: string,
  responses: Readonly<Record<string, unknown>> | undefined,
  opts: {
    adapter: HumanStepsAdapter;
    sealer: StateSealer;
    binding: Omit<StateBinding, 'kind'>;
    resume(args: Record<string, unknown>): Promise<R>;
    /** The kept paused result as this call's result (the boundary's formatting). */
    paused(kept: Record<string, unknown>): R;
  },
): Promise<RoundOutcome<R>> {
  const { adapter, sealer, binding } = opts;
  const data = await sealer.open(requestState, { ...binding, kind: HUMAN_KIND });
  // Sealed by this server under its key, so only a change of this module's format can fail here.
  if (!isSealed(data)) throw new StateError('malformed');
  const entry = responses?.[HUMAN_INPUT];
  const answer =
    entry !== null && typeof entry === 'object' && typeof (entry as { action?: unknown }).action === 'string'
      ? (entry as ElicitAnswer)
      : undefined;
  if (!answer) {
    // No answer came with the state: ask the same question again.
    return {
      kind: 'ask',
      inputRequests: { [HUMAN_INPUT]: elicitationOf(adapter, data) },
      requestState: sealer.seal({ ...binding, kind: HUMAN_KIND }, data),
    };
  }
  const response = responseOf(adapter, answer, data.fields);
  if (!response) return { kind: 'result', result: opts.paused(data.kept) };
  const result = await opts.resume(adapter.resumeArgs(data.runId, response));
  return firstHumanRound(result, { adapter, sealer, binding, round: data.round + 1 });
}
