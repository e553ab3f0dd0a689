/**
 * Upstream rate budgets: what may be sent to one API with one credential, and when. One interface, two
 * stores: in memory (one process, the default) and in Redis (every replica sharing one budget, see
 * src/state/redis-rates.ts). Every duration crossing the interface is relative (ms from now), so the Redis store
 * can keep all its times on the Redis server's clock and replicas whose clocks differ still agree.
 *
 * A budget for a key combines, all or nothing:
 * - a block: nothing before a moment (a 429's Retry-After, seen by any replica);
 * - a mirror of the upstream's own count (X-RateLimit-Remaining until X-RateLimit-Reset), decremented by
 *   each request granted, so a quota the API reports runs out here instead of at the API;
 * - a rule: at most `limit` requests in any `windowMs` (a sliding log, which keeps any fixed window the API
 *   counts under the limit too), and with `burst`, at most `burst` at once, refilled at limit/window.
 */

/**
 * Longest an upstream may hold a key back (Retry-After, X-RateLimit-Reset): an hour. A larger value is a bug
 * or an attack upstream, and must not stop an API for years, in memory or in Redis.
 */
export const MAX_HOLD_MS = 3_600_000;

/** A hold clamped to what a store accepts: 0 … MAX_HOLD_MS (NaN: 0). */
export function clampHold(ms: number): number {
  return ms > 0 ? Math.min(ms, MAX_HOLD_MS) : 0;
}

/** A request rate: `limit` per `windowMs`, optionally no more than `burst` back to back. */
export interface RateRule {
  limit: number;
  windowMs: number;
  burst?: number | undefined;
}

/**
 * How a granted request is counted while it is in flight: the API counts it when it arrives, which may be
 * any time before its answer, so it holds its slot from the grant until one window after its answer (at most
 * `ms`, its attempt timeout, if the answer never comes) — whatever the latency, no window of arrivals at the
 * API then holds more than the limit.
 */
export interface Hold {
  ticket: string;
  ms: number;
}

/** The shared part of rate limiting. `take` counts a request only when it grants it. */
export interface RateStore {
  /**
   * Asks for one request under `rule` (no rule: only blocks and the mirror apply). Resolves to 0 when
   * granted (and counted), or to the ms to wait before asking again (nothing counted).
   */
  take(key: string, rule: RateRule | undefined, hold?: Hold): Promise<number>;
  /**
   * The request granted with `ticket` got its answer (or failed): it now counts as sent at this moment,
   * for one window. Until then it counts as in flight, for at most its hold.
   */
  release(key: string, ticket: string): Promise<void>;
  /** Nothing is granted for `key` during the next `ms` (a 429's Retry-After). */
  block(key: string, ms: number): Promise<void>;
  /** The upstream says `remaining` requests are left until `resetInMs` from now. */
  mirror(key: string, remaining: number, resetInMs: number): Promise<void>;
}

interface Bucket {
  tokens: number;
  at: number;
}

/** One granted request: counted until `t` + window; `t` is in the future while it is in flight. */
interface Entry {
  t: number;
  ticket: string | undefined;
}

interface KeyState {
  /** Granted requests by `t`, oldest first (only while a rule applies). */
  log: Entry[];
  blockUntil: number;
  mirrorRemaining: number | undefined;
  mirrorReset: number;
  bucket: Bucket | undefined;
}

/** Smallest wait handed out, so callers never spin. */
const MIN_WAIT_MS = 1;

/** How often a request held back by requests still in flight asks again (their answers free the slot). */
export function inflightPollMs(windowMs: number): number {
  return Math.max(10, Math.min(250, Math.floor(windowMs / 10)));
}

/** Inserts keeping the log sorted by `t` (entries mostly arrive at the end). */
function insertSorted(log: Entry[], entry: Entry): void {
  let i = log.length;
  while (i > 0 && (log[i - 1]?.t ?? 0) > entry.t) i--;
  log.splice(i, 0, entry);
}

/**
 * The in-memory store: exact for one process. As the fallback of the Redis store it is given the share of
 * each limit that one replica may use (`share`), and can be told about requests other replicas made.
 */
export class MemoryRateStore implements RateStore {
  private readonly keys = new Map<string, KeyState>();
  /** Divides every rule's limit (and burst): the number of replicas sharing the upstream budget. */
  share = 1;

  constructor(private readonly now: () => number = Date.now) {}

  private state(key: string): KeyState {
    let s = this.keys.get(key);
    if (!s) {
      s = { log: [], blockUntil: 0, mirrorRemaining: undefined, mirrorReset: 0, bucket: undefined };
      this.keys.set(key, s);
    }
    return s;
  }

  take(key: string, rule: RateRule | undefined, hold?: Hold): Promise<number> {
    return Promise.resolve(this.takeNow(key, rule, hold));
  }

  release(key: string, ticket: string): Promise<void> {
    this.releaseNow(key, ticket);
    return Promise.resolve();
  }

