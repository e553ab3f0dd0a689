/**
 * Request validation for the SyncGuard emulator. Every failure is a 400 ValidationError (errorCode 4)
 * whose message names the field, e.g. "integrationKey is required.".
 */
import { validationError } from './envelope.js';

/** A JSON object body. */
export type JsonObject = Record<string, unknown>;

/** The body as an object; a missing or non-object body is a validation error. */
export function requireObject(body: unknown): JsonObject {
  if (body === undefined || body === null) throw validationError('Request body is required.');
  if (typeof body !== 'object' || Array.isArray(body))
    throw validationError('Request body must be a JSON object.');
  return body as JsonObject;
}

/** A required non-blank string. */
export function requiredString(obj: JsonObject, field: string): string {
  const value = obj[field];
  if (value === undefined || value === null) throw validationError(`${field} is required.`);
  if (typeof value !== 'string') throw validationError(`${field} must be a string.`);
  if (value.trim() === '') throw validationError(`${field} is required.`);
  return value;
}

/** An optional string (`null` counts as absent); blank strings are rejected. */
export function optionalString(obj: JsonObject, field: string): string | undefined {
  const value = obj[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw validationError(`${field} must be a string.`);
  if (value.trim() === '') throw validationError(`${field} must not be empty.`);
  return value;
}

/** An optional boolean (`null` counts as absent). */
export function optionalBoolean(obj: JsonObject, field: string): boolean | undefined {
  const value = obj[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw validationError(`${field} must be a boolean.`);
  return value;
}

/** An optional positive integer; with `nullable`, `null` is returned as `null` (meaning "clear it"). */
export function optionalPositiveInt(
  obj: JsonObject,
  field: string,
  nullable: boolean,
): number | null | undefined {
  const value = obj[field];
  if (value === undefined) return undefined;
  if (value === null) return nullable ? null : undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw validationError(`${field} must be a positive integer.`);
  }
  return value;
}

/** An optional JSON object (`null` counts as absent). */
export function optionalJsonObject(obj: JsonObject, field: string): JsonObject | undefined {
  const value = obj[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value))
    throw validationError(`${field} must be a JSON object.`);
  return value as JsonObject;
}

/** An integer query parameter within [min, max], or `fallback` when absent or empty. */
export function queryInt(
  query: URLSearchParams,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = query.get(name);
  if (raw === null || raw === '') return fallback;
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw validationError(
      max === Number.MAX_SAFE_INTEGER
        ? `${name} must be an integer greater than or equal to ${min}.`
        : `${name} must be an integer between ${min} and ${max}.`,
    );
  }
  return value;
}

/** A `true`/`false` query parameter (case-insensitive), `undefined` when absent or empty. */
export function queryBoolean(query: URLSearchParams, name: string): boolean | undefined {
  const raw = query.get(name);
  if (raw === null || raw === '') return undefined;
  const lower = raw.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  throw validationError(`${name} must be true or false.`);
}

/** `page` (default 1) and `pageSize` (default 25, at most 100). */
export function paging(query: URLSearchParams): { page: number; pageSize: number } {
  return {
    page: queryInt(query, 'page', 1, 1, Number.MAX_SAFE_INTEGER),
    pageSize: queryInt(query, 'pageSize', 25, 1, 100),
  };
}

/** `{items, page, pageSize, totalCount}` for one page of `all`. */
export function pageOf<T>(all: readonly T[], page: number, pageSize: number): Record<string, unknown> {
  const start = (page - 1) * pageSize;
  return { items: all.slice(start, start + pageSize), page, pageSize, totalCount: all.length };
}
