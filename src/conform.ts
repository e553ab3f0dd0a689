import type { z } from 'zod';
import { isRecord } from './json.js';

/**
 * Shapes upstream JSON into a tool's declared output, field by field: `conform(schema, raw)` keeps each
 * declared field whose value fits — recursing into nested objects, arrays and unions, coercing a scalar to
 * text where a string is declared (an API answering `401` for `"401"`) and numeric text to a number — drops
 * the ones that do not, and passes undeclared fields through only for `z.looseObject`. Upstream additions
 * never break a call; missing required fields are left for the boundary to report.
 */

/** The parts of a zod 4 schema definition this module reads. */
interface Def {
  type: string;
  innerType?: z.ZodType;
  element?: z.ZodType;
  options?: readonly z.ZodType[];
  catchall?: z.ZodType;
  shape?: Record<string, z.ZodType>;
}

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { def: Def }).def;
}

/** What fitValue answers when a value does not fit (any other answer is the fitted value). */
const NO: unique symbol = Symbol('does not fit');

/** A value shaped to `schema`, or NO. Allocates nothing for a scalar that fits as it is. */
function fitValue(schema: z.ZodType, value: unknown): unknown {
  const def = defOf(schema);
  switch (def.type) {
    case 'optional':
      return value === undefined || !def.innerType ? undefined : fitValue(def.innerType, value);
    case 'nullable':
      return value === null || !def.innerType ? null : fitValue(def.innerType, value);
    case 'string':
      if (typeof value === 'string') return value;
      if (typeof value === 'number' || typeof value === 'boolean') return String(value);
      return NO;
    case 'number':
      if (typeof value === 'number' && Number.isFinite(value)) return value;
      if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
      return NO;
    case 'boolean':
      return typeof value === 'boolean' ? value : NO;
    case 'array': {
      if (!Array.isArray(value) || !def.element) return NO;
      const element = def.element;
      const out: unknown[] = [];
      for (const item of value) {
        const r = fitValue(element, item);
        if (r !== NO) out.push(r);
      }
      return out;
    }
    case 'object':
      return isRecord(value) ? conform(schema as z.ZodObject, value) : NO;
    case 'record':
      return isRecord(value) ? value : NO;
    case 'union':
      for (const option of def.options ?? []) {
        const r = fitValue(option, value);
        if (r !== NO) return r;
      }
      return NO;
    case 'unknown':
    case 'any':
      return value;
    default:
      return schema.safeParse(value).success ? value : NO;
  }
}

/** An object schema's fields, and whether it keeps undeclared ones: read once per schema. */
interface ObjectPlan {
  fields: ReadonlyArray<readonly [string, z.ZodType]>;
  shape: Readonly<Record<string, z.ZodType>>;
  loose: boolean;
}
const plans = new WeakMap<object, ObjectPlan>();

function planOf(schema: z.ZodObject): ObjectPlan {
  let plan = plans.get(schema);
  if (!plan) {
    const def = defOf(schema);
    const shape = def.shape ?? {};
    const loose = def.catchall !== undefined && defOf(def.catchall).type === 'unknown';
    plan = { fields: Object.entries(shape), shape, loose };
    plans.set(schema, plan);
  }
  return plan;
}

/**
 * The declared fields of `raw` that fit `schema` (an object schema); undeclared fields are kept only when the
 * schema is loose. Required fields missing upstream stay missing, so the boundary reports the bad shape.
 */
export function conform<S extends z.ZodObject>(schema: S, raw: unknown): z.input<S> {
  const src = isRecord(raw) ? raw : {};
  const { fields, shape, loose } = planOf(schema);
  const out: Record<string, unknown> = {};
  for (const [key, field] of fields) {
    if (!(key in src)) continue;
    const r = fitValue(field, src[key]);
    if (r !== NO && r !== undefined) out[key] = r;
  }
  if (loose) for (const key of Object.keys(src)) if (!(key in shape)) out[key] = src[key];
  return out as z.input<S>;
}
