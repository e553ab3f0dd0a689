/**
 * Words for a SyncGuard write whose answer did not show what it changed. What the writes return is not
 * documented (api-notes §7.2), and an answer without the object (`data: null`, an empty 204) accepted the
 * request without saying what SyncGuard now holds: the result then names what is not confirmed and where to
 * look, instead of presenting what was asked as SyncGuard's.
 */
import { z } from 'zod';
import { isRecord } from './schemas.js';

/** Output field of such a note. */
export const noteField = z
  .string()
  .optional()
  .describe('What SyncGuard did not confirm, and where to check it.');

/** The `fields` that `shown` (the object in the answer, if any) does not hold ('' is an absent id, see idOf). */
export function notShown(shown: unknown, fields: readonly string[]): string[] {
  const src = isRecord(shown) ? shown : {};
  return fields.filter((k) => src[k] === undefined || src[k] === null || src[k] === '');
}

/**
 * "SyncGuard accepted the `what` (HTTP `status`) but its answer did not show `missing`: `meaning`. `check`"
 * `meaning` says what the unconfirmed part of the result is; `check` names the read that shows it.
 */
export function unconfirmed(
  status: number,
  what: string,
  missing: readonly string[],
  meaning: string,
  check: string,
): string {
  return `SyncGuard accepted the ${what} (HTTP ${status}) but its answer did not show ${missing.join(', ')}: ${meaning}. ${check}`;
}
