import { z } from 'zod';

/**
 * zod → JSON Schema in one pass, for the kinds of schema syn-mcp's tools are made of, with the same output
 * as `z.toJSONSchema(schema, { io, unrepresentable: 'any' })` (draft 2020-12), keys in the same order.
 * Why: zod's converter is general (a map of every node seen, `$defs` extraction, a flattening pass over
 * wrapper chains, a JSON round trip, closures per schema) and took ~25 ms for the 158 schemas of a full
 * catalog, the largest share of syn-mcp's own work in a cold start; this walk takes a few. Leaf nodes
 * (string, number, enum, literal, …) are still written by zod's own processors (`_zod.processJSONSchema`),
 * so checks and formats are zod's. Anything outside that subset (lazy/recursive schemas, pipes and
 * transforms, tuples, intersections, catch and prefault, a `.meta({ id })`, a custom `toJSONSchema`) makes it
 * return undefined, and the caller falls back to zod's converter. test/unit/zod-json.test.ts checks that
 * every tool's input and output schema converts identically both ways.
 */
export function fastJsonSchema(schema: z.ZodType, io: 'input' | 'output'): Node | undefined {
  try {
    // Every node is built fresh here, and values taken from metadata are copied: the result shares nothing
    // with the schemas (zod's converter ends with a JSON round trip for that; serialising this gives the same
    // text, undefined values and non-finite numbers included).
    return convert(schema, { io, path: new Set(), leaf: io === 'input' ? INPUT_LEAF : OUTPUT_LEAF });
  } catch (err) {
    if (err instanceof Unsupported) return undefined;
    throw err;
  }
}

type Node = Record<string, unknown>;
type Zod = z.core.$ZodType;

class Unsupported extends Error {}

interface Walk {
  io: 'input' | 'output';
  /** The schemas on the current path: a schema met again on it is a cycle (zod writes a $ref there). */
  path: Set<Zod>;
  /** The context zod's leaf processors read. */
  leaf: object;
}

/** Leaf kinds zod's own processor writes without visiting any other schema. */
const LEAVES = new Set([
  'string',
  'number',
  'boolean',
  'bigint',
  'symbol',
  'null',
  'undefined',
  'void',
  'never',
  'any',
  'unknown',
  'date',
  'enum',
  'literal',
  'nan',
  'template_literal',
  'file',
  'success',
  'custom',
  'function',
  'map',
  'set',
]);

/** Wrappers whose JSON Schema is their inner schema's, under their own keys (zod's `ref` to innerType). */
const WRAPPERS = new Set(['optional', 'nonoptional', 'readonly', 'default']);

/** The context zod's leaf processors read: the draft, what to do with what JSON Schema cannot say, io. */
const INPUT_LEAF = { target: 'draft-2020-12', unrepresentable: 'any', io: 'input' };
const OUTPUT_LEAF = { ...INPUT_LEAF, io: 'output' };
const LEAF_PARAMS = { path: [], schemaPath: [] };

function convert(schema: Zod, walk: Walk): Node {
  const zod = schema._zod as Zod['_zod'] & {
    toJSONSchema?: () => unknown;
    processJSONSchema?: (ctx: unknown, json: Node, params: unknown) => void;
  };
  if (zod.toJSONSchema || walk.path.has(schema)) throw new Unsupported();
  const meta = z.globalRegistry.get(schema) as Node | undefined;
  if (meta?.id !== undefined) throw new Unsupported();
  const def = zod.def as unknown as Node & { type: string };
  const json: Node = {};
  walk.path.add(schema);
  let inner: Node | undefined;
  if (LEAVES.has(def.type) && zod.processJSONSchema) {
    zod.processJSONSchema(walk.leaf, json, LEAF_PARAMS);
  } else if (WRAPPERS.has(def.type)) {
    inner = convert(def.innerType as Zod, walk);
    if (def.type === 'readonly') json.readOnly = true;
    if (def.type === 'default') json.default = JSON.parse(JSON.stringify(def.defaultValue));
  } else if (def.type === 'object') {
    object(def, json, walk);
  } else if (def.type === 'array') {
    array(schema, def, json, walk);
  } else if (def.type === 'union') {
    const options = (def.options as Zod[]).map((o) => convert(o, walk));
    json[def.inclusive === false ? 'oneOf' : 'anyOf'] = options;
  } else if (def.type === 'nullable') {
    json.anyOf = [convert(def.innerType as Zod, walk), { type: 'null' }];
  } else if (def.type === 'record') {
    record(def, json, walk);
  } else {
    throw new Unsupported();
  }
  walk.path.delete(schema);
  if (meta) {
    for (const [key, value] of Object.entries(meta)) {
      if (key === '__proto__') throw new Unsupported();
      json[key] = typeof value === 'object' && value !== null ? JSON.parse(JSON.stringify(value)) : value;
    }
  }
  // A wrapper's own keys come first, then its inner schema's (zod's flattening of a `ref`); most wrappers
  // (`.optional()`) have none of their own.
  let out = json;
  if (inner) out = Object.keys(json).length === 0 ? inner : { ...json, ...inner, ...json };
  compactTypeUnion(out);
  return out;
}

