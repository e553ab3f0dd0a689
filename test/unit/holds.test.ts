/**
 * Hostile upstreams (issue 17 part 3): an upstream's hold — Retry-After in seconds or as an HTTP date,
 * X-RateLimit-Reset, an error body's retry_after — is capped at one hour, and a zero, negative or past one
 * is a brief pause, never a retry at once. Through the client, its rate budget and the in-memory store, on an
 * injected clock: nothing here really waits. (The Redis store's cap is in redis-state.test.ts.)
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { errorText } from '../../src/error-text.js';
import { RateLimitError } from '../../src/errors.js';
import { HttpClient } from '../../src/http/client.js';
import { BRIEF_HOLD_MS, RateLimiter, resetInMs, saneHoldMs } from '../../src/http/ratelimit.js';
import { MAX_HOLD_MS, MemoryRateStore } from '../../src/state/rates.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);

describe('saneHoldMs and X-RateLimit-Reset', () => {
  it('caps at an hour, makes zero, negative and past holds brief, keeps the rest', () => {
    expect(MAX_HOLD_MS).toBe(HOUR);
    expect(saneHoldMs(undefined)).toBeUndefined();
    expect(saneHoldMs(Number.NaN)).toBeUndefined();
    expect(saneHoldMs(2_500)).toBe(2_500);
    expect(saneHoldMs(99_999_999_999_000)).toBe(HOUR);
    expect(saneHoldMs(Number.POSITIVE_INFINITY)).toBe(HOUR);
    expect(saneHoldMs(0)).toBe(BRIEF_HOLD_MS);
    expect(saneHoldMs(-5_000)).toBe(BRIEF_HOLD_MS);
    expect(BRIEF_HOLD_MS).toBeGreaterThan(0);
    expect(BRIEF_HOLD_MS).toBeLessThanOrEqual(5_000);
  });

  it('reads a Reset absurdly far (Unix seconds, Unix ms or seconds from now) as an hour at most', () => {
    expect(resetInMs('99999999999', T0)).toBe(HOUR);
    expect(resetInMs(String(T0 + 10 * 365 * 86_400_000), T0)).toBe(HOUR);
    expect(resetInMs('999999', T0)).toBe(HOUR);
    expect(resetInMs('30', T0)).toBe(30_000);
    expect(resetInMs(String(T0 / 1000 - 60), T0)).toBe(0);
  });
});

/** A fake clock the client, its rate limiter and the store share; sleeping advances it. */
function fakeTime(start = T0) {
  const clock = { t: start };
  const sleeps: number[] = [];
  return {
    clock,
    sleeps,
    now: () => clock.t,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      clock.t += ms;
    },
  };
}

