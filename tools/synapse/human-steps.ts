/**
 * Synapse's paused runs for the server's human steps (src/confirm/human-steps.ts): a run_orchestration or
 * resume_orchestration_run result with status "paused" and named human-input fields is asked of the user
 * with the step's typed form (human-form.ts), and the typed answers resume it through
 * resume_orchestration_run. A paused step without named fields (a free-text question) is left to the model
 * as before.
 */
import type { HumanStepsAdapter, PausedRun } from '../../src/confirm/human-steps.js';
import { stripInvisible } from '../../src/fence.js';
import { isRecord } from '../../src/json.js';
import { askableFields, type HumanFieldSpec, readHumanFields, unshownFieldsNote } from './human-fields.js';
import { answersFrom, formFor } from './human-form.js';

/** Longest piece of the agent's recent output shown above the form. */
const MAX_CONTEXT = 300;
const MAX_PROMPT = 500;

function cut(text: string, max: number): string {
  const clean = stripInvisible(text).trim();
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

function pausedRun(structured: unknown): PausedRun | undefined {
  if (!isRecord(structured) || structured.status !== 'paused') return undefined;
  const runId = structured.run_id;
  const human = structured.human_input_required;
  if (typeof runId !== 'string' || runId === '' || !isRecord(human)) return undefined;
  const specs = readHumanFields(human.fields);
  const fields = askableFields(specs);
  if (fields.length === 0) return undefined;
  const prompt =
    typeof human.prompt === 'string' && human.prompt.trim() !== '' ? cut(human.prompt, MAX_PROMPT) : '';
  const context =
    typeof human.agent_context === 'string' && human.agent_context.trim() !== ''
      ? `\n\nThe agent's latest output: ${cut(human.agent_context, MAX_CONTEXT)}`
      : '';
  // Fields without a name, or repeating one, cannot be in the form: the user is told, not left to think the
  // form is whole.
  const unshown = unshownFieldsNote(specs);
  const message = `Synapse orchestration run ${runId} is waiting for your input.${prompt ? `\n\n${prompt}` : ''}${context}${unshown && `\n\n${unshown.trim()}`}`;
  return { runId, message, fields };
}

/** Longest prompt or agent context kept between rounds. */
const MAX_KEPT_TEXT = 2_000;

/** The paused step with its prompt and agent context cut to MAX_KEPT_TEXT. */
function trimHuman(human: unknown): unknown {
  if (!isRecord(human)) return human;
  const out: Record<string, unknown> = { ...human };
  for (const key of ['prompt', 'agent_context']) {
    const text = out[key];
    if (typeof text === 'string' && text.length > MAX_KEPT_TEXT)
      out[key] = `${text.slice(0, MAX_KEPT_TEXT - 1)}…`;
  }
  return out;
}

/** Synapse runs paused at a HUMAN step, as the server's human steps read and resume them. */
export const synapseHumanSteps: HumanStepsAdapter = {
  tools: ['run_orchestration', 'resume_orchestration_run'],
  resumeTool: 'resume_orchestration_run',
  resumeArgs: (runId, response) => ({ run_id: runId, response }),
  pausedRun,
  form: (fields) => formFor(fields as HumanFieldSpec[]),
  answers(content, fields) {
    const parsed = answersFrom(content, fields as HumanFieldSpec[]);
    return parsed.ok ? { ok: true, response: parsed.response } : { ok: false };
  },
  // Kept in the sealed state between rounds: upstream text is cut so the state stays small.
  keep: (structured) => {
    const { status, run_id, human_input_required, next_step } = structured;
    return { status, run_id, human_input_required: trimHuman(human_input_required), next_step };
  },
};
