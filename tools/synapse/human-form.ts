/**
 * A paused Synapse run's human-input fields as an MCP form elicitation (`requestedSchema`: a flat object of
 * primitive properties), and the user's form answers back as the typed `response` object that
 * resume_orchestration_run sends. Pure: no I/O; the elicitation itself is wired elsewhere. `fields` come from
 * `readHumanFields()` of the upstream `human_input_required.fields` (option titles kept) or of a paused
 * run_orchestration result's fields (the same names, types, options and `multiple`).
 */
import { isRecord } from '../../src/json.js';
import { answerKind, askableFields, type HumanFieldSpec, type OptionValue } from './human-fields.js';

/** One property of a form-elicitation schema (MCP restricts these to primitives and enum arrays). */
export type FormProperty =
  | { type: 'boolean'; title?: string }
  | { type: 'number' | 'integer'; title?: string }
  | { type: 'string'; title?: string; format?: 'email' | 'date' }
  | { type: 'string'; title?: string; enum: string[] }
  | { type: 'string'; title?: string; oneOf: Array<{ const: string; title: string }> }
  | { type: 'array'; title?: string; items: { type: 'string'; enum: string[] } }
  | { type: 'array'; title?: string; items: { anyOf: Array<{ const: string; title: string }> } };

/** A form elicitation's `requestedSchema`. */
export interface FormSchema {
  type: 'object';
  properties: Record<string, FormProperty>;
  required: string[];
}

function withTitle<T extends object>(prop: T, field: HumanFieldSpec): T & { title?: string } {
  return field.label ? { ...prop, title: field.label } : prop;
}

/** The form's string for an option value (a form enum holds strings only). */
function optionKey(v: OptionValue): string {
  return String(v);
}

function propertyFor(field: HumanFieldSpec): FormProperty {
  const options = field.options ?? [];
  switch (answerKind(field)) {
    case 'boolean':
      return withTitle({ type: 'boolean' as const }, field);
    case 'number':
      return withTitle({ type: 'number' as const }, field);
    case 'integer':
      return withTitle({ type: 'integer' as const }, field);
    case 'select': {
      const labels = field.optionLabels;
      if (labels?.some((l) => l !== undefined)) {
        const oneOf = options.map((v, i) => ({ const: optionKey(v), title: labels[i] ?? optionKey(v) }));
        return withTitle({ type: 'string' as const, oneOf }, field);
      }
      return withTitle({ type: 'string' as const, enum: options.map(optionKey) }, field);
    }
    case 'multiselect': {
      const labels = field.optionLabels;
      if (labels?.some((l) => l !== undefined)) {
        const anyOf = options.map((v, i) => ({ const: optionKey(v), title: labels[i] ?? optionKey(v) }));
        return withTitle({ type: 'array' as const, items: { anyOf } }, field);
      }
      return withTitle(
        { type: 'array' as const, items: { type: 'string' as const, enum: options.map(optionKey) } },
        field,
      );
    }
    case 'email':
      return withTitle({ type: 'string' as const, format: 'email' as const }, field);
    case 'date':
      return withTitle({ type: 'string' as const, format: 'date' as const }, field);
    default:
      return withTitle({ type: 'string' as const }, field);
  }
}

/** The `requestedSchema` of a form elicitation asking for every field (all required). */
export function formFor(fields: readonly HumanFieldSpec[]): FormSchema {
  const asked = askableFields(fields);
  return {
    type: 'object',
    properties: Object.fromEntries(asked.map((f) => [f.name, propertyFor(f)])),
    required: asked.map((f) => f.name),
  };
}

/** The typed answers, or what is wrong with the form's content (nothing is sent then). */
export type AnswersResult =
  | { ok: true; response: Record<string, unknown> }
  | { ok: false; problems: string[] };

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function optionFor(field: HumanFieldSpec, value: unknown): { ok: true; value: OptionValue } | { ok: false } {
  for (const option of field.options ?? []) {
    if (value === option || (typeof value === 'string' && value === optionKey(option))) {
      return { ok: true, value: option };
    }
  }
  return { ok: false };
}

function answerFor(
  field: HumanFieldSpec,
  value: unknown,
): { ok: true; value: unknown } | { ok: false; problem: string } {
  const label = `${field.name}`;
  const options = (field.options ?? []).map((o) => JSON.stringify(o)).join(', ');
  switch (answerKind(field)) {
    case 'boolean':
      return typeof value === 'boolean'
        ? { ok: true, value }
        : { ok: false, problem: `${label}: expected true or false, got ${JSON.stringify(value)}` };
    case 'number':
      return typeof value === 'number' && Number.isFinite(value)
        ? { ok: true, value }
        : { ok: false, problem: `${label}: expected a number, got ${JSON.stringify(value)}` };
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value)
        ? { ok: true, value }
        : { ok: false, problem: `${label}: expected a whole number, got ${JSON.stringify(value)}` };
    case 'select': {
      const picked = optionFor(field, value);
      return picked.ok
        ? picked
        : { ok: false, problem: `${label}: expected one of ${options}, got ${JSON.stringify(value)}` };
    }
    case 'multiselect': {
      if (!Array.isArray(value)) {
        return {
          ok: false,
          problem: `${label}: expected an array of ${options}, got ${JSON.stringify(value)}`,
        };
      }
      const picked: OptionValue[] = [];
      for (const item of value) {
        const one = optionFor(field, item);
        if (!one.ok) {
          return { ok: false, problem: `${label}: ${JSON.stringify(item)} is not one of ${options}` };
        }
        picked.push(one.value);
      }
      return { ok: true, value: picked };
    }
    case 'email':
      return typeof value === 'string' && EMAIL.test(value)
        ? { ok: true, value }
        : { ok: false, problem: `${label}: expected an email address, got ${JSON.stringify(value)}` };
    case 'date':
      return typeof value === 'string' && DATE.test(value) && !Number.isNaN(Date.parse(value))
        ? { ok: true, value }
        : { ok: false, problem: `${label}: expected a date (YYYY-MM-DD), got ${JSON.stringify(value)}` };
    default:
      return typeof value === 'string'
        ? { ok: true, value }
        : { ok: false, problem: `${label}: expected text, got ${JSON.stringify(value)}` };
  }
}

/**
 * The user's form answers (`content` of an accepted elicitation) as the resume `response` object: each
 * field's answer with its JSON type checked (a string "true" for a boolean field is refused, not converted),
 * every field required, no unknown keys.
 */
export function answersFrom(content: unknown, fields: readonly HumanFieldSpec[]): AnswersResult {
  if (!isRecord(content)) return { ok: false, problems: ['the answers are not an object'] };
  const asked = askableFields(fields);
  const problems: string[] = [];
  const response: Record<string, unknown> = {};
  for (const field of asked) {
    if (!(field.name in content) || content[field.name] === undefined) {
      problems.push(`${field.name}: missing`);
      continue;
    }
    const answer = answerFor(field, content[field.name]);
    if (answer.ok) response[field.name] = answer.value;
    else problems.push(answer.problem);
  }
  const known = new Set(asked.map((f) => f.name));
  for (const key of Object.keys(content)) {
    if (!known.has(key)) problems.push(`${key}: not a field of this step`);
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, response };
}
