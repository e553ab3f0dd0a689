import type { JsonSchema } from './schema.js';

/**
 * Schema profiles: the published input schemas fit the client's model provider.
 * - `claude`: full JSON Schema (closed objects, constraints, descriptions).
 * - `openai`: strict-mode function calling — every object closed, every property required, optional ones
 *   nullable, no `format`/length/range keywords; a free-form object travels as a JSON string.
 * - `gemini`: the OpenAPI subset Gemini accepts — no `additionalProperties`, `$ref`, `$schema`, type arrays
 *   or `const`; nullability as `nullable: true`; a free-form object travels as a JSON string.
 */
export type SchemaProfile = 'claude' | 'openai' | 'gemini';

/** Every profile, for flags and tests. */
export const PROFILES: readonly SchemaProfile[] = ['claude', 'openai', 'gemini'];

/** Picks the profile from the client's `clientInfo.name` at initialize; full JSON Schema by default. */
export function profileForClient(name: string | undefined): SchemaProfile {
  const n = (name ?? '').toLowerCase();
  if (/gemini|google/.test(n)) return 'gemini';
  if (/openai|chatgpt|codex|gpt/.test(n)) return 'openai';
  return 'claude';
}

type Node = Record<string, unknown>;

function isNode(v: unknown): v is Node {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** An object schema with no declared properties: arbitrary JSON (metadata, rawPayload, custom_fields). */
export function isFreeForm(node: Node): boolean {
  return node.type === 'object' && !isNode(node.properties);
}

const JSON_TEXT = ' (a JSON object, encoded as a string)';

/** Keywords each restricted profile keeps; everything else is dropped. */
const OPENAI_KEYS = new Set([
  'type',
  'properties',
  'required',
  'additionalProperties',
  'enum',
  'anyOf',
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
  'anyOf',
  'minimum',
  'maximum',
  'minItems',
  'maxItems',
]);

function typesOf(node: Node): string[] {
  if (Array.isArray(node.type)) return node.type.filter((t): t is string => typeof t === 'string');
  return typeof node.type === 'string' ? [node.type] : [];
}

/** Splits `X | null` (type array or anyOf with a null branch) into X and whether null was allowed. */
function splitNull(node: Node): { base: Node; nullable: boolean } {
  const types = typesOf(node);
  if (types.length > 1 && types.includes('null')) {
    const rest = types.filter((t) => t !== 'null');
    return { base: { ...node, type: rest.length === 1 ? rest[0] : rest }, nullable: true };
  }
  if (Array.isArray(node.anyOf)) {
    const branches = node.anyOf.filter(isNode);
    const nonNull = branches.filter((b) => b.type !== 'null');
    if (nonNull.length < branches.length) {
      const { anyOf: _drop, ...outer } = node;
      const base =
        nonNull.length === 1 ? { ...outer, ...(nonNull[0] as Node) } : { ...outer, anyOf: nonNull };
      return { base, nullable: true };
    }
  }
  return { base: node, nullable: false };
}

function toOpenAi(node: Node): Node {
  const { base, nullable } = splitNull(node);
  let out: Node;
  if (isFreeForm(base)) {
    out = { type: 'string', description: `${String(base.description ?? 'Arbitrary data')}${JSON_TEXT}` };
  } else {
    out = {};
    for (const [k, v] of Object.entries(base)) if (OPENAI_KEYS.has(k)) out[k] = v;
    if (base.const !== undefined) out.enum = [base.const];
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
    if (Array.isArray(base.anyOf)) out.anyOf = base.anyOf.filter(isNode).map(toOpenAi);
  }
  return nullable ? withNull(out) : out;
}

/** Adds `null` to a schema's accepted values (OpenAI: optional = required but nullable). */
function withNull(node: Node): Node {
  if (Array.isArray(node.anyOf)) return { ...node, anyOf: [...node.anyOf, { type: 'null' }] };
  const types = typesOf(node);
  if (types.length === 0) return { anyOf: [node, { type: 'null' }] };
  if (types.includes('null')) return node;
  const out: Node = { ...node, type: [...types, 'null'] };
  if (Array.isArray(node.enum)) out.enum = [...node.enum, null];
  return out;
}

function toGemini(node: Node): Node {
  const { base, nullable } = splitNull(node);
  let out: Node;
  if (isFreeForm(base)) {
    out = { type: 'string', description: `${String(base.description ?? 'Arbitrary data')}${JSON_TEXT}` };
  } else {
    out = {};
    for (const [k, v] of Object.entries(base)) if (GEMINI_KEYS.has(k)) out[k] = v;
    const types = typesOf(base);
    if (types.length > 1) {
      // A type array Gemini cannot express: offer each type as an anyOf branch.
      delete out.type;
      out.anyOf = types.map((t) => ({ type: t }));
    }
    if (base.const !== undefined) out.enum = [base.const];
    if (isNode(base.properties)) {
      const props: Node = {};
      for (const [name, child] of Object.entries(base.properties))
        if (isNode(child)) props[name] = toGemini(child);
      out.properties = props;
    }
    if (isNode(base.items)) out.items = toGemini(base.items);
    if (Array.isArray(base.anyOf)) out.anyOf = base.anyOf.filter(isNode).map(toGemini);
  }
  if (nullable) out.nullable = true;
  return out;
}

/** The input schema as published under a profile (computed once per profile at startup or first use). */
export function applyProfile(schema: JsonSchema, profile: SchemaProfile): JsonSchema {
  if (profile === 'claude') return schema;
  return (profile === 'openai' ? toOpenAi(schema) : toGemini(schema)) as JsonSchema;
}

/**
 * Normalises arguments sent under any profile back to the full schema before validation: a `null` for an
 * optional field is dropped, and a free-form object sent as a JSON string is parsed. `schema` is the full
 * (claude) input schema. Values that do not fit are left for validation to report.
 */
export function normaliseArgs(schema: Node, value: unknown): unknown {
  if (isFreeForm(schema) && typeof value === 'string') {
    try {
      const parsed: unknown = JSON.parse(value);
      if (isNode(parsed)) return parsed;
    } catch {
      // not JSON: validation reports the type error
    }
    return value;
  }
  if (Array.isArray(value) && isNode(schema.items)) {
    const items = schema.items;
    return value.map((v) => normaliseArgs(items, v));
  }
  if (isNode(value) && isNode(schema.properties)) {
    const required = new Set(Array.isArray(schema.required) ? schema.required : []);
    const out: Node = {};
    for (const [key, v] of Object.entries(value)) {
      const child = schema.properties[key];
      if (v === null && !required.has(key) && !acceptsNull(child)) continue;
      out[key] = isNode(child) ? normaliseArgs(child, v) : v;
    }
    return out;
  }
  if (isNode(value) && Array.isArray(schema.anyOf)) {
    const objectBranch = schema.anyOf.filter(isNode).find((b) => isNode(b.properties) || isFreeForm(b));
    return objectBranch ? normaliseArgs(objectBranch, value) : value;
  }
  return value;
}

function acceptsNull(schema: unknown): boolean {
  if (!isNode(schema)) return false;
  if (typesOf(schema).includes('null')) return true;
  return Array.isArray(schema.anyOf) && schema.anyOf.some((b) => isNode(b) && b.type === 'null');
}
