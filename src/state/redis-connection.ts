/**
 * This replica's link to Redis: the client (ioredis, loaded only when SYN_MCP_REDIS_URL is set), whether Redis
 * may be used now, the one guard every command goes through, the replica heartbeat, and closing.
 *
 * Redis is an accelerator, never a dependency of a call: when it is down or slow (a command taking longer than
 * COMMAND_TIMEOUT_MS), commands are not sent for COOL_OFF_MS and callers answer from memory, one warning line
 * is logged, and the client reconnects on its own; the first answer after that logs one line.
 */
import type { Redis as RedisClient } from 'ioredis';
import type { Logger } from '../log.js';
import type { MemoryRateStore } from './rates.js';
import { evalScript, loadScripts, REPLICAS_KEY, SCRIPTS } from './redis-scripts.js';

/** Longest a Redis command may take before the call goes on without it. */
const COMMAND_TIMEOUT_MS = 750;
/** After a failed command, how long calls use the in-memory budget before Redis is tried again. */
const COOL_OFF_MS = 2_000;
/** Replica heartbeat: period, and how long a silent replica still counts. */
const HEARTBEAT_MS = 5_000;
export const REPLICA_TTL_MS = 15_000;

/** Options of `RedisConnection.open`. */
export interface ConnectionOptions {
  url: string;
  log: Logger;
  /** Names this replica in the heartbeat set. */
  replicaId: string;
  /** The in-memory budget calls fall back to: its share is kept at the number of live replicas. */
  fallback: MemoryRateStore;
}

export class RedisConnection {
  private ready = false;
  /** The outage was logged, and its end is not yet. */
  private warned = false;
  private coolUntil = 0;
  private closed = false;
  private readonly heartbeat: NodeJS.Timeout;
  /** When Redis answered again after an outage (0: no outage yet). */
  sharedSince = 0;
  /** Called when Redis answers again after an outage. */
  onBack: () => void = () => undefined;

  /**
   * Loads ioredis and makes the client, not connected yet: until Redis answers, and whenever it stops
   * answering, `whenAvailable` answers with its fallback.
   */
  static async open(opts: ConnectionOptions): Promise<RedisConnection> {
    const { Redis } = await import('ioredis');
    const client = new Redis(opts.url, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: COMMAND_TIMEOUT_MS,
      connectTimeout: 2_000,
      // Reconnect forever, backing off to 2 s.
      retryStrategy: (times: number) => Math.min(2_000, 100 * times),
      enableReadyCheck: true,
    });
    return new RedisConnection(client, opts);
  }

  private constructor(
    private readonly redis: RedisClient,
    private readonly opts: ConnectionOptions,
  ) {
    redis.on('ready', () => {
      this.ready = true;
      this.coolUntil = 0;
      this.answered();
      void loadScripts(redis)
        .catch(() => undefined)
        .then(() => this.beat());
    });
    redis.on('error', (err: Error) => {
      if (!this.ready) this.unavailable(err.message);
    });
    redis.on('close', () => {
      if (this.ready) this.unavailable('connection closed');
      this.ready = false;
    });
    this.heartbeat = setInterval(() => void this.beat(), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /** Connects in the background (and reconnects on its own whenever the connection drops). */
  connect(): void {
    this.redis
      .connect()
      .catch((err: unknown) => this.unavailable(err instanceof Error ? err.message : String(err)));
  }

  get replicaId(): string {
    return this.opts.replicaId;
  }

  /** Connected (a command may still be cooling off). */
  get up(): boolean {
    return this.ready;
  }

  /**
   * The one availability guard: runs `op` when Redis may be used now, else answers with `fallback()`; an `op`
   * that fails (or outlives the command timeout) starts the cool-off and answers with `fallback()` too.
   */
  async whenAvailable<T>(op: (redis: RedisClient) => Promise<T>, fallback: () => T): Promise<T> {
    if (!this.ready || Date.now() < this.coolUntil) {
      this.unavailable(this.ready ? 'a command failed' : 'not connected');
      return fallback();
    }
    try {
      const out = await op(this.redis);
      this.answered();
      return out;
    } catch (err) {
      this.coolUntil = Date.now() + COOL_OFF_MS;
      this.unavailable(err instanceof Error ? err.message : String(err));
      return fallback();
    }
  }

  /** Says once per outage that calls go on without Redis. */
  private unavailable(why: string): void {
    if (this.closed || this.warned) return;
    this.warned = true;
    const { fallback } = this.opts;
    this.opts.log.warn(
      `redis unavailable (${why}): calls go on with this replica's in-memory rate budget ` +
        `(1/${fallback.share} of each limit); reconnecting in the background`,
      { replicas: fallback.share },
    );
  }

  /** A command answered: after an outage, say so once. */
  private answered(): void {
    if (!this.warned) return;
    this.warned = false;
    this.sharedSince = Date.now();
    this.onBack();
    this.opts.log.info('redis reachable again: the shared rate budget is back in use');
  }

  /** Counts this replica in, and sizes the fallback's share to the replicas alive. */
  private async beat(): Promise<void> {
    const n = await this.whenAvailable(
      async (redis) =>
        Number(await evalScript(redis, SCRIPTS.heartbeat, [REPLICAS_KEY], [this.replicaId, REPLICA_TTL_MS])),
      () => 0,
    );
    if (Number.isFinite(n) && n >= 1) this.opts.fallback.share = n;
  }

  /** Leaves the replica set (others then stop counting this one at once) and disconnects. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.heartbeat);
    try {
      if (this.ready) await this.redis.zrem(REPLICAS_KEY, this.replicaId);
    } catch {
      // Leaving anyway: the heartbeat entry expires on its own.
    }
    this.redis.disconnect();
  }
}
