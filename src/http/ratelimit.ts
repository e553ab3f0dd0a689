/**
 * The upstream rate policy: which budget each request draws from, what the budgets are, and what the
 * answers teach. A budget is per API and credential (the hash of the secret, never the secret). Its rule
 * comes, strongest first, from `--rate-limit`, from the API's `X-RateLimit-Limit` as answers arrive (where
 * the documents give the window), and from the documents (api-notes, seeds):
 * - Synap: per minute per key, Free 60 with a burst of 10, Pro 600 with a burst of 50; the Free tier until
 *   the first answer says more.
 * - Synchronex: a daily quota per plan (500 / 10,000 / 50,000) that no request reveals in advance; its
 *   `X-RateLimit-Remaining` / `Reset` are mirrored, so the quota runs out here, not at the API.
 * - SyncGuard, Synqly: no published limit; a 429's Retry-After holds every request of that key back.
 * - Synapse: self-hosted, no limits (the LLM provider's quotas are its own): not limited.
 * A request never goes out over its budget: it waits while its deadline allows, or fails with an
 * actionable 429 without being sent.
 */
import { createHash, randomBytes } from 'node:crypto';
import { APIS } from '../apis.js';
import type { ServiceName } from '../errors.js';
import { MAX_HOLD_MS, type RateRule, type RateStore } from '../state/rates.js';

/** Documented Synap tiers: requests per minute → burst. */
const SYNAP_BURST: Readonly<Record<number, number>> = { 60: 10, 600: 50 };

/** What the documents say per API. */
interface Documented {
  /** Applied from the first request. */
  rule?: RateRule;
  /** The window X-RateLimit-Limit counts in, when the documents give it: the limit is learned from answers. */
  learnWindowMs?: number;
}

const DOCUMENTED: Readonly<Partial<Record<ServiceName, Documented>>> = Object.fromEntries(
  APIS.flatMap((a) => (a.rateLimit ? [[a.name, a.rateLimit]] : [])),
);

/** Tickets are unique per process: a random prefix and a counter. */
const TICKET_PREFIX = `${randomBytes(6).toString('hex')}-`;

/** Share of the limit below which the upstream's own Remaining/Reset are mirrored into the budget. */
const MIRROR_BELOW = 0.1;

/** A 429 with neither Retry-After nor X-RateLimit-Reset holds the key back this long. */
const DEFAULT_BLOCK_MS = 1_000;

/** How long a zero, negative or past hold (Retry-After: -5, a date gone by) holds back: briefly, not never. */
export const BRIEF_HOLD_MS = 1_000;

/**
 * An upstream's hold (ms, from Retry-After, an HTTP date, X-RateLimit-Reset or an error body) made sane: at
 * most an hour (MAX_HOLD_MS), and a zero, negative or past one a brief pause instead of a retry at once.
 * Undefined (no hold said) stays undefined.
 */
export function saneHoldMs(ms: number | undefined): number | undefined {
  if (ms === undefined || Number.isNaN(ms)) return undefined;
  if (ms <= 0) return BRIEF_HOLD_MS;
  return Math.min(ms, MAX_HOLD_MS);
}

/** Parses `<n>/<window>[:burst]`, window `<int>(ms|s|m|h|d)`, e.g. `20/2s`, `600/1m:50`. */
export function parseRateRule(text: string): RateRule | undefined {
  const m = /^(\d+)\/(\d+)(ms|s|m|h|d)(?::(\d+))?$/.exec(text.trim());
  if (!m) return undefined;
  const unit = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[
    m[3] as 'ms' | 's' | 'm' | 'h' | 'd'
  ];
  const limit = Number(m[1]);
  const windowMs = Number(m[2]) * unit;
  const burst = m[4] === undefined ? undefined : Number(m[4]);
  if (limit < 1 || windowMs < 1 || (burst !== undefined && burst < 1)) return undefined;
  return burst === undefined ? { limit, windowMs } : { limit, windowMs, burst };
}

