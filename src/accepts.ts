import type { z } from 'zod';
import { isRecord } from './json.js';

/**
 * A quick answer to "would this zod schema accept this value exactly as it is?", for the boundary's check of
 * every tool result against the tool's output schema.
 *
 * zod parses each schema through code it generates for that schema, which V8 only makes fast after thousands
 * of parses: a list result of a dozen records costs 100–300 µs to validate for the first several hundred
 * calls of a session (5 µs once warm), more than the rest of syn-mcp's work on the call. This compiles each
 * schema's definition once into a tree of small closures whose code every schema and every tool shares, so
 * it is fast from the first calls on. It decides only what it can decide exactly and leaves the rest to zod:
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

/** Whether a schema is one of the plain kinds above (asked while compiling it, never per value). */
function isPlain(schema: z.ZodType): boolean {
  const def = defOf(schema);
  const members = MEMBERS[def.type];
  const traits = (schema as unknown as { _zod?: { traits?: Set<string> } })._zod?.traits;
  return (
    members !== undefined &&
    Object.keys(def).every((k) => members.includes(k)) &&
    // z.exactOptional() has the definition of z.optional() but refuses an explicit undefined.
    traits?.has('$ZodExactOptional') !== true &&
    (def.type !== 'enum' || Object.values(def.entries ?? {}).every((v) => typeof v === 'string'))
  );
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

function isPlainRecord(v: Record<string, unknown>): boolean {
  const proto = Object.getPrototypeOf(v);
  return (proto === Object.prototype || proto === null) && !hasOwn.call(v, '__proto__');
}

/** Strings whose length zod counts differently (in code points): any with a surrogate. */
const SURROGATE = /[\uD800-\uDFFF]/;

/** Combines the verdicts of the parts of a whole that needs all of them. */
const both = (a: Verdict, b: Verdict): Verdict => (a === REJECT || b === REJECT ? REJECT : a > b ? a : b);

/** A schema turned into a function of the value, made once per schema (`verdictOf`). */
type Check = (value: unknown) => Verdict;

const unsure: Check = () => UNSURE;
const accept: Check = () => ACCEPT;

/**
 * The checks of a string, number or array as one function of a value already of the right type; undefined
 * when one of them is not told here (the value is then UNSURE).
 */
function checksOf(def: Def): ((value: string | number | readonly unknown[]) => Verdict) | undefined {
  const parts: ((value: string | number | readonly unknown[]) => boolean)[] = [];
  let surrogates = false;
  for (const check of def.checks ?? []) {
    const c = check._zod.def;
    if (c.check === 'number_format' && c.format === 'safeint') {
      parts.push((v) => Number.isSafeInteger(v));
    } else if (c.check === 'min_length' && c.minimum !== undefined && def.type !== 'number') {
      const min = c.minimum;
      parts.push((v) => (v as string | readonly unknown[]).length >= min);
      surrogates = def.type === 'string';
    } else if (c.check === 'max_length' && c.maximum !== undefined && def.type !== 'number') {
      const max = c.maximum;
      parts.push((v) => (v as string | readonly unknown[]).length <= max);
      surrogates = def.type === 'string';
    } else {
      return undefined;
    }
  }
  if (parts.length === 0) return () => ACCEPT;
  return (value) => {
    // zod counts a string's length in code points: one with a surrogate is left to it.
    if (surrogates && SURROGATE.test(value as string)) return UNSURE;
    for (const part of parts) if (!part(value)) return REJECT;
    return ACCEPT;
  };
}

function compileObject(def: Def): Check {
  const { shape } = def;
  if (shape === undefined) return (value) => (isRecord(value) ? UNSURE : REJECT);
  const keys = Object.keys(shape);
  const fields = keys.map((k) => checkOf(shape[k] as z.ZodType));
  // An absent key is accepted only where the field is optional with nothing to fill in (zod 4 asks even
  // z.unknown() for it), and where no inherited member of that name answers zod's `key in value`.
  const mayBeAbsent = keys.map((k) => {
    const field = shape[k] as z.ZodType;
    return defOf(field).type === 'optional' && keepsUndefined(field);
  });
  const extra = def.catchall === undefined ? 'strip' : defOf(def.catchall).type;
  const extrasPass = extra === 'unknown' || extra === 'any';
  // A key not in the shape is stripped (plain z.object: accepted, but changed), refused (strict), or
  // checked by a catchall.
  const onExtra: Verdict = extra === 'never' ? REJECT : UNSURE;
  return (value) => {
    if (!isRecord(value)) return REJECT;
    if (!isPlainRecord(value)) return UNSURE;
    let verdict: Verdict = ACCEPT;
    let present = 0;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as string;
      if (!hasOwn.call(value, key)) {
        if (!mayBeAbsent[i] || key in value) verdict = UNSURE;
        continue;
      }
      present++;
      verdict = both(verdict, (fields[i] as Check)(value[key]));
      if (verdict === REJECT) return REJECT;
    }
    if (extrasPass) return verdict;
    // Own keys beyond the shape's present ones: counted first, so that the usual case walks no keys twice.
    let own = 0;
    for (const key in value) if (hasOwn.call(value, key)) own++;
    return own === present ? verdict : both(verdict, onExtra);
  };
}

