/**
 * Single use of sealed request state: each state carries a nonce, claimed when the state is opened. A
 * claimed nonce is remembered until the state it came from expires, after which the expiry alone refuses it.
 */
import type { SharedCache } from '../state/redis-cache.js';

/** Where claimed nonces are remembered. */
export interface NonceStore {
  /**
   * Claims `nonce` until `expiresAt` (epoch ms): true the first time, false when it was claimed before
   * (the state is being reused).
   */
  claim(nonce: string, expiresAt: number): Promise<boolean>;
}

/** How many claims pass between two sweeps of expired entries. */
const SWEEP_EVERY = 256;

/** Claimed nonces in this process's memory (one server, or replicas without Redis). */
export class MemoryNonceStore implements NonceStore {
  readonly #claimed = new Map<string, number>();
  readonly #now: () => number;
  #sinceSweep = 0;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** Nonces remembered now (expired ones go at the next sweep). */
  get size(): number {
    return this.#claimed.size;
  }

  async claim(nonce: string, expiresAt: number): Promise<boolean> {
    const now = this.#now();
    if (++this.#sinceSweep >= SWEEP_EVERY) this.#sweep(now);
    const until = this.#claimed.get(nonce);
    if (until !== undefined && until > now) return false;
    this.#claimed.set(nonce, expiresAt);
    return true;
  }

  #sweep(now: number): void {
    this.#sinceSweep = 0;
    for (const [nonce, until] of this.#claimed) if (until <= now) this.#claimed.delete(nonce);
  }
}

/**
 * Nonces claimed in this process and in the replicas' shared cache (Redis, SET NX): a state answered on one
 * replica is refused on every other. While Redis is unreachable the shared cache lets every claim through,
 * and this replica's own memory still refuses a reuse it saw.
 */
export function sharedNonceStore(
  cache: SharedCache,
  opts: { now?: () => number; local?: NonceStore } = {},
): NonceStore {
  const now = opts.now ?? Date.now;
  const local = opts.local ?? new MemoryNonceStore(now);
  return {
    async claim(nonce, expiresAt) {
      if (!(await local.claim(nonce, expiresAt))) return false;
      const ttlMs = Math.max(1, expiresAt - now());
      return cache.lock(`state-nonce:${nonce}`, ttlMs);
    },
  };
}
