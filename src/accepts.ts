import type { z } from 'zod';

/**
 * A quick answer to "would this zod schema accept this value exactly as it is?", for the boundary's check of
 * every tool result against the tool's output schema.
 *
 * zod parses each schema through code it generates for that schema, which V8 only makes fast after thousands
 * of parses: a list result of a dozen records costs 100–300 µs to validate for the first several hundred
 * calls of a session (5 µs once warm), more than the rest of syn-mcp's work on the call. This walks the
 * schema's definition with one small function shared by every schema and every tool, which is fast from the
 * first calls on. It decides only what it can decide exactly and leaves the rest to zod:
 *
 * - `ACCEPT`: zod would accept the value and return it unchanged (nothing stripped, defaulted or
 *   transformed), so the value itself is the parse result;
 * - `REJECT`: zod would reject it;
 * - `UNSURE`: anything else — a check it does not know (formats, refinements), a default or transform, an
 *   object with keys zod would strip. The caller then runs zod, which stays the authority.
 *
 * test/unit/accepts.test.ts holds it against zod on generated values for every tool's output schema.
 */
export const ACCEPT = 0;
export const REJECT = 1;
export const UNSURE = 2;
export type Verdict = typeof ACCEPT | typeof REJECT | typeof UNSURE;

/** The parts of zod 4 definitions read here. */
interface Def {
  type: string;
  checks?: readonly { _zod: { def: CheckDef } }[];
  innerType?: z.ZodType;
  element?: z.ZodType;
  options?: readonly z.ZodType[];
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  keyType?: z.ZodType;
  valueType?: z.ZodType;
  values?: readonly unknown[];
  entries?: Record<string, unknown>;
}

interface CheckDef {
  check: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  length?: number;
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { def: Def }).def;
const hasOwn = Object.prototype.hasOwnProperty;

/** The definition members each kind told here may have; any other (coerce, format, discriminator…) is not. */
const MEMBERS: Readonly<Record<string, readonly string[]>> = {
  string: ['type', 'checks'],
  number: ['type', 'checks'],
  boolean: ['type'],
  null: ['type'],
  unknown: ['type'],
  any: ['type'],
  literal: ['type', 'values'],
  enum: ['type', 'entries'],
  optional: ['type', 'innerType'],
  nullable: ['type', 'innerType'],
  array: ['type', 'element', 'checks'],
  object: ['type', 'shape', 'catchall'],
  record: ['type', 'keyType', 'valueType'],
  union: ['type', 'options'],
};

/** Whether each schema is one of the plain kinds above, decided once per schema. */
const plainSchemas = new WeakMap<z.ZodType, boolean>();

function isPlain(schema: z.ZodType): boolean {
  let plain = plainSchemas.get(schema);
  if (plain === undefined) {
    const def = defOf(schema);
    const members = MEMBERS[def.type];
    const traits = (schema as unknown as { _zod?: { traits?: Set<string> } })._zod?.traits;
    plain =
      members !== undefined &&
      Object.keys(def).every((k) => members.includes(k)) &&
      // z.exactOptional() has the definition of z.optional() but refuses an explicit undefined.
      traits?.has('$ZodExactOptional') !== true &&
      (def.type !== 'enum' || Object.values(def.entries ?? {}).every((v) => typeof v === 'string'));
    plainSchemas.set(schema, plain);
  }
  return plain;
}

/**
 * True when zod leaves undefined as it is under `schema` (an optional field left out): not when a default
 * (or anything that is not plain) sits under the optional or nullable wrappers.
 */
function keepsUndefined(schema: z.ZodType): boolean {
  if (!isPlain(schema)) return false;
  const def = defOf(schema);
  return def.type === 'optional' || def.type === 'nullable'
    ? def.innerType !== undefined && keepsUndefined(def.innerType)
    : true;
}

/** A JSON object: a plain object with no own `__proto__` key (zod drops that one). */
function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isPlainRecord(v: Record<string, unknown>): boolean {
  const proto = Object.getPrototypeOf(v);
  return (proto === Object.prototype || proto === null) && !hasOwn.call(v, '__proto__');
}

/** Strings whose length zod counts differently (in code points): any with a surrogate. */
const SURROGATE = /[\uD800-\uDFFF]/;

/** The verdict of the checks of a string, number or array already of the right type. */
function checksOf(def: Def, value: string | number | readonly unknown[]): Verdict {
  const { checks } = def;
  if (checks === undefined) return ACCEPT;
  for (const check of checks) {
    const c = check._zod.def;
    switch (c.check) {
      case 'number_format':
        if (c.format !== 'safeint') return UNSURE;
        if (!Number.isSafeInteger(value)) return REJECT;
        break;
      case 'min_length':
        if (typeof value === 'number' || c.minimum === undefined) return UNSURE;
        if (typeof value === 'string' && SURROGATE.test(value)) return UNSURE;
        if (value.length < c.minimum) return REJECT;
        break;
      case 'max_length':
        if (typeof value === 'number' || c.maximum === undefined) return UNSURE;
        if (typeof value === 'string' && SURROGATE.test(value)) return UNSURE;
        if (value.length > c.maximum) return REJECT;
        break;
      default:
        return UNSURE;
    }
  }
  return ACCEPT;
}

