/**
 * Plain-words rendering of a call's argument values for a confirmation message the user reads: the model
 * chose these values, so each is cleaned of invisible characters and line breaks (it cannot fake a line of
 * the message), cut short, and quoted unless it is a plain identifier.
 */
import { stripInvisible } from '../fence.js';

/** Longest value shown as it is. */
const MAX_VALUE = 80;
const IDENT = /^[\w.:@/+#-]{1,80}$/;

/** One line of text: invisible characters removed, whitespace runs as one space, cut at `max`. */
export function oneLine(value: unknown, max = MAX_VALUE): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
  const flat = stripInvisible(text).replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** An id or name: as it is when it is a plain identifier, else quoted. */
export function ident(value: unknown): string {
  const text = oneLine(value);
  return IDENT.test(text) ? text : `"${text}"`;
}

/** A free text, always quoted. */
export function quoted(value: unknown, max = MAX_VALUE): string {
  return `"${oneLine(value, max)}"`;
}

/** "1 operation", "3 operations". */
export function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** The number of items of an array value (0 when it is not one). */
export function lengthOf(value: unknown): number {
  return Array.isArray(value) ? value.length : 0;
}

/** A size in bytes as people read it: "512 bytes", "1.5 KB", "2.0 MB". */
export function bytes(n: number): string {
  if (n < 1024) return count(n, 'byte');
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}

/** The size of a document given as text or JSON. */
export function documentSize(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
  return bytes(Buffer.byteLength(text, 'utf8'));
}

/** "a", "a and b", "a, b and c". */
export function listOf(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** The top-level field names of an object value, at most `max` of them (plain identifiers only). */
export function fieldNames(value: unknown, max = 8): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  const names = Object.keys(value).map((k) => ident(k));
  return names.length > max ? [...names.slice(0, max), `${names.length - max} more`] : names;
}

/**
 * Where a Synqly connector call lands: the integration named by accountId and integrationId, or the one of
 * SYNQLY_INTEGRATION_TOKEN when neither is given.
 */
export function synqlyTarget(accountId: unknown, integrationId: unknown): string {
  const hasAccount = typeof accountId === 'string' && accountId !== '';
  const hasIntegration = typeof integrationId === 'string' && integrationId !== '';
  if (hasIntegration && hasAccount)
    return `Synqly integration ${ident(integrationId)} (account ${ident(accountId)})`;
  if (hasIntegration) return `Synqly integration ${ident(integrationId)}`;
  if (hasAccount) return `a Synqly integration of account ${ident(accountId)}`;
  return 'the Synqly integration of SYNQLY_INTEGRATION_TOKEN';
}