/** zod's `required` rule: a field is required unless it accepts being absent (on input) or may be absent. */
function isRequired(field: Zod, io: 'input' | 'output'): boolean {
  return (io === 'input' ? field._zod.optin : field._zod.optout) === undefined;
}

function object(def: Node, json: Node, walk: Walk): void {
  const shape = def.shape as Record<string, Zod>;
  if (Object.getOwnPropertySymbols(shape).length > 0) throw new Unsupported();
  json.type = 'object';
  const properties: Node = {};
  for (const key of Object.keys(shape)) {
    if (key === '__proto__') throw new Unsupported();
    properties[key] = convert(shape[key] as Zod, walk);
  }
  json.properties = properties;
  const required = Object.keys(shape).filter((key) => isRequired(shape[key] as Zod, walk.io));
  if (required.length > 0) json.required = required;
  const catchall = def.catchall as Zod | undefined;
  if (catchall?._zod.def.type === 'never') json.additionalProperties = false;
  else if (!catchall) {
    if (walk.io === 'output') json.additionalProperties = false;
  } else json.additionalProperties = convert(catchall, walk);
}

function array(schema: Zod, def: Node, json: Node, walk: Walk): void {
  let min: number | undefined;
  let max: number | undefined;
  for (const check of (def.checks ?? []) as z.core.$ZodCheck[]) {
    const c = check._zod.def as unknown as Node;
    if (c.check === 'min_length') min = Math.max(min ?? -Infinity, c.minimum as number);
    else if (c.check === 'max_length') max = Math.min(max ?? Infinity, c.maximum as number);
    else if (c.check === 'length_equals') {
      min = Math.max(min ?? -Infinity, c.length as number);
      max = Math.min(max ?? Infinity, c.length as number);
    } else if (c.check !== 'custom') throw new Unsupported();
  }
  const bag = schema._zod.bag as { minimum?: number; maximum?: number };
  if (bag.minimum !== undefined) min = Math.max(min ?? -Infinity, bag.minimum);
  if (bag.maximum !== undefined) max = Math.min(max ?? Infinity, bag.maximum);
  if (min !== undefined) json.minItems = min;
  if (max !== undefined) json.maxItems = max;
  json.type = 'array';
  json.items = convert(def.element as Zod, walk);
}

/** A record with string keys (zod rewrites numeric key schemas and pattern-keyed loose records: not here). */
function record(def: Node, json: Node, walk: Walk): void {
  const keyType = def.keyType as Zod;
  const key = keyType._zod.def as unknown as Node;
  if (key.type !== 'string' || (key.checks as unknown[] | undefined)?.length || def.mode === 'loose') {
    throw new Unsupported();
  }
  json.type = 'object';
  json.propertyNames = convert(keyType, walk);
  json.additionalProperties = convert(def.valueType as Zod, walk);
}

/**
 * zod's last step: an anyOf whose branches are bare types becomes a type array (`X | null` as
 * `type: [X, "null"]`), the folded branches first.
 */
function compactTypeUnion(node: Node): void {
  const options = node.anyOf;
  if (!Array.isArray(options) || options.length === 0 || node.type !== undefined) return;
  const types: unknown[] = [];
  for (const option of options) {
    if (!option || typeof option !== 'object') return;
    compactTypeUnion(option as Node);
    const keys = Object.keys(option);
    if (keys.length !== 1 || keys[0] !== 'type') return;
    const type = (option as Node).type;
    for (const member of Array.isArray(type) ? type : [type]) {
      if (typeof member !== 'string') return;
      if (!types.includes(member)) types.push(member);
    }
  }
  delete node.anyOf;
  node.type = types.length === 1 ? types[0] : types;
}
