/** Text helpers for what the Synapse tools tell the model: upstream strings, shortened and punctuated. */
import { MAX_UPSTREAM_TEXT } from '../../src/errors.js';
import { isIdShaped } from '../../src/id-shaped.js';

/** A string field, or undefined. */
export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** Upstream text shortened for messages to the model. */
export function cutText(text: string, max = MAX_UPSTREAM_TEXT): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max)}…` : oneLine;
}

/** Upstream text as one sentence: shortened, ending with exactly one full stop (or its own ! or ?). */
export function sentence(text: string): string {
  const t = cutText(text).replace(/\.+$/, '');
  return /[!?\u2026]$/.test(t) ? t : `${t}.`;
}

/**
 * An upstream value (a run id, a status, a field name) as syn-mcp may quote it in its own words: only when it
 * is identifier-shaped (src/fence.ts); anything else stays in the data, and the words point at its field.
 */
export function quotable(v: string | undefined): string | undefined {
  return v !== undefined && isIdShaped(v) ? v : undefined;
}
