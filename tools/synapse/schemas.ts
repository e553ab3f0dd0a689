import { z } from 'zod';
import { NotFoundError, SynError } from '../../src/errors.js';
import { isRecord } from '../../src/json.js';
import { conform, type ToolContext } from '../../src/tool.js';
import { isLocalAgentError, runModelFailure, type StepModelFailure } from './failures.js';
import {
  askableFields,
  type HumanFieldSpec,
  placeholder,
  readHumanFields,
  unshownFieldsNote,
} from './human-fields.js';
import { quotable, str } from './text.js';

export { isRecord };

/** GET a Synapse path. */
export function synapseGet(ctx: ToolContext, path: string): Promise<unknown> {
  return ctx.api.synapse.get(path);
}

/** The documented API root, for messages (tools never read the configuration). */
const EXAMPLE_BASE = 'http://localhost:8765/api/v1';

/**
 * GET a Synapse list (`/agents`, `/orchestrations`): these routes always exist and answer a bare array
 * (api-notes §2), so a 404 means the base URL does not point at the API, not that an id is wrong, and an
 * answer that is not an array is not a list at all (never read as an empty one).
 */
export async function synapseList(ctx: ToolContext, path: string, what: string): Promise<unknown[]> {
  let data: unknown;
  try {
    data = await synapseGet(ctx, path);
  } catch (err) {
    if (err instanceof NotFoundError) {
      throw new SynError(
        `Synapse answered HTTP 404 to the list of ${what}, a route every Synapse API has: SYNAPSE_BASE_URL ` +
          `does not point at the Synapse API (it must be the API root ending in /api/v1, e.g. ${EXAMPLE_BASE}). ` +
          'Ask the user to check SYNAPSE_BASE_URL; retrying will not help.',
      );
    }
    throw err;
  }
  if (Array.isArray(data)) return data;
  throw new SynError(
    `Synapse answered the list of ${what} with something that is not a list, so which ${what} exist is not ` +
      `known (not none). SYNAPSE_BASE_URL may point at another service: it must be the API root ending in ` +
      '/api/v1. Ask the user to check it; retrying will not help.',
  );
}

// ── Agents ────────────────────────────────────────────────────────────────────

/** An agent as `GET /agents` lists it. */
export const agentSummary = z.object({
  id: z.string(),
  name: z.string(),
  type: z.string().nullable().optional().describe('e.g. conversational'),
  model: z.string().nullable().optional().describe('Empty or null when the global default model is used'),
  capabilities: z.array(z.unknown()).optional(),
});

/** An agent as `GET /agents/{agent_id}` returns it. */
export const agentDetail = agentSummary.extend({ description: z.string().nullable().optional() });

/** Keeps the declared agent fields of an upstream agent (`description` only for the detail). */
export function toAgent(raw: unknown, withDescription = false): z.input<typeof agentDetail> {
  return conform(withDescription ? agentDetail : agentSummary, raw);
}

// ── Orchestrations ───────────────────────────────────────────────────────────

/** An orchestration as `GET /orchestrations` lists it (`steps` is a count). */
export const orchestrationSummary = z.object({
  id: z.string(),
  name: z.string().nullable().optional(),
  description: z.string().nullable().optional(),
  steps: z.number().optional().describe('Number of steps'),
});

/** One step of an orchestration graph. */
export const orchestrationStep = z.object({
  id: z.string(),
  label: z.string().nullable().optional(),
  type: z
    .string()
    .nullable()
    .optional()
    .describe('agent, evaluator, human, parallel, merge, loop, transform, end…'),
  agent_id: z.string().nullable().optional(),
  depends_on: z.array(z.string()).optional(),
});

/** An orchestration with its steps, as `GET /orchestrations/{orch_id}` returns it. */
export const orchestrationDetail = z.object({
  id: z.string(),
  name: z.string().nullable().optional(),
  description: z.string().nullable().optional(),
  steps: z.array(orchestrationStep),
  edges: z.array(z.unknown()).optional(),
});

/** Keeps the declared fields of a listed orchestration (`steps` is a count; a list is counted). */
export function toOrchestrationSummary(raw: unknown): z.input<typeof orchestrationSummary> {
  const out = conform(orchestrationSummary, raw);
  if (isRecord(raw) && Array.isArray(raw.steps)) out.steps = raw.steps.length;
  return out;
}

