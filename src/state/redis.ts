/**
 * Shared state in Redis (SYN_MCP_REDIS_URL): the rate budgets every replica draws from, and a small shared
 * cache (Synqly's minted integration tokens). Redis is an accelerator, never a dependency of a call: when it
 * is down or slow (a command taking longer than COMMAND_TIMEOUT_MS), calls go on with this replica's
 * in-memory budget, sized to its share of each limit, one warning line is logged, and the client reconnects
 * on its own; the first answer after that logs one line and the shared budget is used again.
 *
 * Every time inside a script is the Redis server's own clock (TIME), so replicas whose clocks differ agree.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Redis as RedisClient } from 'ioredis';
import type { Logger } from '../log.js';
import {
  clampHold,
  type Hold,
  MAX_HOLD_MS,
  MemoryRateStore,
  type RateRule,
  type RateStore,
} from './rates.js';

/** What /healthz reports about Redis. */
export type RedisHealth = 'off' | 'up' | 'down';

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

/** The process's shared state: rate budgets and (with Redis) the shared cache. */
export interface SharedState {
  rates: RateStore;
  /** Undefined without Redis: callers keep their own in-memory caches. */
  cache: SharedCache | undefined;
  health(): RedisHealth;
  close(): Promise<void>;
}

/** Longest a Redis command may take before the call goes on without it. */
const COMMAND_TIMEOUT_MS = 750;
/** After a failed command, how long calls use the in-memory budget before Redis is tried again. */
const COOL_OFF_MS = 2_000;
/** Replica heartbeat: period, and how long a silent replica still counts. */
const HEARTBEAT_MS = 5_000;
const REPLICA_TTL_MS = 15_000;
const PREFIX = 'syn-mcp:v1:';

/**
 * KEYS[1] grant log (sorted set; a request's score is when it stops counting minus the window: its grant
 * time plus its hold while in flight, its answer's time once RELEASE ran), KEYS[2] state hash, KEYS[3]
 * replica heartbeats. ARGV: limit (0 = no rule), windowMs, burst (0 = none), a unique member, the replica TTL,
 * the hold (ms), then the ages (ms) of grants this replica made without Redis, added to the log first.
 * Returns {waitMs, grantsInWindow, liveReplicas}.
 */
const TAKE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local burst = tonumber(ARGV[3])
local replicas = redis.call('ZCOUNT', KEYS[3], now - tonumber(ARGV[5]), '+inf')
local hold = tonumber(ARGV[6])
for i = 7, #ARGV do
  redis.call('ZADD', KEYS[1], now - tonumber(ARGV[i]), ARGV[4] .. ':r' .. i)
end
if #ARGV >= 7 then redis.call('PEXPIRE', KEYS[1], window + 1000) end
local st = redis.call('HMGET', KEYS[2], 'block', 'mrem', 'mreset', 'btok', 'bat')
local wait = 0
local block = tonumber(st[1]) or 0
local mreset = tonumber(st[3]) or 0
-- A hold longer than MAX_HOLD_MS (left by an older version, or written by hand) is cut back to it.
local healed = false
if block > now + ${MAX_HOLD_MS} then
  block = now + ${MAX_HOLD_MS}
  redis.call('HSET', KEYS[2], 'block', block)
  healed = true
end
if mreset > now + ${MAX_HOLD_MS} then
  mreset = now + ${MAX_HOLD_MS}
  redis.call('HSET', KEYS[2], 'mreset', mreset)
  healed = true
end
if healed then
  local ttl = redis.call('PTTL', KEYS[2])
  if ttl < 0 or ttl > ${MAX_HOLD_MS} + 1000 then redis.call('PEXPIRE', KEYS[2], ${MAX_HOLD_MS} + 1000) end
end
if block > now then wait = block - now end
local mrem = tonumber(st[2])
local mirrored = mrem ~= nil and mreset > now
if mirrored and mrem <= 0 then wait = math.max(wait, mreset - now) end
local n = 0
local tokens = 0
if limit > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
  n = redis.call('ZCARD', KEYS[1])
  if n >= limit then
    local e = tonumber(redis.call('ZRANGE', KEYS[1], n - limit, n - limit, 'WITHSCORES')[2])
    if e > now then
      -- Still in flight: its answer frees the slot, so ask again soon (inflightPollMs in rates.ts).
      wait = math.max(wait, math.max(10, math.min(250, math.floor(window / 10))))
    else
      wait = math.max(wait, e + window - now + 1)
    end
  end
  if burst > 0 then
    local bt = tonumber(st[4])
    local bat = tonumber(st[5]) or now
    if bt == nil then bt = burst end
    tokens = math.min(burst, bt + (now - bat) * limit / window)
    if tokens < 1 then wait = math.max(wait, math.ceil((1 - tokens) * window / limit)) end
  end
