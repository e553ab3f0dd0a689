/**
 * Shapes upstream JSON into a tool's declared output. The memory APIs publish few response schemas
 * (Synchronex none, api-notes §8.1), so outputs are declared with optional fields and shaped from the fields
 * that are present: `conform(schema, raw)` keeps each declared field whose value fits (coercing numbers to
 * strings for ids and the like), drops the ones that do not, and — for `z.looseObject` — passes undeclared
 * fields through. What comes out always validates against the schema's optional fields.
 */
import type { z } from 'zod';

/** A plain JSON object. */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

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

/** The first non-empty string among `keys` of an object. */
export function firstText(src: Record<string, unknown>, keys: readonly string[]): string | undefined {
  for (const key of keys) {
    const v = src[key];
    if (typeof v === 'string' && v.trim() !== '') return v;
  }
  return undefined;
}

/** A string id from a string or number field. */
export function idOf(v: unknown): string | undefined {
  if (typeof v === 'string' && v !== '') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

/**
 * The list inside an unpublished response: the body itself when it is an array, else the first of `keys`
 * holding an array, else the first field holding an array of objects; `rest` keeps the other scalar fields
 * (counts, token totals). An object with none of these is one item when it carries text.
 */
export function listIn(
  data: unknown,
  keys: readonly string[],
): { items: Record<string, unknown>[]; rest: Record<string, string | number | boolean> } {
  const objects = (list: unknown[]) => list.filter(isRecord);
  if (Array.isArray(data)) return { items: objects(data), rest: {} };
  if (!isRecord(data)) return { items: [], rest: {} };
  let listKey = keys.find((k) => Array.isArray(data[k]));
  listKey ??= Object.keys(data).find((k) => {
    const v = data[k];
    return Array.isArray(v) && v.length > 0 && v.every(isRecord);
  });
  const rest: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(data)) {
    if (k === listKey) continue;
    if (typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)))
      rest[k] = v;
  }
  if (listKey !== undefined) return { items: objects(data[listKey] as unknown[]), rest };
  return { items: [], rest };
}