/** Keeps the declared fields of an orchestration and of each of its steps. */
export function toOrchestrationDetail(raw: unknown): z.input<typeof orchestrationDetail> {
  const o = isRecord(raw) ? raw : {};
  const { steps: _steps, ...top } = conform(orchestrationDetail, raw);
  const steps = (Array.isArray(o.steps) ? o.steps : [])
    .filter(isRecord)
    .map((s) => conform(orchestrationStep, s));
  return { ...top, steps };
}

// ── Chat ─────────────────────────────────────────────────────────────────────

/** What a chat turn returns. */
export const chatOutput = z.object({
  response: z.string().describe("The agent's answer"),
  agent_id: z.string().optional().describe('The agent that answered (after name resolution)'),
  agent_name: z.string().optional(),
  session_id: z.string().optional().describe('Pass back as session_id to continue this conversation'),
  note: z.string().optional(),
});
export type ChatOutput = z.input<typeof chatOutput>;

// ── Runs ─────────────────────────────────────────────────────────────────────

/** A field the paused step asks the human to fill. */
export const humanField = z.object({
  name: z
    .string()
    .describe("Key to use in resume_orchestration_run `response` (the field's name, else its key)"),
  type: z
    .string()
    .describe('boolean → answer true/false; number → a number; select → one of options; text, email, date…'),
  label: z.string().optional().describe('What to ask the user'),
  options: z
    .array(z.union([z.string(), z.number(), z.boolean()]))
    .optional()
    .describe('The allowed answers of a select field'),
  multiple: z.boolean().optional().describe('True: the answer is an array of options'),
});

/** One entry of a run's step history, trimmed. */
export const stepHistoryEntry = z.object({
  step_id: z.string().nullable().optional(),
  step_name: z.string().nullable().optional(),
  step_type: z.string().nullable().optional(),
  status: z.string().nullable().optional(),
  duration_seconds: z.number().nullable().optional(),
  error: z.string().nullable().optional(),
});

/** The result of run_orchestration and resume_orchestration_run: finished, failed or paused. */
export const runOutput = z.object({
  status: z
    .string()
    .describe(
      'completed, failed, paused (waiting for a human), cancelled, running, or unknown (Synapse gave none)',
    ),
  run_id: z.string().describe('Id of the run; pass it to resume_orchestration_run when paused'),
  response: z.string().optional().describe('Final answer of the run (absent while paused)'),
  human_input_required: z
    .object({
      step_id: z.string().nullable().optional(),
      prompt: z.string().nullable().optional().describe('The question to put to the user'),
      fields: z.array(humanField),
      agent_context: z.string().nullable().optional().describe('Recent agent output to show the user'),
    })
    .optional()
    .describe('Present when status is paused'),
  next_step: z.string().optional().describe('What to do next (paused or failed runs)'),
  shared_state: z
    .record(z.string(), z.unknown())
    .optional()
    .describe('Step outputs by output key (internal keys starting with _ removed)'),
  step_history: z.array(stepHistoryEntry).optional(),
});
export type RunOutput = z.input<typeof runOutput>;

