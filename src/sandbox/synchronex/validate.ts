/** Reading a Synchronex request: its JSON object body, typed fields and query limits (→ 422 validation). */
import { validation } from './envelope.js';
import type { Ctx } from './state.js';

/** A JSON object body. */
export type Obj = Record<string, unknown>;

/** The request body as an object (`{}` when absent); 422 when it is not an object. */
export function body(ctx: Ctx): Obj {
  const b = ctx.req.body;
  if (b === undefined) return {};
  if (typeof b !== 'object' || b === null || Array.isArray(b))
    throw validation('The body must be a JSON object.');
  return b as Obj;
}

/** A string field, undefined when absent or null; 422 when not a string. */
export function optString(b: Obj, field: string): string | undefined {
  const v = b[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw validation(`${field} must be a string.`);
  return v;
}

/** A non-blank string field; 422 when missing. */
export function reqString(b: Obj, field: string): string {
  const v = optString(b, field);
  if (v === undefined || v.trim() === '') throw validation(`${field} is required.`);
  return v;
}

/** A string or a list of strings as a list, undefined when absent or null; 422 when neither. */
export function optStringList(b: Obj, field: string): string[] | undefined {
  const v = b[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return [v];
  if (!Array.isArray(v) || !v.every((s) => typeof s === 'string')) {
    throw validation(`${field} must be a string or a list of strings.`);
  }
  return v as string[];
}

/** A positive integer query parameter up to `max`, undefined when absent; 422 otherwise. */
export function queryLimit(q: URLSearchParams, name: string, max: number): number | undefined {
  const raw = q.get(name);
  if (raw === null) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw validation(`${name} must be an integer from 1 to ${max}.`);
  return n;
}
