/**
 * The rate budgets every replica draws from, in Redis. While Redis cannot be used, this replica's in-memory
 * budget serves, sized to its share of each limit and seeded with the shared count last seen; the grants it
 * makes then are written into the shared log once Redis answers again, so the budget after an outage counts
 * what was sent during it.
 */
import { randomUUID } from 'node:crypto';
import { clampHold, type Hold, type MemoryRateStore, type RateRule, type RateStore } from './rates.js';
import { REPLICA_TTL_MS, type RedisConnection } from './redis-connection.js';
import { evalScript, REPLICAS_KEY, rateKeys, SCRIPTS } from './redis-scripts.js';

/** What the shared budget last said about a key, for a fallback that starts from it. */
interface LastSeen {
  grants: number;
  at: number;
  windowMs: number;
}

export class RedisRateStore implements RateStore {
  private readonly lastSeen = new Map<string, LastSeen>();
  /** Keys whose fallback was seeded with the shared counts during this outage. */
  private readonly seeded = new Set<string>();
  /**
   * Grants this replica made from its fallback, per key (local times): written into the shared log at the
   * key's next shared take, so the budget after an outage counts what was sent during it.
   */
  private readonly unshared = new Map<string, number[]>();

  constructor(
    private readonly conn: RedisConnection,
    private readonly memory: MemoryRateStore,
  ) {}

  /** Redis answers again: the next outage seeds its fallbacks afresh. */
  outageOver(): void {
    this.seeded.clear();
  }

  async take(key: string, rule: RateRule | undefined, hold?: Hold): Promise<number> {
    const now = Date.now();
    const replay = (this.unshared.get(key) ?? [])
      .filter((t) => rule && t > now - rule.windowMs)
      .map((t) => now - t);
    const { log, state } = rateKeys(key);
    const out = await this.conn.whenAvailable(
      async (redis) =>
        (await evalScript(
          redis,
          SCRIPTS.take,
          [log, state, REPLICAS_KEY],
          [
            rule ? Math.max(1, Math.floor(rule.limit)) : 0,
            rule ? Math.max(1, Math.floor(rule.windowMs)) : 1,
            rule?.burst !== undefined ? Math.max(1, Math.floor(rule.burst)) : 0,
            `${this.conn.replicaId}:${hold?.ticket ?? randomUUID()}`,
            REPLICA_TTL_MS,
            hold?.ms ?? 0,
            ...replay,
          ],
        )) as [number, number, number],
      () => undefined,
    );
    if (!out) return this.fallbackTake(key, rule, hold);
    this.unshared.delete(key);
    const [wait, grants, replicas] = out;
    if (replicas >= 1) this.memory.share = replicas;
    if (wait !== 0 || !rule) return wait;
    this.lastSeen.set(key, { grants, at: Date.now(), windowMs: rule.windowMs });
    // For one window after an outage the other replicas may not have written their fallback grants into the
    // shared log yet: a request then needs this replica's own share too (a slot granted above and not used
    // only makes the shared budget stricter).
    if (Date.now() - this.conn.sharedSince < rule.windowMs) return this.memory.takeNow(key, rule, hold);
    this.memory.record(key, hold);
    return 0;
  }

  async release(key: string, ticket: string): Promise<void> {
    this.memory.releaseNow(key, ticket);
    const member = `${this.conn.replicaId}:${ticket}`;
    await this.conn.whenAvailable(
      (redis) => evalScript(redis, SCRIPTS.release, [rateKeys(key).log], [member]),
      () => undefined,
    );
  }

  async block(key: string, ms: number): Promise<void> {
    await this.memory.block(key, ms);
    await this.conn.whenAvailable(
      (redis) => evalScript(redis, SCRIPTS.block, [rateKeys(key).state], [Math.ceil(clampHold(ms))]),
      () => undefined,
    );
  }

  async mirror(key: string, remaining: number, resetInMs: number): Promise<void> {
    await this.memory.mirror(key, remaining, resetInMs);
    const args = [remaining, Math.ceil(clampHold(resetInMs))];
    await this.conn.whenAvailable(
      (redis) => evalScript(redis, SCRIPTS.mirror, [rateKeys(key).state], args),
      () => undefined,
    );
  }

  /** The fallback for `key` starts from the shared count last seen (other replicas' requests included). */
  private fallbackTake(key: string, rule: RateRule | undefined, hold: Hold | undefined): number {
    if (rule && !this.seeded.has(key)) {
      this.seeded.add(key);
      const seen = this.lastSeen.get(key);
      if (seen) {
        const ago = Date.now() - seen.at;
        if (ago < seen.windowMs) {
          const own = this.memory.count(key, seen.windowMs);
          this.memory.assume(key, seen.grants - own, ago);
        }
      }
    }
    const wait = this.memory.takeNow(key, rule, hold);
    if (wait === 0 && rule) {
      const list = this.unshared.get(key) ?? [];
      const now = Date.now();
      list.push(now);
      // Only grants still inside the window matter once Redis answers again.
      while (list.length > 0 && (list[0] ?? now) <= now - rule.windowMs) list.shift();
      this.unshared.set(key, list);
    }
    return wait;
  }
}
