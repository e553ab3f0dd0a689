/**
 * A Synqly write answered 2xx without the object it wrote (no `result`, or one without an id: an empty 204, a
 * gateway's `{}`). The result then holds nothing of it but an empty id, and a note says so instead of letting
 * that empty record pass for what Synqly created or changed.
 */
import { z } from 'zod';

/** Output field of that note. */
export const noteField = z
  .string()
  .optional()
  .describe("Present when Synqly's answer did not show the object: what is not confirmed, where to check.");

/**
 * `{note}` when `record` (as shaped by withId) has no id, else `{}`: "Synqly's answer did not show the `what`
 * (no id): `meaning`."
 */
export function unshownNote(record: { id: string }, what: string, meaning: string): { note?: string } {
  return record.id === '' ? { note: `Synqly's answer did not show the ${what} (no id): ${meaning}.` } : {};
}