  /** `release` without the promise. */
  releaseNow(key: string, ticket: string): void {
    const log = this.keys.get(key)?.log;
    if (!log) return;
    // In-flight entries sit at the end (their `t` is in the future).
    for (let i = log.length - 1; i >= 0; i--) {
      const entry = log[i];
      if (entry?.ticket !== ticket) continue;
      log.splice(i, 1);
      insertSorted(log, { t: this.now(), ticket: undefined });
      return;
    }
  }

  /** `take` without the promise (the client's hot path when no Redis is configured). */
  takeNow(key: string, rule: RateRule | undefined, hold?: Hold): number {
    const s = this.keys.get(key);
    if (!s && !rule) return 0;
    const st = s ?? this.state(key);
    const now = this.now();
    let wait = st.blockUntil > now ? st.blockUntil - now : 0;
    const mirrored = st.mirrorRemaining !== undefined && st.mirrorReset > now;
    if (mirrored && (st.mirrorRemaining ?? 0) <= 0) wait = Math.max(wait, st.mirrorReset - now);
    let tokens = 0;
    if (rule) {
      const limit = Math.max(1, Math.floor(rule.limit / this.share));
      const log = st.log;
      let drop = 0;
      while (drop < log.length && (log[drop]?.t ?? 0) <= now - rule.windowMs) drop++;
      if (drop > 0) log.splice(0, drop);
      if (log.length >= limit) {
        const expiring = log[log.length - limit]?.t ?? now;
        // Still in flight: its answer frees the slot, so ask again soon rather than at its hold's end.
        const until = expiring > now ? inflightPollMs(rule.windowMs) : expiring + rule.windowMs - now + 1;
        wait = Math.max(wait, until);
      }
      if (rule.burst !== undefined) {
        const burst = Math.max(1, Math.floor(rule.burst / this.share));
        const b = st.bucket ?? { tokens: burst, at: now };
        tokens = Math.min(burst, b.tokens + ((now - b.at) * limit) / rule.windowMs);
        if (tokens < 1) wait = Math.max(wait, Math.ceil(((1 - tokens) * rule.windowMs) / limit));
      }
    }
    if (wait > 0) return Math.max(MIN_WAIT_MS, wait);
    if (rule) {
      insertSorted(st.log, hold ? { t: now + hold.ms, ticket: hold.ticket } : { t: now, ticket: undefined });
      if (rule.burst !== undefined) st.bucket = { tokens: tokens - 1, at: now };
    }
    if (mirrored) st.mirrorRemaining = (st.mirrorRemaining ?? 0) - 1;
    return 0;
  }

  block(key: string, ms: number): Promise<void> {
    const st = this.state(key);
    st.blockUntil = Math.max(st.blockUntil, this.now() + clampHold(ms));
    return Promise.resolve();
  }

  mirror(key: string, remaining: number, resetInMs: number): Promise<void> {
    const st = this.state(key);
    const now = this.now();
    const reset = now + clampHold(resetInMs);
    // Reset is in whole seconds: answers of one window may differ by up to a second.
    if (st.mirrorRemaining === undefined || st.mirrorReset <= now || reset > st.mirrorReset + 1_000) {
      st.mirrorRemaining = remaining;
      st.mirrorReset = reset;
    } else {
      st.mirrorRemaining = Math.min(st.mirrorRemaining, remaining);
    }
    return Promise.resolve();
  }

  /** Logs a request the shared store granted, so this store, as the fallback, knows what this replica sent. */
  record(key: string, hold?: Hold): void {
    const now = this.now();
    insertSorted(
      this.state(key).log,
      hold ? { t: now + hold.ms, ticket: hold.ticket } : { t: now, ticket: undefined },
    );
  }

  /**
   * Assumes `count` more requests (other replicas', as last seen) were sent `agoMs` ago: the fallback then
   * starts from what was really sent in the window, not from zero.
   */
  assume(key: string, count: number, agoMs: number): void {
    if (count <= 0) return;
    const st = this.state(key);
    const at = this.now() - Math.max(0, agoMs);
    for (let i = 0; i < count; i++) st.log.push({ t: at, ticket: undefined });
    st.log.sort((a, b) => a.t - b.t);
  }

  /** Requests this store logged for `key` in the last `windowMs`. */
  count(key: string, windowMs: number): number {
    const since = this.now() - windowMs;
    return this.keys.get(key)?.log.filter((e) => e.t > since).length ?? 0;
  }

  /** Trims logs that can no longer matter (called now and then by the owner). */
  prune(maxWindowMs: number): void {
    const now = this.now();
    for (const [key, st] of this.keys) {
      const idle = (st.log.at(-1)?.t ?? 0) <= now - maxWindowMs;
      if (idle && st.blockUntil <= now && st.mirrorReset <= now) this.keys.delete(key);
    }
  }
}
