/**
 * The process's shared state: rate budgets and, with Redis (SYN_MCP_REDIS_URL), a cache every replica shares.
 * Without Redis, everything is in this process's memory. The Redis state is made of the connection and its
 * availability guard (redis-connection.ts), the rate store (redis-rates.ts), the cache (redis-cache.ts) and
 * the Lua scripts they run (redis-scripts.ts).
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '../log.js';
import { MemoryRateStore, type RateStore } from './rates.js';
import { RedisCache, type SharedCache } from './redis-cache.js';
import { RedisConnection } from './redis-connection.js';
import { RedisRateStore } from './redis-rates.js';

/** What /healthz reports about Redis. */
export type RedisHealth = 'off' | 'up' | 'down';

/** The process's shared state: rate budgets and (with Redis) the shared cache. */
export interface SharedState {
  rates: RateStore;
  /** Undefined without Redis: callers keep their own in-memory caches. */
  cache: SharedCache | undefined;
  health(): RedisHealth;
  close(): Promise<void>;
}

/** Options of `connectRedis`. */
export interface RedisStateOptions {
  url: string;
  log: Logger;
  /** Names this replica in the heartbeat set (default: a random id). */
  replicaId?: string;
}

/** Trims the in-memory budget now and then; returns the stop. */
function pruneNowAndThen(memory: MemoryRateStore): () => void {
  const prune = setInterval(() => memory.prune(86_400_000), 60_000);
  prune.unref();
  return () => clearInterval(prune);
}

/**
 * Connects to Redis in the background and returns at once: until Redis answers, and whenever it stops
 * answering, the in-memory fallback serves.
 */
export async function connectRedis(opts: RedisStateOptions): Promise<SharedState> {
  const memory = new MemoryRateStore();
  const conn = await RedisConnection.open({
    url: opts.url,
    log: opts.log,
    replicaId: opts.replicaId ?? randomUUID(),
    fallback: memory,
  });
  const rates = new RedisRateStore(conn, memory);
  conn.onBack = () => rates.outageOver();
  conn.connect();
  const stopPruning = pruneNowAndThen(memory);
  return {
    rates,
    cache: new RedisCache(conn),
    health: () => (conn.up ? 'up' : 'down'),
    async close() {
      stopPruning();
      await conn.close();
    },
  };
}

/** The embedded default: one process, everything in memory. */
export function memoryState(): SharedState {
  const memory = new MemoryRateStore();
  const stopPruning = pruneNowAndThen(memory);
  return {
    rates: memory,
    cache: undefined,
    health: () => 'off',
    async close() {
      stopPruning();
    },
  };
}
