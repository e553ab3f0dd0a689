/**
 * What a Synap compaction answer says was done. The compact call "returns immediately with an in-progress
 * status" (the SDK, api-notes §4): the summary is made in the background, so a result never presents a
 * compaction as done, nor its summary as there, unless the answer says it is completed.
 */
import { z } from 'zod';

const optText = z.string().nullable().optional();

/** A compaction as compact_conversation and get_compaction_status report it. */
export const compactionOutput = z.looseObject({
  compaction_id: optText,
  conversation_id: optText,
  status: optText,
  estimated_completion_seconds: z.number().nullable().optional(),
  note: z.string().optional().describe('Done or not, and what next'),
});

/** Statuses that say the compaction is done. */
const DONE = new Set(['completed', 'complete', 'succeeded', 'success', 'done']);
/** Statuses that say it failed. */
const FAILED = new Set(['failed', 'error', 'cancelled', 'canceled']);
/** Statuses that say it was started and is not done yet. */
const RUNNING = new Set([
  'in_progress',
  'in-progress',
  'queued',
  'pending',
  'started',
  'running',
  'processing',
  'accepted',
]);

/** The note on a compaction answer of HTTP `http` for `conversationId`; `body` is its (conformed) fields. */
export function compactionNote(
  http: number,
  body: z.input<typeof compactionOutput>,
  conversationId: string,
): string {
  const status = typeof body.status === 'string' && body.status !== '' ? body.status : undefined;
  const said = status ? `HTTP ${http}, status: ${status}` : `HTTP ${http}, no status`;
  const state = status?.toLowerCase();
  if (state !== undefined && DONE.has(state)) {
    return (
      `Synap says the compaction is completed (${said}): fetch_context with scope conversation and ` +
      `conversation_id ${conversationId} shows its summary.`
    );
  }
  if (state !== undefined && FAILED.has(state)) {
    return `Synap says the compaction did not complete (${said}); there is no new summary.`;
  }
  if (state === undefined || !RUNNING.has(state)) {
    // A status syn-mcp does not know ("none", "not_found", …) or none at all: its meaning is not guessed.
    return (
      `Synap's answer (${said}) does not say the compaction was started or is done: tell the user what ` +
      `Synap answered, not more; get_compaction_status for conversation_id ${conversationId} asks again.`
    );
  }
  const eta =
    typeof body.estimated_completion_seconds === 'number'
      ? ` (Synap estimates ${body.estimated_completion_seconds} s)`
      : '';
  return (
    `Synap has not finished the compaction (${said}): there is no summary yet. Follow it with ` +
    `get_compaction_status for conversation_id ${conversationId}${eta}; tell the user it was started, not ` +
    'that it is done.'
  );
}