end
if wait > 0 then return {math.max(1, math.ceil(wait)), n, replicas} end
if limit > 0 then
  redis.call('ZADD', KEYS[1], now + hold, ARGV[4])
  redis.call('PEXPIRE', KEYS[1], window + hold + 1000)
  if burst > 0 then
    redis.call('HSET', KEYS[2], 'btok', tostring(tokens - 1), 'bat', now)
    redis.call('PEXPIRE', KEYS[2], math.max(redis.call('PTTL', KEYS[2]), window + 1000))
  end
end
if mirrored then redis.call('HINCRBY', KEYS[2], 'mrem', -1) end
return {0, n + 1, replicas}
`;

/** KEYS[1] grant log. ARGV: member. The request got its answer: it counts from now, for one window. */
const RELEASE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[1], 'XX', now, ARGV[1])
return 0
`;

/** KEYS[1] state hash. ARGV: ms (at most MAX_HOLD_MS). Nothing is granted before now + ms. */
const BLOCK = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ms = math.max(0, math.min(tonumber(ARGV[1]) or 0, ${MAX_HOLD_MS}))
local untilMs = now + ms
local cur = tonumber(redis.call('HGET', KEYS[1], 'block')) or 0
if untilMs > cur then redis.call('HSET', KEYS[1], 'block', untilMs) end
redis.call('PEXPIRE', KEYS[1], math.max(redis.call('PTTL', KEYS[1]), ms + 1000))
return 0
`;

/** KEYS[1] state hash. ARGV: remaining, resetInMs (Reset has whole seconds: one window may vary by 1 s). */
const MIRROR = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local remaining = tonumber(ARGV[1])
local resetIn = math.max(0, math.min(tonumber(ARGV[2]) or 0, ${MAX_HOLD_MS}))
local reset = now + resetIn
local st = redis.call('HMGET', KEYS[1], 'mrem', 'mreset')
local mrem = tonumber(st[1])
local mreset = tonumber(st[2]) or 0
if mrem == nil or mreset <= now or reset > mreset + 1000 then
  redis.call('HSET', KEYS[1], 'mrem', remaining, 'mreset', reset)
elseif remaining < mrem then
  redis.call('HSET', KEYS[1], 'mrem', remaining)
end
redis.call('PEXPIRE', KEYS[1], math.max(redis.call('PTTL', KEYS[1]), resetIn + 1000))
return 0
`;