function nullableStr(v: unknown): string | null | undefined {
  if (v === null) return null;
  if (typeof v === 'string') return v;
  if (v === undefined) return undefined;
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function fieldsOf(specs: readonly HumanFieldSpec[]): Array<z.input<typeof humanField>> {
  return specs.map((f) => {
    const field: z.input<typeof humanField> = { name: f.name, type: f.type };
    if (f.label !== undefined) field.label = f.label;
    if (f.options !== undefined) field.options = f.options;
    if (f.multiple) field.multiple = true;
    return field;
  });
}

/**
 * What to do with a paused run, in syn-mcp's words: the prompt and labels are Synapse's, so the words point at
 * their fields instead of quoting them; the run id and field names are quoted only when id-shaped.
 */
function pausedNextStep(
  runId: string,
  prompt: string | null | undefined,
  specs: readonly HumanFieldSpec[],
): string {
  const named = askableFields(specs);
  const asked = prompt
    ? ' Ask the user the question in human_input_required.prompt'
    : ' Ask the user for the input it needs';
  const perField =
    named.length > 0
      ? ', one answer per entry of human_input_required.fields (its label says what to ask).'
      : '.';
  const example =
    named.length === 0
      ? '{"response": "<the user\'s answer>"}'
      : named.every((f) => quotable(f.name) !== undefined)
        ? `{${named.map((f) => `"${f.name}": ${placeholder(f)}`).join(', ')}}`
        : 'an object keyed by the names in human_input_required.fields';
  const typed =
    named.length > 0
      ? ' Send each answer with its JSON type (true/false and numbers unquoted, options exactly as listed): ' +
        'Synapse compares typed values, so a quoted "true" counts as not approved.'
      : '';
  const id = quotable(runId);
  const run = id ? `run_id "${id}"` : "this result's run_id";
  const unnamed = unshownFieldsNote(specs);
  return (
    `The run is paused waiting for human input.${asked}${perField} Then call resume_orchestration_run ` +
    `with ${run} and response ${example}.${typed}${unnamed && `${unnamed} Tell the user.`} Do not invent the ` +
    'answers: ask the user.'
  );
}

/**
 * A step whose output is a `Local Agent Error:` text (the sync RunResult's only trace of a model failure,
 * api-notes §2c): found through `step_history[].output_key` → `shared_state`, or in the final response.
 */
function modelFailureOf(r: Record<string, unknown>): StepModelFailure | undefined {
  const state = isRecord(r.shared_state) ? r.shared_state : {};
  const history = Array.isArray(r.step_history) ? r.step_history.filter(isRecord) : [];
  for (const h of history) {
    const key = str(h.output_key);
    const output = key !== undefined ? state[key] : undefined;
    if (isLocalAgentError(output)) {
      return { stepId: str(h.step_id), stepName: str(h.step_name), error: output };
    }
  }
  if (isLocalAgentError(r.response)) return { error: r.response };
  return undefined;
}

/**
 * Shapes a RunResult (sync answer, or one assembled from stream events) for the model: a paused run gets
 * its question and a `next_step` telling the agent to ask the user and resume.
 */
export function toRunOutput(raw: unknown, fallbackRunId: string): RunOutput {
  const r = isRecord(raw) ? raw : {};
  const runId = str(r.run_id) || fallbackRunId;
  // No status is no outcome: never read as 'completed' (a run the model would then report as done).
  const status = str(r.status) ?? 'unknown';
  const hir = isRecord(r.human_input_required) ? r.human_input_required : undefined;
  if (status === 'paused' || hir) {
    const h = hir ?? {};
    const specs = readHumanFields(h.fields);
    const prompt = nullableStr(h.prompt);
    const human: NonNullable<RunOutput['human_input_required']> = { fields: fieldsOf(specs) };
    const stepId = nullableStr(h.step_id);
    const context = nullableStr(h.agent_context);
    if (stepId !== undefined) human.step_id = stepId;
    if (prompt !== undefined) human.prompt = prompt;
    if (context !== undefined) human.agent_context = context;
    return {
      status: 'paused',
      run_id: runId,
      human_input_required: human,
      next_step: pausedNextStep(runId, prompt, specs),
    };
  }
  const failure = modelFailureOf(r);
  if (failure) throw runModelFailure(runId, failure, status);
  const out: RunOutput = { status, run_id: runId };
  const response = str(r.response);
  if (response !== undefined) out.response = response;
  if (isRecord(r.shared_state)) {
    out.shared_state = Object.fromEntries(Object.entries(r.shared_state).filter(([k]) => !k.startsWith('_')));
  }
  if (Array.isArray(r.step_history)) {
    out.step_history = r.step_history.filter(isRecord).map((h) => {
      const entry: z.input<typeof stepHistoryEntry> = {};
      for (const key of ['step_id', 'step_name', 'step_type', 'status', 'error'] as const) {
        const v = nullableStr(h[key]);
        if (v !== undefined) entry[key] = v;
      }
      if (typeof h.duration_seconds === 'number') entry.duration_seconds = h.duration_seconds;
      return entry;
    });
  }
  if (status === 'unknown') {
    out.next_step =
      'Synapse answered without a status, so whether the run finished is not known. Tell the user; do not ' +
      'resume or run it again on the assumption that it completed.';
  }
  if (status === 'failed') {
    const failed = out.step_history?.findLast((h) => h.error);
    out.next_step =
      `The run failed${failed ? ' at a step (its error is in step_history)' : ''}. Tell the user what failed ` +
      '(see response and step_history); run it again only after the cause is fixed.';
  }
  return out;
}
