/**
 * A time window over SyncGuard incidents, applied by syn-mcp (the API has no time filter, seed 002): an
 * incident is in it when it was opened or reopened inside it. Bounds are RFC 3339 times or ages ("1h" = an
 * hour before `now`), `now` being fixed at the first page so that later pages keep the same window.
 */
import { instantOf } from '../../src/instant.js';

/** A resolved window: epoch ms bounds, the anchor of ages, and how to say it. */
export interface IncidentWindow {
  since: number | undefined;
  until: number | undefined;
  now: number;
  text: string;
}

/** The window of `since` / `until`, anchored at `now`. */
export function windowOf(
  args: { since?: string | undefined; until?: string | undefined },
  now: number,
): IncidentWindow {
  const since = args.since !== undefined ? instantOf('since', args.since, now) : undefined;
  const until = args.until !== undefined ? instantOf('until', args.until, now) : undefined;
  const iso = (t: number) => new Date(t).toISOString();
  const text =
    since !== undefined && until !== undefined
      ? `between ${iso(since)} and ${iso(until)}`
      : since !== undefined
        ? `since ${iso(since)}`
        : `until ${iso(until ?? now)}`;
  return { since, until, now, text };
}

/** True when the incident was opened or reopened inside the window. */
export function inWindow(
  incident: { openedAt?: string | null | undefined; reopenedAt?: string | null | undefined },
  window: IncidentWindow,
): boolean {
  return [incident.openedAt, incident.reopenedAt].some((at) => {
    const t = typeof at === 'string' ? Date.parse(at) : Number.NaN;
    if (Number.isNaN(t)) return false;
    return (
      (window.since === undefined || t >= window.since) && (window.until === undefined || t <= window.until)
    );
  });
}
