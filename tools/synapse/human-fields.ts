/**
 * The fields a paused Synapse run asks a human to fill (`human_input_required.fields`, api-notes §2c): read
 * as the backend and its example bundles write them — `name`, else `key` (else the `label`, which is what the
 * product's own UI keys answers by) — with their type, label, options and `multiple`. The resume hint shows
 * a typed placeholder for each, because the backend stores the answers verbatim and compares typed values
 * (`approved == True` is false for the string "true").
 */
import { isIdShaped } from '../../src/id-shaped.js';
import { isRecord } from '../../src/json.js';

/** One option value of a select field. */
export type OptionValue = string | number | boolean;

/** A human-input field, normalised. */
export interface HumanFieldSpec {
  /** Key of the answer in resume_orchestration_run `response`. */
  name: string;
  /** As the backend wrote it, lower-cased: boolean, number, integer, text, textarea, email, date, select… */
  type: string;
  label?: string;
  /** Allowed values of a select field. */
  options?: OptionValue[];
  /** Labels of the options, by index, when the backend gave `{value, label}` objects. */
  optionLabels?: Array<string | undefined>;
  /** A select whose answer is an array of options. */
  multiple?: boolean;
}

function optionOf(raw: unknown): { value: OptionValue; label?: string } | undefined {
  if (typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean') return { value: raw };
  if (isRecord(raw)) {
    const value = raw.value ?? raw.key ?? raw.label;
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean')
      return undefined;
    return typeof raw.label === 'string' ? { value, label: raw.label } : { value };
  }
  return undefined;
}

/** Reads `human_input_required.fields` (anything not an object is skipped). */
export function readHumanFields(raw: unknown): HumanFieldSpec[] {
  return (Array.isArray(raw) ? raw : []).filter(isRecord).map((f) => {
    const label = typeof f.label === 'string' ? f.label : undefined;
    const name =
      typeof f.name === 'string' && f.name !== '' ? f.name : typeof f.key === 'string' ? f.key : label;
    const field: HumanFieldSpec = {
      name: name ?? '',
      type: typeof f.type === 'string' && f.type !== '' ? f.type.toLowerCase() : 'text',
    };
    if (label !== undefined) field.label = label;
    if (Array.isArray(f.options)) {
      const options = f.options.map(optionOf).filter((o) => o !== undefined);
      field.options = options.map((o) => o.value);
      if (options.some((o) => o.label !== undefined)) field.optionLabels = options.map((o) => o.label);
    }
    if (f.multiple === true) field.multiple = true;
    return field;
  });
}

/**
 * The fields a form or a resume answer can hold: a field without a name cannot be keyed, and one whose name
 * repeats an earlier field's would share its answer, so only the first of each name is kept.
 */
export function askableFields(specs: readonly HumanFieldSpec[]): HumanFieldSpec[] {
  const seen = new Set<string>();
  return specs.filter((f) => {
    if (f.name === '' || seen.has(f.name)) return false;
    seen.add(f.name);
    return true;
  });
}

/**
 * What is said of a paused step's fields that `askableFields()` leaves out (no name, key or label; or a name
 * that repeats another's): neither the resume hint nor the form shows them, so an answer may be incomplete.
 */
export function unshownFieldsNote(specs: readonly HumanFieldSpec[]): string {
  const unnamed = specs.filter((f) => f.name === '').length;
  const repeated = specs.length - unnamed - askableFields(specs).length;
  const reasons = [
    unnamed > 0 &&
      `${unnamed} field${unnamed === 1 ? '' : 's'} of this step could not be shown because ${unnamed === 1 ? 'it has' : 'they have'} no name`,
    repeated > 0 &&
      `${repeated}${unnamed > 0 ? '' : ` field${repeated === 1 ? '' : 's'} of this step`} could not be shown because ${repeated === 1 ? "its name repeats another field's" : "their names repeat other fields'"}`,
  ].filter((r) => r !== false);
  return reasons.length === 0 ? '' : ` ${reasons.join(', and ')}, so the answer may be incomplete.`;
}

/** The kind of answer a field takes. */
export type AnswerKind =
  | 'boolean'
  | 'number'
  | 'integer'
  | 'select'
  | 'multiselect'
  | 'email'
  | 'date'
  | 'text';

/** What JSON type the answer to a field must have. */
export function answerKind(field: HumanFieldSpec): AnswerKind {
  if (field.options && field.options.length > 0) return field.multiple ? 'multiselect' : 'select';
  switch (field.type) {
    case 'boolean':
    case 'bool':
    case 'checkbox':
      return 'boolean';
    case 'number':
    case 'float':
      return 'number';
    case 'integer':
    case 'int':
      return 'integer';
    case 'email':
      return 'email';
    case 'date':
      return 'date';
    default:
      return 'text';
  }
}

function quoted(v: OptionValue): string {
  return JSON.stringify(v);
}

/**
 * A typed placeholder for the resume hint: `<true or false>`, `<a number>`, `<one of "a", "b">`… The hint is
 * syn-mcp's guidance, outside the fence: options are listed only when each is id-shaped (a number, `true`,
 * `blog`), else the placeholder points at the field's options in the data.
 */
export function placeholder(field: HumanFieldSpec): string {
  const all = field.options ?? [];
  const listable = all.every((v) => typeof v !== 'string' || isIdShaped(v));
  const options = listable ? all.map(quoted).join(', ') : "the field's options";
  switch (answerKind(field)) {
    case 'boolean':
      return '<true or false, not a string>';
    case 'number':
      return '<a number, not a string>';
    case 'integer':
      return '<a whole number, not a string>';
    case 'select':
      return `<one of ${options}>`;
    case 'multiselect':
      return `<an array of any of ${options}>`;
    case 'email':
      return '"<an email address>"';
    case 'date':
      return '"<a date, YYYY-MM-DD>"';
    default:
      return '"<text>"';
  }
}
