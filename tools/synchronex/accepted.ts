/**
 * What an ingest answer says was done. Synchronex publishes no response bodies (api-notes §8.1); a 202, or a
 * status like `accepted` or `queued`, only accepted the signal for processing: it is not stored yet and a
 * search right after may not find it, so the result never presents it as stored.
 */

/** Statuses that say the work is still to be done. */
const PENDING = new Set(['accepted', 'queued', 'pending', 'processing', 'in_progress']);

/** The note on an ingest answer of HTTP `status` whose body said `said` (its `status` field, if any). */
export function acceptedText(status: number, said: string | null | undefined): string {
  const saidText = typeof said === 'string' && said !== '' ? `, status: ${said}` : '';
  if (status === 202 || (typeof said === 'string' && PENDING.has(said.toLowerCase()))) {
    return (
      `Synchronex accepted the signal for processing (HTTP ${status}${saidText}); it is not stored yet, and ` +
      'search_memory may not find it until Synchronex has processed it. Tell the user it was sent for ' +
      'processing, not that it is stored.'
    );
  }
  return `Synchronex answered HTTP ${status}${saidText}; it did not say when search_memory will find the signal.`;
}
