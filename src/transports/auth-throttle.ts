/**
 * Failed authentications slowed per source address: the first few are answered at once, then each further
 * 401 from that address waits twice as long as the one before (up to a cap), until the address has been
 * quiet for a window. Guessing tokens gets slow; a user who mistypes once does not notice.
 */

/** How the throttle counts and delays. */
export interface ThrottleOptions {
  /** Failures answered at once (default 3). */
  free?: number;
  /** Delay of the first slowed failure (ms, default 250); doubles with each further one. */
  baseDelayMs?: number;
  /** Longest delay (ms, default 8 000). */
  maxDelayMs?: number;
  /** An address quiet this long starts over (ms, default 15 min). */
  windowMs?: number;
  /** Addresses remembered at most; the oldest are forgotten first (default 10 000). */
  maxSources?: number;
  now?: () => number;
}

interface Failures {
  failures: number;
  last: number;
}

/** Counts failed authentications per source address and says how long to hold each 401. */
export class AuthThrottle {
  private readonly sources = new Map<string, Failures>();
  private readonly free: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly windowMs: number;
  private readonly maxSources: number;
  private readonly now: () => number;

  constructor(opts: ThrottleOptions = {}) {
    this.free = opts.free ?? 3;
    this.baseDelayMs = opts.baseDelayMs ?? 250;
    this.maxDelayMs = opts.maxDelayMs ?? 8_000;
    this.windowMs = opts.windowMs ?? 15 * 60_000;
    this.maxSources = opts.maxSources ?? 10_000;
    this.now = opts.now ?? Date.now;
  }

  /** Records one failure from `source`; resolves how many it has now and how long its 401 is held (ms). */
  fail(source: string): { failures: number; delayMs: number } {
    const now = this.now();
    let rec = this.sources.get(source);
    if (rec && now - rec.last > this.windowMs) rec = undefined;
    rec = { failures: (rec?.failures ?? 0) + 1, last: now };
    // Re-inserted so the map's order is least recently failed first.
    this.sources.delete(source);
    this.sources.set(source, rec);
    if (this.sources.size > this.maxSources) {
      const oldest = this.sources.keys().next();
      if (!oldest.done) this.sources.delete(oldest.value);
    }
    const over = rec.failures - this.free;
    const delayMs = over <= 0 ? 0 : Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (over - 1));
    return { failures: rec.failures, delayMs };
  }
}