/** A header value as a number, or undefined. */
function num(value: string | string[] | undefined): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (v === undefined || v.trim() === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * X-RateLimit-Reset as ms from now: a Unix time in seconds (the documents), in ms, or (small values) a
 * number of seconds from now, as some gateways send; never more than MAX_HOLD_MS (an hour).
 */
export function resetInMs(value: string | string[] | undefined, now: number): number | undefined {
  const n = num(value);
  if (n === undefined || n < 0) return undefined;
  // A time past is 0; a time absurdly far (99999999999, Unix seconds in the year 5138) is an hour.
  if (n > 1e12) return Math.min(MAX_HOLD_MS, Math.max(0, n - now));
  if (n > 1e9) return Math.min(MAX_HOLD_MS, Math.max(0, n * 1000 - now));
  return Math.min(MAX_HOLD_MS, n * 1000);
}

/** The headers an answer's observation reads (undici's raw, lowercase header object). */
export type RawHeaders = Readonly<Record<string, string | string[] | undefined>>;

/** Rate budgets of every API, over one store (memory or Redis). */
export class RateLimiter {
  /** Rules learned from X-RateLimit-Limit, per budget key. */
  private readonly learned = new Map<string, RateRule>();
  private readonly keyOf = new Map<string, string>();
  private tickets = 0;

  constructor(
    private readonly store: RateStore,
    private readonly overrides: Readonly<Partial<Record<ServiceName, RateRule>>> = {},
    private readonly now: () => number = Date.now,
    private readonly random: () => number = Math.random,
  ) {}

  /** True when requests to `service` draw from a budget at all. */
  limits(service: ServiceName): boolean {
    return DOCUMENTED[service] !== undefined || this.overrides[service] !== undefined;
  }

  /** The budget key of a credential: the API and a short hash of the secret sent. */
  key(service: ServiceName, credential: string): string {
    const cacheKey = `${service}\n${credential}`;
    let key = this.keyOf.get(cacheKey);
    if (key === undefined) {
      key = `${service}:${createHash('sha256').update(credential).digest('hex').slice(0, 16)}`;
      if (this.keyOf.size > 1_000) this.keyOf.clear();
      this.keyOf.set(cacheKey, key);
    }
    return key;
  }

  /** The rule in force for a key. The window is widened a little: requests take time to reach the API. */
  rule(service: ServiceName, key: string): RateRule | undefined {
    const base = this.overrides[service] ?? this.learned.get(key) ?? DOCUMENTED[service]?.rule;
    if (!base) return undefined;
    return { ...base, windowMs: base.windowMs + Math.min(1_000, Math.ceil(base.windowMs / 20)) };
  }

  /**
   * Waits until the budget grants one request. Resolves to the grant's ticket (pass it to `release` once the
   * answer came or the attempt failed), or to the ms still to wait when that would pass `deadline`: the
   * request must then not be sent. `holdMs` bounds how long the request counts as in flight.
   */
  async acquire(
    service: ServiceName,
    key: string,
    deadline: number,
    wait: (ms: number) => Promise<void>,
    holdMs: number,
  ): Promise<string | number> {
    const rule = this.rule(service, key);
    const ticket = `${TICKET_PREFIX}${++this.tickets}`;
    for (;;) {
      const ms = await this.store.take(key, rule, { ticket, ms: holdMs });
      if (ms <= 0) return ticket;
      // A little jitter, so requests held back together do not all ask again in the same millisecond.
      const pause = ms + Math.floor(this.random() * Math.min(25, ms));
      if (this.now() + pause >= deadline) return ms;
      await wait(pause);
    }
  }

  /** The request of `ticket` got its answer (or failed): from now on it counts for one window only. */
  release(key: string, ticket: string): void {
    this.store.release(key, ticket).catch(() => undefined);
  }

  /**
   * Learns from an answer: the limit in X-RateLimit-Limit (where the window is documented), the upstream's
   * own count when it runs low, and a 429's wait (Retry-After, else X-RateLimit-Reset when Remaining is 0,
   * else a second), which holds every
   * request of the key back — in every replica sharing the store.
   */
  async observe(
    service: ServiceName,
    key: string,
    status: number,
    headers: RawHeaders,
    retryAfterMs: number | undefined,
  ): Promise<void> {
    const now = this.now();
    const limit = num(headers['x-ratelimit-limit']);
    const remaining = num(headers['x-ratelimit-remaining']);
    const reset = resetInMs(headers['x-ratelimit-reset'], now);
    const doc = DOCUMENTED[service];
    if (limit !== undefined && limit >= 1 && doc?.learnWindowMs && !this.overrides[service]) {
      const known = this.learned.get(key);
      if (known?.limit !== limit) {
        const burst = SYNAP_BURST[limit] ?? Math.max(1, Math.ceil(limit / 12));
        this.learned.set(key, { limit, windowMs: doc.learnWindowMs, burst });
      }
    }
    if (status === 429) {
      const hold = saneHoldMs(retryAfterMs ?? (remaining === 0 ? reset : undefined)) ?? DEFAULT_BLOCK_MS;
      await this.store.block(key, hold);
      return;
    }
    if (remaining !== undefined && reset !== undefined && reset > 0) {
      const low = Math.max(1, Math.floor((limit ?? 0) * MIRROR_BELOW));
      if (remaining <= low) await this.store.mirror(key, remaining, reset);
    }
  }
}
