/** The digest that binds sealed request state to one call's arguments. */
import { createHash } from 'node:crypto';

/** A JSON value with the keys of every object sorted, so equal arguments give equal text. */
function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(record)
        .sort()
        .map((k) => [k, sorted(record[k])]),
    );
  }
  return value;
}

/**
 * Canonical JSON of `value`: JSON's own rules (undefined members dropped, undefined in arrays as null,
 * non-finite numbers as null), then every object's keys in code-unit order.
 */
export function canonicalJson(value: unknown): string {
  const plain = JSON.stringify(value);
  if (plain === undefined) return 'null';
  return JSON.stringify(sorted(JSON.parse(plain)));
}

/** SHA-256 (base64url) of the canonical JSON of a call's arguments. */
export function argsDigest(args: unknown): string {
  return createHash('sha256').update(canonicalJson(args)).digest('base64url');
}
