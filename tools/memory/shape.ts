/**
 * Helpers for the loosely documented memory APIs (Synchronex publishes no response schemas, api-notes §8.1):
 * outputs are declared with optional fields and shaped with the shared `conform()` from the fields present.
 */
import { isRecord } from '../../src/json.js';

export { conform } from '../../src/conform.js';

export { isRecord };

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
