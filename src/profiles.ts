import type { JsonSchema } from './schema.js';
import { isAnyJson, isFreeForm, isNode, type Node, splitNull, typesOf } from './schema-node.js';

export { normaliseArgs } from './normalise.js';

/**
 * Schema profiles: the shape of the published input schemas.
 * - `openai` (the default for every client): strict function calling, which Gemini and LangChain take as
 *   well — every object closed, every property required, optional ones nullable, a `type` on every node
 *   (no `anyOf`), no `format`/length/range keywords; a free-form object travels as a JSON string.
 * - `claude`: full JSON Schema (closed objects, constraints, optional fields, unions as `anyOf`).
 * - `gemini`: the OpenAPI subset of Gemini's classic `parameters` — no `additionalProperties`, `$ref`,
 *   `$schema`, type arrays or `const`; nullability as `nullable: true`; a free-form object as a JSON string.
 */
export type SchemaProfile = 'claude' | 'openai' | 'gemini';

/** Every profile, for flags and tests. */
export const PROFILES: readonly SchemaProfile[] = ['claude', 'openai', 'gemini'];

/**
 * The profile served unless `--schema-profile` forces one: the strict shape that the OpenAI Agents SDK
 * (strict), Gemini's converters, LangChain's MCP adapters and Claude all take as published.
 */
export const DEFAULT_PROFILE: SchemaProfile = 'openai';

/** The wording a free-form object carries once it is published as a string. */
export const JSON_OBJECT_TEXT = 'a JSON object encoded as a string';
const ANY_JSON_TEXT = 'any JSON value; an object or array as JSON text';

/** Keywords each restricted profile keeps; everything else is dropped. */
const OPENAI_KEYS = new Set([
  'type',
  'properties',
  'required',
  'additionalProperties',
  'enum',
  'items',
  'description',
]);
const GEMINI_KEYS = new Set([
  'type',
  'properties',
  'required',
  'enum',
  'items',
  'description',
  'nullable',
  'minimum',
  'maximum',
  'minItems',
  'maxItems',
]);

const SCALARS = new Set(['string', 'number', 'integer', 'boolean']);
const ANY_SCALARS = ['string', 'number', 'boolean'];

function described(base: Node, fallback: string, note?: string): string {
  const text = typeof base.description === 'string' ? base.description : fallback;
  return note ? `${text} (${note})` : text;
}

/**
 * What a union (anyOf) reduces to under a restricted profile: the scalar types its branches take (a free-form
 * object branch counts as a string: it travels as JSON text), with their enum when every branch has one and a
 * note when a type alone would mislead; or one JSON text when a branch is a structured object or array.
 */
type Reduced = { types: string[]; enum?: unknown[]; note?: string } | 'json-text';

function reduceUnion(branches: readonly Node[]): Reduced {
  const types: string[] = [];
  const notes: string[] = [];
  let enums: unknown[] | undefined = [];
  let noted = false;
  const add = (t: string) => {
    if (!types.includes(t)) types.push(t);
  };
  for (const branch of branches) {
    if (isFreeForm(branch)) {
      add('string');
      notes.push(JSON_OBJECT_TEXT);
      noted = true;
      enums = undefined;
    } else if (isAnyJson(branch)) {
      for (const t of ANY_SCALARS) add(t);
      notes.push(ANY_JSON_TEXT);
      noted = true;
      enums = undefined;
    } else {
      const own = typesOf(branch);
      if (own.length === 0 || !own.every((t) => SCALARS.has(t))) return 'json-text';
      for (const t of own) add(t);
      notes.push(own.map((t) => (t === 'string' ? 'text' : t)).join(' or '));
      const values = Array.isArray(branch.enum)
        ? branch.enum
        : branch.const !== undefined
          ? [branch.const]
          : undefined;
      enums = enums && values ? [...enums, ...values.filter((v) => !enums?.includes(v))] : undefined;
    }
  }
  const reduced: { types: string[]; enum?: unknown[]; note?: string } = { types };
  if (enums && enums.length > 0) reduced.enum = enums;
  if (noted) reduced.note = notes.join(', or ');
  return reduced;
}

/** The non-null branches of an anyOf node. */
function branchesOf(base: Node): Node[] {
  return (Array.isArray(base.anyOf) ? base.anyOf : []).filter(isNode).filter((b) => b.type !== 'null');
}

// ---------------------------------------------------------------------------------------------- openai

function toOpenAi(node: Node): Node {
  const { base, nullable } = splitNull(node);
  const out = strictNode(base);
  return nullable ? withNull(out) : out;
}

