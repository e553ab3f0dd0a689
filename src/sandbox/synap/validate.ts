/** Request-body checks of the Synap emulator; each failure is a 400 INVALID_INPUT naming the field. */
import { invalid } from './envelope.js';

/** A JSON object body. */
export type Body = Record<string, unknown>;

/** The body as an object, or a 400 when it is missing or not an object. */
export function objectBody(body: unknown): Body {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalid('body', 'a JSON object is required');
  }
  return body as Body;
}

/** A required non-empty string. */
export function requiredString(body: Body, field: string): string {
  const v = body[field];
  if (typeof v !== 'string' || v.trim() === '') throw invalid(field, 'field required (a non-empty string)');
  return v;
}

/** An optional string (null counts as absent). */
export function optionalString(body: Body, field: string): string | null {
  const v = body[field];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') throw invalid(field, 'must be a string');
  return v;
}

/** An optional value from a fixed list. */
export function optionalEnum<T extends string>(body: Body, field: string, allowed: readonly T[]): T | null {
  const v = body[field];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw invalid(field, `must be one of ${allowed.join(', ')}`);
  }
  return v as T;
}

/** An optional JSON object. */
export function optionalObject(body: Body, field: string): Record<string, unknown> | null {
  const v = body[field];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'object' || Array.isArray(v)) throw invalid(field, 'must be an object');
  return v as Record<string, unknown>;
}

/** An optional boolean. */
export function optionalBoolean(body: Body, field: string): boolean | null {
  const v = body[field];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'boolean') throw invalid(field, 'must be a boolean');
  return v;
}

/** An optional integer within bounds. */
export function optionalInt(body: Body, field: string, min: number, max: number): number | null {
  const v = body[field];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw invalid(field, `must be an integer from ${min} to ${max}`);
  }
  return v;
}

/** An optional list of strings. */
export function optionalStringList(body: Body, field: string): string[] | null {
  const v = body[field];
  if (v === undefined || v === null) return null;
  if (!Array.isArray(v) || !v.every((s) => typeof s === 'string')) {
    throw invalid(field, 'must be a list of strings');
  }
  return v as string[];
}

/** An integer query parameter within bounds (absent → fallback). */
export function queryInt(
  query: URLSearchParams,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = query.get(name);
  if (raw === null) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    throw invalid(name, `must be an integer from ${min} to ${max}`);
  return n;
}
