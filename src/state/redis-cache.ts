/**
 * A small string cache shared by the replicas in Redis (Synqly's minted integration tokens, spent confirm
 * states, key rotations), with compare-and-delete and a short lock for single flight across replicas. While
 * Redis cannot be used the cache is empty and every lock is granted: each replica is then on its own.
 */
import type { RedisConnection } from './redis-connection.js';
import { cacheKey, evalScript, SCRIPTS } from './redis-scripts.js';

/** A small shared string cache with compare-and-delete and a short lock (cross-replica single flight). */
export interface SharedCache {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** Deletes `key` only while it still holds `value`. */
  deleteIf(key: string, value: string): Promise<void>;
  /** True when this caller holds `key`'s lock now (for at most `ttlMs`); false when another does. */
  lock(key: string, ttlMs: number): Promise<boolean>;
  unlock(key: string): Promise<void>;
}

export class RedisCache implements SharedCache {
  constructor(private readonly conn: RedisConnection) {}

  get(key: string): Promise<string | undefined> {
    return this.conn.whenAvailable(
      async (redis) => (await redis.get(cacheKey(key))) ?? undefined,
      () => undefined,
    );
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    if (ttlMs < 1) return;
    await this.conn.whenAvailable(
      (redis) => redis.set(cacheKey(key), value, 'PX', Math.ceil(ttlMs)),
      () => undefined,
    );
  }

  async deleteIf(key: string, value: string): Promise<void> {
    await this.conn.whenAvailable(
      (redis) => evalScript(redis, SCRIPTS.deleteIf, [cacheKey(key)], [value]),
      () => undefined,
    );
  }

  lock(key: string, ttlMs: number): Promise<boolean> {
    const { replicaId } = this.conn;
    return this.conn.whenAvailable(
      async (redis) =>
        (await redis.set(`${cacheKey(key)}:lock`, replicaId, 'PX', Math.ceil(ttlMs), 'NX')) === 'OK',
      // Without Redis every replica is on its own: the caller goes ahead.
      () => true,
    );
  }

  async unlock(key: string): Promise<void> {
    const { replicaId } = this.conn;
    await this.conn.whenAvailable(
      (redis) => evalScript(redis, SCRIPTS.deleteIf, [`${cacheKey(key)}:lock`], [replicaId]),
      () => undefined,
    );
  }
}