function strictNode(base: Node): Node {
  if (isFreeForm(base))
    return { type: 'string', description: described(base, 'Arbitrary data', JSON_OBJECT_TEXT) };
  if (isAnyJson(base)) {
    return { type: [...ANY_SCALARS, 'null'], description: described(base, 'Any value', ANY_JSON_TEXT) };
  }
  if (Array.isArray(base.anyOf)) {
    const reduced = reduceUnion(branchesOf(base));
    if (reduced === 'json-text') {
      return { type: 'string', description: described(base, 'A value', 'a JSON value encoded as a string') };
    }
    const out: Node = { type: reduced.types.length === 1 ? reduced.types[0] : reduced.types };
    if (reduced.enum) out.enum = reduced.enum;
    out.description = described(base, 'A value', reduced.note);
    return out;
  }
  const out: Node = {};
  for (const [k, v] of Object.entries(base)) if (OPENAI_KEYS.has(k)) out[k] = v;
  if (base.const !== undefined) out.enum = [base.const];
  if (out.type === undefined) out.type = typeOfValues(out.enum);
  if (isNode(base.properties)) {
    const required = new Set(Array.isArray(base.required) ? base.required : []);
    const props: Node = {};
    for (const [name, child] of Object.entries(base.properties)) {
      if (!isNode(child)) continue;
      const converted = toOpenAi(child);
      props[name] = required.has(name) ? converted : withNull(converted);
    }
    out.properties = props;
    out.required = Object.keys(props);
    out.additionalProperties = false;
  }
  if (isNode(base.items)) out.items = toOpenAi(base.items);
  return out;
}

/** The JSON type(s) of an enum's values (a node with only `enum`/`const` still gets a type). */
function typeOfValues(values: unknown): string | string[] {
  const types: string[] = [];
  for (const v of Array.isArray(values) ? values : []) {
    const t = v === null ? 'null' : typeof v === 'number' ? 'number' : typeof v;
    if (!types.includes(t)) types.push(t);
  }
  return types.length === 1 ? (types[0] as string) : types.length > 1 ? types : 'string';
}

/** Adds `null` to a schema's accepted values (OpenAI: optional = required but nullable). */
function withNull(node: Node): Node {
  const types = typesOf(node);
  if (types.includes('null')) return node;
  const out: Node = { ...node, type: [...types, 'null'] };
  if (Array.isArray(node.enum)) out.enum = [...node.enum, null];
  return out;
}

// ---------------------------------------------------------------------------------------------- gemini

function toGemini(node: Node): Node {
  const { base, nullable } = splitNull(node);
  const out = geminiNode(base);
  if (nullable) out.nullable = true;
  return out;
}

/** Gemini's form of several scalar types: one type, or one anyOf branch per type. */
function geminiTypes(types: readonly string[]): Node {
  return types.length === 1 ? { type: types[0] } : { anyOf: types.map((t) => ({ type: t })) };
}

function geminiNode(base: Node): Node {
  if (isFreeForm(base))
    return { type: 'string', description: described(base, 'Arbitrary data', JSON_OBJECT_TEXT) };
  if (isAnyJson(base)) {
    return {
      ...geminiTypes(ANY_SCALARS),
      nullable: true,
      description: described(base, 'Any value', ANY_JSON_TEXT),
    };
  }
  if (Array.isArray(base.anyOf)) {
    const reduced = reduceUnion(branchesOf(base));
    if (reduced === 'json-text') {
      return { type: 'string', description: described(base, 'A value', 'a JSON value encoded as a string') };
    }
    const out = geminiTypes(reduced.types);
    if (reduced.enum && out.type === 'string') out.enum = reduced.enum;
    out.description = described(base, 'A value', reduced.note);
    return out;
  }
  const out: Node = {};
  for (const [k, v] of Object.entries(base)) if (GEMINI_KEYS.has(k)) out[k] = v;
  if (base.const !== undefined) out.enum = [base.const];
  const types = typesOf(base);
  if (types.length > 1) {
    // A type array Gemini cannot express: offer each type as an anyOf branch.
    delete out.type;
    Object.assign(out, geminiTypes(types));
  } else if (out.type === undefined) {
    const inferred = typeOfValues(out.enum);
    Object.assign(out, geminiTypes(Array.isArray(inferred) ? inferred : [inferred]));
  }
  if (isNode(base.properties)) {
    const props: Node = {};
    for (const [name, child] of Object.entries(base.properties))
      if (isNode(child)) props[name] = toGemini(child);
    out.properties = props;
  }
  if (isNode(base.items)) out.items = toGemini(base.items);
  return out;
}

/** The input schema as published under a profile (computed once per profile at startup or first use). */
export function applyProfile(schema: JsonSchema, profile: SchemaProfile): JsonSchema {
  if (profile === 'claude') return schema;
  return (profile === 'openai' ? toOpenAi(schema) : toGemini(schema)) as JsonSchema;
}
