/**
 * The Lua scripts the Redis state runs, and the keys they work on. Each script reads the time from the Redis
 * server (TIME), never from a replica, so replicas whose clocks differ agree.
 */
import { createHash } from 'node:crypto';
import type { Redis as RedisClient } from 'ioredis';
import { MAX_HOLD_MS } from './rates.js';

/** Every key syn-mcp writes starts with this (its version: a new layout gets new keys). */
const PREFIX = 'syn-mcp:v1:';

/** The sorted set of live replicas (score: last heartbeat, on the Redis clock). */
export const REPLICAS_KEY = `${PREFIX}replicas`;

/** The grant log and state hash of a rate key (one hash slot: the key is in braces). */
export function rateKeys(key: string): { log: string; state: string } {
  return { log: `${PREFIX}rate:{${key}}:log`, state: `${PREFIX}rate:{${key}}:st` };
}

/** Where the shared cache keeps `key`. */
export function cacheKey(key: string): string {
  return `${PREFIX}cache:${key}`;
}

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

/** A script and its SHA-1, by which Redis runs a script it already holds. */
interface Script {
  text: string;
  sha: string;
}

function script(text: string): Script {
  return { text, sha: createHash('sha1').update(text).digest('hex') };
}

export const SCRIPTS = {
  take: script(TAKE),
  release: script(RELEASE),
  block: script(BLOCK),
  mirror: script(MIRROR),
  heartbeat: script(HEARTBEAT),
  deleteIf: script(DELETE_IF),
};

/** Runs `s` by its SHA, sending its text only when Redis does not hold it (after a restart or a flush). */
export async function evalScript(
  redis: RedisClient,
  s: Script,
  keys: string[],
  args: (string | number)[],
): Promise<unknown> {
  try {
    return await redis.evalsha(s.sha, keys.length, ...keys, ...args);
  } catch (err) {
    if (!(err instanceof Error) || !err.message.includes('NOSCRIPT')) throw err;
    return redis.eval(s.text, keys.length, ...keys, ...args);
  }
}

/** Loads every script up front: a first call then needs one round trip, not a NOSCRIPT and a second. */
export async function loadScripts(redis: RedisClient): Promise<void> {
  await Promise.all(Object.values(SCRIPTS).map((s) => redis.script('LOAD', s.text)));
}