/** Combines the verdicts of the parts of a whole that needs all of them. */
const both = (a: Verdict, b: Verdict): Verdict => (a === REJECT || b === REJECT ? REJECT : a > b ? a : b);

/** The keys of each object schema's shape, listed once. */
const shapeKeys = new WeakMap<Record<string, z.ZodType>, readonly string[]>();

function keysOf(shape: Record<string, z.ZodType>): readonly string[] {
  let keys = shapeKeys.get(shape);
  if (keys === undefined) {
    keys = Object.keys(shape);
    shapeKeys.set(shape, keys);
  }
  return keys;
}

function objectVerdict(def: Def, value: unknown): Verdict {
  if (!isRecord(value)) return REJECT;
  if (def.shape === undefined || !isPlainRecord(value)) return UNSURE;
  const { shape } = def;
  const keys = keysOf(shape);
  let verdict: Verdict = ACCEPT;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const field = shape[key] as z.ZodType;
    if (!hasOwn.call(value, key)) {
      // An absent key is accepted only where the field is optional with nothing to fill in (zod 4 asks even
      // z.unknown() for it), and where no inherited member of that name answers zod's `key in value`.
      if (defOf(field).type !== 'optional' || !keepsUndefined(field) || key in value) {
        verdict = both(verdict, UNSURE);
      }
      continue;
    }
    verdict = both(verdict, verdictOf(field, value[key]));
    if (verdict === REJECT) return REJECT;
  }
  const extra = def.catchall === undefined ? 'strip' : defOf(def.catchall).type;
  if (extra === 'unknown' || extra === 'any') return verdict;
  for (const key in value) {
    if (hasOwn.call(value, key) && !hasOwn.call(shape, key)) {
      // Stripped (plain z.object: accepted, but changed), refused (strict), or checked by a catchall.
      return both(verdict, extra === 'never' ? REJECT : UNSURE);
    }
  }
  return verdict;
}

/** What zod would do with `value` under `schema`, where it can be told without running zod. */
export function verdictOf(schema: z.ZodType, value: unknown): Verdict {
  if (!isPlain(schema)) return UNSURE;
  const def = defOf(schema);
  switch (def.type) {
    case 'string':
      return typeof value === 'string' ? checksOf(def, value) : REJECT;
    case 'number':
      // zod 4 refuses NaN and ±Infinity.
      return typeof value === 'number' && Number.isFinite(value) ? checksOf(def, value) : REJECT;
    case 'boolean':
      return typeof value === 'boolean' ? ACCEPT : REJECT;
    case 'null':
      return value === null ? ACCEPT : REJECT;
    case 'unknown':
    case 'any':
      return ACCEPT;
    case 'literal':
      return def.values?.includes(value) ? ACCEPT : REJECT;
    case 'enum':
      if (def.entries === undefined) return UNSURE;
      return Object.values(def.entries).includes(value) ? ACCEPT : REJECT;
    case 'optional':
      if (value === undefined) return def.innerType && keepsUndefined(def.innerType) ? ACCEPT : UNSURE;
      return def.innerType ? verdictOf(def.innerType, value) : UNSURE;
    case 'nullable':
      if (value === null) return ACCEPT;
      return def.innerType ? verdictOf(def.innerType, value) : UNSURE;
    case 'array': {
      if (!Array.isArray(value)) return REJECT;
      if (def.element === undefined || Object.getPrototypeOf(value) !== Array.prototype) return UNSURE;
      let verdict = checksOf(def, value);
      for (let i = 0; i < value.length && verdict !== REJECT; i++) {
        verdict = both(verdict, verdictOf(def.element, value[i]));
      }
      return verdict;
    }
    case 'object':
      return objectVerdict(def, value);
    case 'record': {
      if (!isRecord(value)) return REJECT;
      if (def.keyType === undefined || def.valueType === undefined || !isPlainRecord(value)) return UNSURE;
      if (Object.getOwnPropertySymbols(value).length > 0) return UNSURE;
      const key = defOf(def.keyType);
      if (key.type !== 'string' || key.checks !== undefined || !isPlain(def.keyType)) return UNSURE;
      let verdict: Verdict = ACCEPT;
      for (const k in value) {
        if (!hasOwn.call(value, k)) continue;
        verdict = both(verdict, verdictOf(def.valueType, value[k]));
        if (verdict === REJECT) return REJECT;
      }
      return verdict;
    }
    case 'union': {
      // zod returns the first option that accepts: the value passes unchanged only when that option is
      // one that accepts it unchanged, and every option before it is known to refuse it.
      if (def.options === undefined) return UNSURE;
      for (const option of def.options) {
        const verdict = verdictOf(option, value);
        if (verdict !== REJECT) return verdict;
      }
      return REJECT;
    }
    default:
      return UNSURE;
  }
}
