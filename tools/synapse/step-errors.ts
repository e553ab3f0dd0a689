/**
 * The `step_error` events of a run stream, told in the run's result. Synapse can report an error at a step and
 * still end the run "completed" (or pause it), with a step_history that does not mention it: the result must
 * not then read as a clean run. The guidance names the steps (ids only when id-shaped); Synapse's message goes
 * into that step's step_history entry, a data field the result fences.
 */
import type { StepModelFailure } from './failures.js';
import type { RunOutput } from './schemas.js';
import { quotable } from './text.js';

/** A step Synapse reported an error at (`step_error {orch_step_id, error}`). */
export type StepError = StepModelFailure;

/** `out` with each step error in step_history and said in next_step (a "failed" run already says so). */
export function withStepErrors(out: RunOutput, errors: readonly StepError[]): RunOutput {
  if (errors.length === 0 || out.status === 'failed') return out;
  const history = [...(out.step_history ?? [])];
  for (const e of errors) {
    // One entry per step: Synapse's own (or one added for an earlier error) keeps any error it already has, so
    // the history never reads as if the step ran twice.
    const i = history.findIndex((h) => e.stepId !== undefined && h.step_id === e.stepId);
    const entry = history[i];
    if (entry) history[i] = entry.error ? entry : { ...entry, error: e.error };
    // A step the history leaves out gets an entry of its own: its id, name and Synapse's error, no status.
    else history.push({ step_id: e.stepId ?? null, step_name: e.stepName ?? null, error: e.error });
  }
  const names = errors.map((e) => quotable(e.stepId));
  const steps = names.every((n) => n !== undefined)
    ? `step${names.length > 1 ? 's' : ''} ${[...new Set(names)].map((n) => `"${n}"`).join(', ')}`
    : `${errors.length} step(s)`;
  const told =
    `Synapse reported an error at ${steps} during this run (the message is in that step's step_history ` +
    `entry, field error), yet reports the run "${quotable(out.status) ?? 'unknown'}": its result may be ` +
    'incomplete or wrong. Tell the user which step failed before relying on it.';
  return { ...out, step_history: history, next_step: out.next_step ? `${told} ${out.next_step}` : told };
}
