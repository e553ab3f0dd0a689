/**
 * The shared state against a real redis-server (from Debian's package; test/helpers/infra.ts starts it on a
 * loopback port; a missing one fails with the command that installs it): two SharedStates play two replicas.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, type LogLine } from '../../src/log.js';
import { connectRedis, type SharedState } from '../../src/state/redis.js';
import { pollUntil, type RedisServer, redisCommand, startRedis, stopInfra } from '../helpers/infra.js';

let redis: RedisServer;
const opened: SharedState[] = [];

beforeAll(async () => {
  redis = await startRedis();
}, 120_000);

afterAll(async () => {
  await Promise.all(opened.map((s) => s.close()));
  await stopInfra();
});

/** A replica's shared state and the log lines it wrote. */
async function replica(url = redis.url): Promise<{ state: SharedState; lines: LogLine[] }> {
  const lines: LogLine[] = [];
  const log = createLogger('debug', (line) => lines.push(JSON.parse(line) as LogLine));
  const state = await connectRedis({ url, log });
  opened.push(state);
  await pollUntil(async () => state.health() === 'up', 'redis up', { ms: 10_000 });
  return { state, lines };
}

describe('shared state in Redis', () => {
  it('gives two replicas one rate budget, one Retry-After and one mirrored quota', async () => {
    const a = await replica();
    const b = await replica();
    const rule = { limit: 5, windowMs: 60_000 };
    const grants: number[] = [];
    for (let i = 0; i < 4; i++) grants.push(await a.state.rates.take('budget-1', rule));
    grants.push(await b.state.rates.take('budget-1', rule));
    expect(grants).toEqual([0, 0, 0, 0, 0]);
    expect(await b.state.rates.take('budget-1', rule)).toBeGreaterThan(59_000);
    expect(await a.state.rates.take('budget-1', rule)).toBeGreaterThan(59_000);

    await a.state.rates.block('budget-2', 30_000);
    expect(await b.state.rates.take('budget-2', undefined)).toBeGreaterThan(29_000);

    await a.state.rates.mirror('budget-3', 1, 40_000);
    expect(await b.state.rates.take('budget-3', undefined)).toBe(0);
    expect(await a.state.rates.take('budget-3', undefined)).toBeGreaterThan(39_000);
  });

  it('never holds a key longer than an hour, however long a Retry-After or Reset, even from old state', async () => {
    const a = await replica();
    const b = await replica();
    const hour = 3_600_000;
    // What a 429 with Retry-After: 99999999999 used to write: a block ~3,000 years ahead.
    await a.state.rates.block('hold-1', 99_999_999_999_000);
    const held = await b.state.rates.take('hold-1', undefined);
    expect(held).toBeGreaterThan(hour - 5_000);
    expect(held).toBeLessThanOrEqual(hour);
    const ttl = Number((await redisCommand(redis.port, 'PTTL syn-mcp:v1:rate:{hold-1}:st')).slice(1));
    expect(ttl).toBeLessThanOrEqual(hour + 1_000);

    await a.state.rates.mirror('hold-2', 0, Number.MAX_SAFE_INTEGER);
    expect(await b.state.rates.take('hold-2', undefined)).toBeLessThanOrEqual(hour);

    // A block left in Redis by an older version (or by hand), years ahead: cut back to an hour at the next take.
    const years = Date.now() + 1e14;
    await redisCommand(redis.port, `HSET syn-mcp:v1:rate:{hold-3}:st block ${years}`);
    const healed = await a.state.rates.take('hold-3', undefined);
    expect(healed).toBeGreaterThan(hour - 5_000);
    expect(healed).toBeLessThanOrEqual(hour);
    const after = Number((await redisCommand(redis.port, 'PTTL syn-mcp:v1:rate:{hold-3}:st')).slice(1));
    expect(after).toBeGreaterThan(0);
    expect(after).toBeLessThanOrEqual(hour + 1_000);
  });

  it('shares a cache with compare-and-delete and a lock only one replica holds', async () => {
    const a = await replica();
    const b = await replica();
    const cacheA = a.state.cache;
    const cacheB = b.state.cache;
    if (!cacheA || !cacheB) throw new Error('a Redis state has a shared cache');
    await cacheA.set('t1', 'sealed-1', 10_000);
    expect(await cacheB.get('t1')).toBe('sealed-1');
    await cacheB.deleteIf('t1', 'sealed-other');
    expect(await cacheA.get('t1')).toBe('sealed-1');
    await cacheB.deleteIf('t1', 'sealed-1');
    expect(await cacheA.get('t1')).toBeUndefined();
    expect(await cacheA.lock('t2', 10_000)).toBe(true);
    expect(await cacheB.lock('t2', 10_000)).toBe(false);
    // Only the holder's unlock releases it.
    await cacheB.unlock('t2');
    expect(await cacheB.lock('t2', 10_000)).toBe(false);
    await cacheA.unlock('t2');
    expect(await cacheB.lock('t2', 10_000)).toBe(true);
  });

  it('goes on in memory when Redis dies, warns once, and comes back by itself', async () => {
    const a = await replica();
    const b = await replica();
    const rule = { limit: 4, windowMs: 60_000 };
    // Both replicas are known to each other, and the shared log holds two grants.
    expect(await a.state.rates.take('budget-4', rule)).toBe(0);
    expect(await b.state.rates.take('budget-4', rule)).toBe(0);

    await redis.kill();
    await pollUntil(async () => a.state.health() === 'down', 'health down', { ms: 10_000 });
    // In memory, each replica takes its share (4 / 2 replicas) and counts what it saw the other send.
    const results: number[] = [];
    for (let i = 0; i < 3; i++) results.push(await a.state.rates.take('budget-4', rule));
    expect(results.filter((w) => w === 0)).toHaveLength(0);
    const warnings = a.lines.filter((l) => l.level === 'warn' && l.msg.startsWith('redis unavailable'));
    expect(warnings).toHaveLength(1);

    await redis.restart();
    await pollUntil(async () => a.state.health() === 'up', 'health up again', { ms: 15_000 });
    expect(await a.state.rates.take('budget-5', undefined)).toBe(0);
    expect(a.lines.some((l) => l.level === 'info' && l.msg.startsWith('redis reachable again'))).toBe(true);
    expect(a.lines.filter((l) => l.level === 'warn')).toHaveLength(1);
  }, 60_000);

  it('does not let a slow Redis hold a call longer than its command timeout', async () => {
    const a = await replica();
    expect(await a.state.rates.take('budget-7', { limit: 100, windowMs: 1_000 })).toBe(0);
    // Redis stops answering every client for 8 s (as when it is swapping or saving a huge dataset).
    expect(await redisCommand(redis.port, 'CLIENT PAUSE 8000 ALL')).toBe('+OK');
    const stillPaused = () =>
      redisCommand(redis.port, 'PING', 100).then(
        () => false,
        () => true,
      );
    // The call is answered from memory while Redis is still silent: it did not wait for Redis to come back.
    expect(await a.state.rates.take('budget-7', { limit: 100, windowMs: 1_000 })).toBe(0);
    expect(a.lines.filter((l) => l.level === 'warn' && l.msg.includes('redis unavailable'))).toHaveLength(1);
    expect(a.lines.find((l) => l.level === 'warn')?.msg).toMatch(/timed out/i);
    expect(await stillPaused()).toBe(true);
    // The next call too is answered while Redis is still silent, and the outage is not reported twice.
    expect(await a.state.rates.take('budget-7', { limit: 100, windowMs: 1_000 })).toBe(0);
    expect(await stillPaused()).toBe(true);
    expect(a.lines.filter((l) => l.level === 'warn')).toHaveLength(1);
    // PING is answered once the pause is over: Redis is back for the next test.
    expect(await redisCommand(redis.port, 'PING', 15_000)).toBe('+PONG');
  }, 30_000);

  // Last: it leaves this file's Redis requiring a password.
  it('never writes the Redis password into a log line', async () => {
    const password = 'pw-that-must-not-leak-7431';
    await redisCommand(redis.port, `CONFIG SET requirepass ${password}`);
    {
      const wrong = new URL(redis.url);
      wrong.password = `${password}-wrong`;
      const lines: string[] = [];
      const log = createLogger('debug', (line) => lines.push(line));
      const state = await connectRedis({ url: wrong.toString(), log });
      opened.push(state);
      expect(await state.rates.take('budget-6', { limit: 1, windowMs: 1_000 })).toBe(0);
      await pollUntil(async () => lines.some((l) => l.includes('redis unavailable')), 'a warning', {
        ms: 10_000,
      });
      expect(state.health()).toBe('down');
      expect(lines.join('\n')).not.toContain(password);
    }
  }, 30_000);
});
