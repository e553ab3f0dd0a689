/**
 * A time window over SyncGuard incidents, applied by syn-mcp (the API has no time filter, seed 002): an
 * incident is in it when it was opened or reopened inside it. Bounds are RFC 3339 times or ages ("1h" = an
 * hour before `now`), `now` being fixed at the first page so that later pages keep the same window.
 */
import { InputError } from '../../src/errors.js';

/** A resolved window: epoch ms bounds, the anchor of ages, and how to say it. */
export interface IncidentWindow {
  since: number | undefined;
  until: number | undefined;
  now: number;
  text: string;
}

const AGO = /^(\d{1,6})\s*(m|h|d)$/;
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const RFC3339 = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/;

function instant(field: 'since' | 'until', raw: string, now: number): number {
  const v = raw.trim();
  const ago = AGO.exec(v);
  if (ago) return now - Number(ago[1]) * UNIT_MS[ago[2] as keyof typeof UNIT_MS];
  const at = RFC3339.test(v) ? Date.parse(v) : Number.NaN;
  if (Number.isNaN(at)) {
    throw new InputError('Give an RFC 3339 time (2026-01-31T09:00:00Z) or an age such as 1h, 30m or 7d.', [
      { path: field, message: `"${raw}" is not a time` },
    ]);
  }
  return at;
}

/** The window of `since` / `until`, anchored at `now`. */
export function windowOf(
  args: { since?: string | undefined; until?: string | undefined },
  now: number,
): IncidentWindow {
  const since = args.since !== undefined ? instant('since', args.since, now) : undefined;
  const until = args.until !== undefined ? instant('until', args.until, now) : undefined;
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