function compile(schema: z.ZodType): Check {
  if (!isPlain(schema)) return unsure;
  const def = defOf(schema);
  switch (def.type) {
    case 'string': {
      const checks = checksOf(def);
      return (v) => (typeof v !== 'string' ? REJECT : checks ? checks(v) : UNSURE);
    }
    case 'number': {
      const checks = checksOf(def);
      // zod 4 refuses NaN and ±Infinity.
      return (v) => (typeof v !== 'number' || !Number.isFinite(v) ? REJECT : checks ? checks(v) : UNSURE);
    }
    case 'boolean':
      return (v) => (typeof v === 'boolean' ? ACCEPT : REJECT);
    case 'null':
      return (v) => (v === null ? ACCEPT : REJECT);
    case 'unknown':
    case 'any':
      return accept;
    case 'literal': {
      const values = def.values ?? [];
      return (v) => (values.includes(v) ? ACCEPT : REJECT);
    }
    case 'enum': {
      const values = Object.values(def.entries ?? {});
      return (v) => (values.includes(v) ? ACCEPT : REJECT);
    }
    case 'optional': {
      if (def.innerType === undefined) return unsure;
      const inner = checkOf(def.innerType);
      const whenUndefined = keepsUndefined(def.innerType) ? ACCEPT : UNSURE;
      return (v) => (v === undefined ? whenUndefined : inner(v));
    }
    case 'nullable': {
      if (def.innerType === undefined) return unsure;
      const inner = checkOf(def.innerType);
      return (v) => (v === null ? ACCEPT : inner(v));
    }
    case 'array': {
      if (def.element === undefined) return (v) => (Array.isArray(v) ? UNSURE : REJECT);
      const element = checkOf(def.element);
      const checks = checksOf(def);
      return (v) => {
        if (!Array.isArray(v)) return REJECT;
        if (Object.getPrototypeOf(v) !== Array.prototype) return UNSURE;
        let verdict = checks ? checks(v) : UNSURE;
        for (let i = 0; i < v.length && verdict !== REJECT; i++) verdict = both(verdict, element(v[i]));
        return verdict;
      };
    }
    case 'object':
      return compileObject(def);
    case 'record': {
      const keyDef = def.keyType ? defOf(def.keyType) : undefined;
      const keysPlain =
        def.keyType !== undefined && keyDef?.type === 'string' && !keyDef.checks && isPlain(def.keyType);
      if (!keysPlain || def.valueType === undefined) return (v) => (isRecord(v) ? UNSURE : REJECT);
      const item = checkOf(def.valueType);
      return (v) => {
        if (!isRecord(v)) return REJECT;
        if (!isPlainRecord(v) || Object.getOwnPropertySymbols(v).length > 0) return UNSURE;
        let verdict: Verdict = ACCEPT;
        for (const k in v) {
          if (!hasOwn.call(v, k)) continue;
          verdict = both(verdict, item(v[k]));
          if (verdict === REJECT) return REJECT;
        }
        return verdict;
      };
    }
    case 'union': {
      // zod returns the first option that accepts: the value passes unchanged only when that option is
      // one that accepts it unchanged, and every option before it is known to refuse it.
      const options = (def.options ?? []).map(checkOf);
      if (options.length === 0) return unsure;
      return (v) => {
        for (const option of options) {
          const verdict = option(v);
          if (verdict !== REJECT) return verdict;
        }
        return REJECT;
      };
    }
    default:
      return unsure;
  }
}

const checks = new WeakMap<z.ZodType, Check>();

/** The check of a schema, compiled on first use. */
function checkOf(schema: z.ZodType): Check {
  let check = checks.get(schema);
  if (check === undefined) {
    // A placeholder while compiling, should a schema ever reach itself (only z.lazy can, which is not
    // plain and never compiled through; this keeps that true whatever zod does).
    checks.set(schema, unsure);
    check = compile(schema);
    checks.set(schema, check);
  }
  return check;
}

/** What zod would do with `value` under `schema`, where it can be told without running zod. */
export function verdictOf(schema: z.ZodType, value: unknown): Verdict {
  return checkOf(schema)(value);
}
