import { InputError } from './errors.js';

const AGO = /^(\d{1,6})\s*(m|h|d)$/;
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const RFC3339 = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/;

/**
 * A time argument (`since`, `until`) as epoch ms: an RFC 3339 time, or an age such as "1h", "30m" or "7d"
 * counted back from `now`. Anything else is an InputError naming the argument.
 */
export function instantOf(field: string, raw: string, now: number): number {
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