/** KEYS[1] replica set. ARGV: replica id. Returns the number of live replicas. */
const HEARTBEAT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[1], now, ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[2]))
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
return redis.call('ZCARD', KEYS[1])
`;

/** KEYS[1]. ARGV: value. Deletes the key while it holds value. */
const DELETE_IF = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

interface Script {
  text: string;
  sha: string;
}

function script(text: string): Script {
  return { text, sha: createHash('sha1').update(text).digest('hex') };
}

const SCRIPTS = {
  take: script(TAKE),
  release: script(RELEASE),
  block: script(BLOCK),
  mirror: script(MIRROR),
  heartbeat: script(HEARTBEAT),
  deleteIf: script(DELETE_IF),
};

/** What the shared budget last said about a key, for a fallback that starts from it. */
interface LastSeen {
  grants: number;
  at: number;
  windowMs: number;
}

/** Options of `connectRedis`. */
export interface RedisStateOptions {
  url: string;
  log: Logger;
  /** Names this replica in the heartbeat set (default: a random id). */
  replicaId?: string;
}

/**
 * Connects to Redis in the background and returns at once: until Redis answers, and whenever it stops
 * answering, the in-memory fallback serves.
 */
export async function connectRedis(opts: RedisStateOptions): Promise<SharedState> {
  const { Redis } = await import('ioredis');
  const { log } = opts;
  const replicaId = opts.replicaId ?? randomUUID();
  const redis: RedisClient = new Redis(opts.url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: COMMAND_TIMEOUT_MS,
    connectTimeout: 2_000,
    // Reconnect forever, backing off to 2 s.
    retryStrategy: (times: number) => Math.min(2_000, 100 * times),
    enableReadyCheck: true,
  });
  const memory = new MemoryRateStore();
  const lastSeen = new Map<string, LastSeen>();
  /** Keys whose fallback was seeded with the shared counts during this outage. */
  const seeded = new Set<string>();
  /**
   * Grants this replica made from its fallback, per key (local times): written into the shared log at the
   * key's next shared take, so the budget after an outage counts what was sent during it.
   */
  const unshared = new Map<string, number[]>();
  let ready = false;
  let warned = false;
  /** When the shared budget came back after an outage. */
  let sharedSince = 0;
  let coolUntil = 0;
  let closed = false;

  const usable = () => ready && Date.now() >= coolUntil;
  const unavailable = (why: string) => {
    if (closed) return;
    if (!warned) {
      warned = true;
      log.warn(
        `redis unavailable (${why}): calls go on with this replica's in-memory rate budget ` +
          `(1/${memory.share} of each limit); reconnecting in the background`,
        { replicas: memory.share },
      );
    }
  };
  const failed = (err: unknown) => {
    coolUntil = Date.now() + COOL_OFF_MS;
    unavailable(err instanceof Error ? err.message : String(err));
  };
  /** A command answered: after an outage, say so once and start seeding fallbacks afresh next time. */
  const answered = () => {
    if (!warned) return;
    warned = false;
    sharedSince = Date.now();
    seeded.clear();
    log.info('redis reachable again: the shared rate budget is back in use');
  };

  redis.on('ready', () => {
    ready = true;
    coolUntil = 0;
    answered();
    // Scripts loaded up front: the first call then needs one round trip, not a NOSCRIPT and a second.
    void Promise.all(Object.values(SCRIPTS).map((s) => redis.script('LOAD', s.text)))
      .catch(() => undefined)
      .then(beat);
  });
  redis.on('error', (err: Error) => {
    if (!ready) unavailable(err.message);
  });
  redis.on('close', () => {
    if (ready) unavailable('connection closed');
    ready = false;
  });

  const run = async (s: Script, keys: string[], args: (string | number)[]): Promise<unknown> => {
    try {
      return await redis.evalsha(s.sha, keys.length, ...keys, ...args);
    } catch (err) {
      if (!(err instanceof Error) || !err.message.includes('NOSCRIPT')) throw err;
      return redis.eval(s.text, keys.length, ...keys, ...args);
    }
  };

  const beat = async () => {
    if (!ready) return;
    try {
      const n = Number(await run(SCRIPTS.heartbeat, [`${PREFIX}replicas`], [replicaId, REPLICA_TTL_MS]));
      if (Number.isFinite(n) && n >= 1) memory.share = n;
    } catch (err) {
      failed(err);
    }
  };
  const heartbeat = setInterval(() => void beat(), HEARTBEAT_MS);
  heartbeat.unref();

  const rateKeys = (key: string) => [`${PREFIX}rate:{${key}}:log`, `${PREFIX}rate:{${key}}:st`];

  /** The fallback for `key` starts from the shared count last seen (other replicas' requests included). */
  const fallbackTake = (key: string, rule: RateRule | undefined, hold: Hold | undefined): number => {
    if (rule && !seeded.has(key)) {
      seeded.add(key);
      const seen = lastSeen.get(key);
      if (seen) {
        const ago = Date.now() - seen.at;
        if (ago < seen.windowMs) {
          const own = memory.count(key, seen.windowMs);
          memory.assume(key, seen.grants - own, ago);
        }
      }
    }
    const wait = memory.takeNow(key, rule, hold);
    if (wait === 0 && rule) {
      const list = unshared.get(key) ?? [];
      const now = Date.now();
      list.push(now);
      // Only grants still inside the window matter once Redis answers again.
      while (list.length > 0 && (list[0] ?? now) <= now - rule.windowMs) list.shift();
      unshared.set(key, list);
    }
    return wait;
  };

  const rates: RateStore = {
    async take(key, rule, hold) {
      if (!usable()) {
        if (ready) unavailable('a command failed');
        else unavailable('not connected');
        return fallbackTake(key, rule, hold);
      }
      const now = Date.now();
      const replay = (unshared.get(key) ?? [])
        .filter((t) => rule && t > now - rule.windowMs)
        .map((t) => now - t);
      try {
        const out = (await run(
          SCRIPTS.take,
          [...rateKeys(key), `${PREFIX}replicas`],
          [
            rule ? Math.max(1, Math.floor(rule.limit)) : 0,
            rule ? Math.max(1, Math.floor(rule.windowMs)) : 1,
            rule?.burst !== undefined ? Math.max(1, Math.floor(rule.burst)) : 0,
            `${replicaId}:${hold?.ticket ?? randomUUID()}`,
            REPLICA_TTL_MS,
            hold?.ms ?? 0,
            ...replay,
          ],
        )) as [number, number, number];
        unshared.delete(key);
        answered();
        const [wait, grants, replicas] = out;
        if (replicas >= 1) memory.share = replicas;
        if (wait !== 0 || !rule) return wait;
        lastSeen.set(key, { grants, at: Date.now(), windowMs: rule.windowMs });
        // For one window after an outage the other replicas may not have written their fallback grants into
        // the shared log yet: a request then needs this replica's own share too (a slot granted above and not
        // used only makes the shared budget stricter).
        if (Date.now() - sharedSince < rule.windowMs) return memory.takeNow(key, rule, hold);
        memory.record(key, hold);
        return 0;
      } catch (err) {
        failed(err);
        return fallbackTake(key, rule, hold);
      }
    },
    async release(key, ticket) {
      memory.releaseNow(key, ticket);
      if (!usable()) return;
      try {
        await run(SCRIPTS.release, [rateKeys(key)[0] as string], [`${replicaId}:${ticket}`]);
      } catch (err) {
        failed(err);
      }
    },
    async block(key, ms) {
      await memory.block(key, ms);
      if (!usable()) return;
      try {
        await run(SCRIPTS.block, [rateKeys(key)[1] as string], [Math.ceil(clampHold(ms))]);
      } catch (err) {
        failed(err);
      }
    },
    async mirror(key, remaining, resetInMs) {
      await memory.mirror(key, remaining, resetInMs);
      if (!usable()) return;
      try {
        await run(SCRIPTS.mirror, [rateKeys(key)[1] as string], [remaining, Math.ceil(clampHold(resetInMs))]);
      } catch (err) {
        failed(err);
      }
    },
  };

  const cacheKey = (key: string) => `${PREFIX}cache:${key}`;
  const cache: SharedCache = {
    async get(key) {
      if (!usable()) return undefined;
      try {
        return (await redis.get(cacheKey(key))) ?? undefined;
      } catch (err) {
        failed(err);
        return undefined;
      }
    },
    async set(key, value, ttlMs) {
      if (!usable() || ttlMs < 1) return;
      try {
        await redis.set(cacheKey(key), value, 'PX', Math.ceil(ttlMs));
      } catch (err) {
        failed(err);
      }
    },
    async deleteIf(key, value) {
      if (!usable()) return;
      try {
        await run(SCRIPTS.deleteIf, [cacheKey(key)], [value]);
      } catch (err) {
        failed(err);
      }
    },
    async lock(key, ttlMs) {
      // Without Redis every replica is on its own: the caller goes ahead.
      if (!usable()) return true;
      try {
        return (await redis.set(`${cacheKey(key)}:lock`, replicaId, 'PX', Math.ceil(ttlMs), 'NX')) === 'OK';
      } catch (err) {
        failed(err);
        return true;
      }
    },
    async unlock(key) {
      if (!usable()) return;
      try {
        await run(SCRIPTS.deleteIf, [`${cacheKey(key)}:lock`], [replicaId]);
      } catch (err) {
        failed(err);
      }
    },
  };

  const prune = setInterval(() => memory.prune(86_400_000), 60_000);
  prune.unref();

  redis.connect().catch((err: unknown) => unavailable(err instanceof Error ? err.message : String(err)));

  return {
    rates,
    cache,
    health: () => (ready ? 'up' : 'down'),
    async close() {
      closed = true;
      clearInterval(heartbeat);
      clearInterval(prune);
      try {
        if (ready) await redis.zrem(`${PREFIX}replicas`, replicaId);
      } catch {
        // Leaving anyway: the heartbeat entry expires on its own.
      }
      redis.disconnect();
    },
  };
}

/** The embedded default: one process, everything in memory. */
export function memoryState(): SharedState {
  const memory = new MemoryRateStore();
  const prune = setInterval(() => memory.prune(86_400_000), 60_000);
  prune.unref();
  return {
    rates: memory,
    cache: undefined,
    health: () => 'off',
    async close() {
      clearInterval(prune);
    },
  };
}
