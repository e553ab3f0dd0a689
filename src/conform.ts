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

type Fit = { ok: true; value: unknown } | { ok: false };
const NO: Fit = { ok: false };

function fitValue(schema: z.ZodType, value: unknown): Fit {
  const def = defOf(schema);
  switch (def.type) {
    case 'optional':
      return value === undefined || !def.innerType
        ? { ok: true, value: undefined }
        : fitValue(def.innerType, value);
    case 'nullable':
      return value === null || !def.innerType ? { ok: true, value: null } : fitValue(def.innerType, value);
    case 'string':
      if (typeof value === 'string') return { ok: true, value };
      if (typeof value === 'number' || typeof value === 'boolean') return { ok: true, value: String(value) };
      return NO;
    case 'number':
      if (typeof value === 'number' && Number.isFinite(value)) return { ok: true, value };
      if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value))
        return { ok: true, value: Number(value) };
      return NO;
    case 'boolean':
      return typeof value === 'boolean' ? { ok: true, value } : NO;
    case 'array': {
      if (!Array.isArray(value) || !def.element) return NO;
      const element = def.element;
      const out: unknown[] = [];
      for (const item of value) {
        const r = fitValue(element, item);
        if (r.ok) out.push(r.value);
      }
      return { ok: true, value: out };
    }
    case 'object':
      return isRecord(value) ? { ok: true, value: conform(schema as z.ZodObject, value) } : NO;
    case 'record':
      return isRecord(value) ? { ok: true, value } : NO;
    case 'union':
      for (const option of def.options ?? []) {
        const r = fitValue(option, value);
        if (r.ok) return r;
      }
      return NO;
    case 'unknown':
    case 'any':
      return { ok: true, value };
    default:
      return schema.safeParse(value).success ? { ok: true, value } : NO;
  }
}

/**
 * The declared fields of `raw` that fit `schema` (an object schema); undeclared fields are kept only when the
 * schema is loose. Required fields missing upstream stay missing, so the boundary reports the bad shape.
 */
export function conform<S extends z.ZodObject>(schema: S, raw: unknown): z.input<S> {
  const src = isRecord(raw) ? raw : {};
  const def = defOf(schema);
  const shape = def.shape ?? {};
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(shape)) {
    if (!(key in src)) continue;
    const r = fitValue(field, src[key]);
    if (r.ok && r.value !== undefined) out[key] = r.value;
  }
  const loose = def.catchall !== undefined && defOf(def.catchall).type === 'unknown';
  if (loose) for (const [key, value] of Object.entries(src)) if (!(key in shape)) out[key] = value;
  return out as z.input<S>;
}