describe('the client under absurd or past holds', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
  });

  /** A SyncGuard-like upstream: `answers` are played in turn, then 200s. */
  async function upstream(
    answers: Array<{ status: number; headers?: Record<string, string>; body?: unknown }>,
  ) {
    let hits = 0;
    server = createServer((_req: IncomingMessage, res: ServerResponse) => {
      const a = answers[hits++];
      if (!a) {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"isSuccess":true,"data":[]}');
        return;
      }
      res.writeHead(a.status, { 'content-type': 'application/json', ...a.headers });
      res.end(JSON.stringify(a.body ?? { isSuccess: false, message: 'Too many requests' }));
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits: () => hits };
  }

  function build(url: string, time: ReturnType<typeof fakeTime>, store = new MemoryRateStore(time.now)) {
    const rates = new RateLimiter(store, {}, time.now, () => 0);
    const client = new HttpClient({ rates, now: time.now, sleep: time.sleep, random: () => 0 });
    const view = client.view({
      service: 'syncguard',
      baseUrl: url,
      defaultCredential: 'apiKey',
      missingEnv: 'SYNCGUARD_API_KEY',
      credentials: {
        apiKey: { env: 'SYNCGUARD_API_KEY', header: 'X-Api-Key', scheme: 'raw', secret: 'sg_hold_secret' },
      },
    });
    return { client, view, store };
  }

  it.each([
    ['Retry-After in seconds', { 'retry-after': '99999999999' }],
    [
      'Retry-After as a far HTTP date',
      { 'retry-after': new Date(T0 + 3_000 * 365 * 86_400_000).toUTCString() },
    ],
    ['an exhausted X-RateLimit-Reset', { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '99999999999' }],
  ])('%s holds the key back an hour at most, not for years', async (_name, headers) => {
    const up = await upstream([{ status: 429, headers }]);
    const time = fakeTime();
    const { client, view } = build(up.url, time);
    const err = await view.get('/incidents').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitError);
    expect((err as RateLimitError).retryAfterSeconds).toBe(3_600);
    expect(errorText(err)).toContain('Retry after 3600 s');
    expect(up.hits()).toBe(1);
    // Within the hour, nothing is sent: the budget says so, with the hour's remainder.
    time.clock.t += HOUR - 60_000;
    const held = await view.get('/incidents').catch((e: unknown) => e);
    expect(held).toBeInstanceOf(RateLimitError);
    expect((held as RateLimitError).code).toBe('RATE_BUDGET');
    expect((held as RateLimitError).retryAfterSeconds).toBeLessThanOrEqual(60);
    expect(up.hits()).toBe(1);
    // An hour later the API is asked again.
    time.clock.t += 60_001;
    await expect(view.get('/incidents')).resolves.toEqual([]);
    expect(up.hits()).toBe(2);
    await client.close();
  });

  it.each([
    ['a negative Retry-After', { 'retry-after': '-5' }],
    ['a Retry-After date in the past', { 'retry-after': new Date(T0 - 3_600_000).toUTCString() }],
    ['Retry-After: 0', { 'retry-after': '0' }],
    [
      'an exhausted X-RateLimit-Reset in the past',
      { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1700000000' },
    ],
  ])('%s backs off briefly before the retry, not at once', async (_name, headers) => {
    const up = await upstream([{ status: 429, headers }]);
    const time = fakeTime();
    const { client, view } = build(up.url, time);
    await expect(view.get('/incidents')).resolves.toEqual([]);
    expect(up.hits()).toBe(2);
    // Every wait before the retry added up: a brief pause (the hold, and the budget's own), never zero.
    const waited = time.sleeps.reduce((a, b) => a + b, 0);
    expect(waited).toBeGreaterThanOrEqual(BRIEF_HOLD_MS);
    expect(waited).toBeLessThan(5_000);
    await client.close();
  });

  it("caps an error body's own retry_after too", async () => {
    const up = await upstream([
      { status: 429, body: { error: 'rate_limit_exceeded', message: 'slow down', retry_after: 1e12 } },
    ]);
    const time = fakeTime();
    const store = new MemoryRateStore(time.now);
    const rates = new RateLimiter(store, {}, time.now, () => 0);
    const client = new HttpClient({ rates, now: time.now, sleep: time.sleep, random: () => 0 });
    const view = client.view({
      service: 'synchronex',
      baseUrl: up.url,
      defaultCredential: 'apiKey',
      missingEnv: 'SYNCHRONEX_API_KEY',
      credentials: {
        apiKey: { env: 'SYNCHRONEX_API_KEY', header: 'Authorization', scheme: 'bearer', secret: 'sx_hold' },
      },
    });
    const err = await view.get('/memory/identity').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitError);
    expect((err as RateLimitError).retryAfterSeconds).toBe(3_600);
    expect(up.hits()).toBe(1);
    await client.close();
  });
});

describe('MemoryRateStore holds', () => {
  it('never blocks or mirrors a key longer than an hour, whatever it is told', async () => {
    const time = fakeTime();
    const store = new MemoryRateStore(time.now);
    await store.block('k1', 1e15);
    expect(await store.take('k1', undefined)).toBe(HOUR);
    await store.mirror('k2', 0, Number.POSITIVE_INFINITY);
    expect(await store.take('k2', undefined)).toBeLessThanOrEqual(HOUR);
    await store.block('k3', -1e9);
    expect(await store.take('k3', undefined)).toBe(0);
  });
});
