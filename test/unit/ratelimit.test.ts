import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { errorText } from '../../src/error-text.js';
import { RateLimitError } from '../../src/errors.js';
import { HttpClient } from '../../src/http/client.js';
import { parseRateRule, RateLimiter, resetInMs } from '../../src/http/ratelimit.js';
import { MemoryRateStore } from '../../src/state/rates.js';

/** A clock the test moves. */
function manualClock(start = 1_700_000_000_000) {
  let t = start;
  return {
    now: () => t,
    advance: (ms: number) => {
      t += ms;
    },
  };
}

describe('MemoryRateStore', () => {
  it('grants at most `limit` in any window and says how long until the oldest grant leaves it', () => {
    const clock = manualClock();
    const store = new MemoryRateStore(clock.now);
    const rule = { limit: 3, windowMs: 1_000 };
    expect([0, 1, 2].map(() => store.takeNow('k', rule))).toEqual([0, 0, 0]);
    clock.advance(400);
    expect(store.takeNow('k', rule)).toBe(601);
    clock.advance(599);
    expect(store.takeNow('k', rule)).toBe(2);
    // A grant exactly one window old is out of it (half-open windows, as fixed windows count).
    clock.advance(1);
    expect(store.takeNow('k', rule)).toBe(0);
  });

  it('keeps every fixed window the API may count in under the limit, whatever the arrival pattern', () => {
    const clock = manualClock(0);
    const store = new MemoryRateStore(clock.now);
    const rule = { limit: 7, windowMs: 500 };
    const granted: number[] = [];
    let seed = 42;
    const rand = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let i = 0; i < 5_000; i++) {
      clock.advance(Math.floor(rand() * 40));
      if (store.takeNow('k', rule) === 0) granted.push(clock.now());
    }
    expect(granted.length).toBeGreaterThan(100);
    for (const offset of [0, 123, 250, 499]) {
      const perWindow = new Map<number, number>();
      for (const t of granted) {
        const w = Math.floor((t + offset) / rule.windowMs);
        perWindow.set(w, (perWindow.get(w) ?? 0) + 1);
      }
      expect(Math.max(...perWindow.values())).toBeLessThanOrEqual(rule.limit);
    }
  });

  it('counts a request from its grant until one window after its answer, however long it was in flight', () => {
    const clock = manualClock();
    const store = new MemoryRateStore(clock.now);
    const rule = { limit: 2, windowMs: 1_000 };
    expect(store.takeNow('k', rule, { ticket: 'a', ms: 30_000 })).toBe(0);
    expect(store.takeNow('k', rule, { ticket: 'b', ms: 30_000 })).toBe(0);
    // Both still in flight after two windows: no slot, and a short wait (their answers free the slots).
    clock.advance(2_000);
    expect(store.takeNow('k', rule, { ticket: 'c', ms: 30_000 })).toBe(100);
    // 'a' is answered now: it still counts for one window from now (it may have arrived just now).
    store.releaseNow('k', 'a');
    clock.advance(999);
    expect(store.takeNow('k', rule, { ticket: 'c', ms: 30_000 })).toBeGreaterThan(0);
    clock.advance(1);
    expect(store.takeNow('k', rule, { ticket: 'c', ms: 30_000 })).toBe(0);
    // A request whose answer never comes stops counting at the end of its hold plus a window.
    const lost = new MemoryRateStore(clock.now);
    expect(lost.takeNow('k', { limit: 1, windowMs: 1_000 }, { ticket: 'x', ms: 5_000 })).toBe(0);
    clock.advance(4_999);
    expect(lost.takeNow('k', { limit: 1, windowMs: 1_000 })).toBe(100);
    clock.advance(1_000);
    expect(lost.takeNow('k', { limit: 1, windowMs: 1_000 })).toBe(2);
    clock.advance(1);
    expect(lost.takeNow('k', { limit: 1, windowMs: 1_000 })).toBe(0);
  });

  it('caps a burst and refills it at limit/window', () => {
    const clock = manualClock();
    const store = new MemoryRateStore(clock.now);
    const rule = { limit: 60, windowMs: 60_000, burst: 10 };
    for (let i = 0; i < 10; i++) expect(store.takeNow('k', rule)).toBe(0);
    expect(store.takeNow('k', rule)).toBe(1_000);
    clock.advance(1_000);
    expect(store.takeNow('k', rule)).toBe(0);
  });

  it('holds a key back for a Retry-After, and runs a mirrored quota down to zero', async () => {
    const clock = manualClock();
    const store = new MemoryRateStore(clock.now);
    await store.block('a', 2_000);
    expect(store.takeNow('a', undefined)).toBe(2_000);
    expect(store.takeNow('b', undefined)).toBe(0);
    await store.mirror('b', 2, 5_000);
    expect(store.takeNow('b', undefined)).toBe(0);
    expect(store.takeNow('b', undefined)).toBe(0);
    clock.advance(1_000);
    expect(store.takeNow('b', undefined)).toBe(4_000);
    // A later answer of the same window cannot raise what is left; a new window replaces it.
    await store.mirror('b', 9, 4_000);
    expect(store.takeNow('b', undefined)).toBe(4_000);
    clock.advance(4_000);
    expect(store.takeNow('b', undefined)).toBe(0);
  });

  it('as a fallback takes its share of the limit and starts from what others were seen to send', () => {
    const clock = manualClock();
    const store = new MemoryRateStore(clock.now);
    store.share = 2;
    const rule = { limit: 10, windowMs: 1_000 };
    for (let i = 0; i < 5; i++) expect(store.takeNow('k', rule)).toBe(0);
    expect(store.takeNow('k', rule)).toBeGreaterThan(0);
    const other = new MemoryRateStore(clock.now);
    other.share = 2;
    other.assume('k', 4, 100);
    expect(other.count('k', 1_000)).toBe(4);
    expect(other.takeNow('k', rule)).toBe(0);
    expect(other.takeNow('k', rule)).toBeGreaterThan(0);
  });
});

describe('rate rules', () => {
  it('parses N/W[:B]', () => {
    expect(parseRateRule('20/2s')).toEqual({ limit: 20, windowMs: 2_000 });
    expect(parseRateRule('600/1m:50')).toEqual({ limit: 600, windowMs: 60_000, burst: 50 });
    expect(parseRateRule('500/1d')).toEqual({ limit: 500, windowMs: 86_400_000 });
    expect(parseRateRule('5/250ms')).toEqual({ limit: 5, windowMs: 250 });
    for (const bad of ['', '20', '20/2', '0/1s', '20/0s', '20/1w', '-1/1s', '20/1s:0', 'x/1s']) {
      expect(parseRateRule(bad)).toBeUndefined();
    }
  });

  it('reads X-RateLimit-Reset as Unix seconds, Unix ms or seconds from now', () => {
    const now = 1_700_000_000_000;
    expect(resetInMs('1700000030', now)).toBe(30_000);
    expect(resetInMs('1700000030000', now)).toBe(30_000);
    expect(resetInMs('12', now)).toBe(12_000);
    expect(resetInMs('soon', now)).toBeUndefined();
    expect(resetInMs(undefined, now)).toBeUndefined();
  });

  it('starts Synap on the documented Free tier and learns the tier from X-RateLimit-Limit', async () => {
    const limiter = new RateLimiter(new MemoryRateStore());
    const key = limiter.key('synap', 'Bearer k1');
    expect(limiter.rule('synap', key)).toMatchObject({ limit: 60, burst: 10 });
    await limiter.observe('synap', key, 200, { 'x-ratelimit-limit': '600' }, undefined);
    expect(limiter.rule('synap', key)).toMatchObject({ limit: 600, burst: 50 });
    // Another key keeps its own rule; the key never contains the secret.
    const other = limiter.key('synap', 'Bearer k2');
    expect(other).not.toBe(key);
    expect(key).not.toContain('k1');
    expect(limiter.rule('synap', other)).toMatchObject({ limit: 60 });
    // An override wins over what answers say.
    const pinned = new RateLimiter(new MemoryRateStore(), { synap: { limit: 20, windowMs: 2_000 } });
    await pinned.observe('synap', key, 200, { 'x-ratelimit-limit': '600' }, undefined);
    expect(pinned.rule('synap', key)).toMatchObject({ limit: 20 });
    // Synapse is self-hosted and unlimited; the others draw from budgets.
    expect(limiter.limits('synapse')).toBe(false);
    expect(['syncguard', 'synqly', 'synap', 'synchronex'].every((s) => limiter.limits(s as 'synap'))).toBe(
      true,
    );
  });

  it('blocks a key for a 429: Retry-After, else X-RateLimit-Reset of an exhausted window, else a second', async () => {
    const clock = manualClock();
    const store = new MemoryRateStore(clock.now);
    const limiter = new RateLimiter(store, {}, clock.now);
    await limiter.observe('syncguard', 'a', 429, {}, 3_000);
    expect(store.takeNow('a', undefined)).toBe(3_000);
    await limiter.observe(
      'syncguard',
      'b',
      429,
      { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '7' },
      undefined,
    );
    expect(store.takeNow('b', undefined)).toBe(7_000);
    // A 429 while the window still has room is not about that window.
    await limiter.observe(
      'syncguard',
      'd',
      429,
      { 'x-ratelimit-remaining': '5', 'x-ratelimit-reset': '7' },
      undefined,
    );
    expect(store.takeNow('d', undefined)).toBe(1_000);
    await limiter.observe('syncguard', 'c', 429, {}, undefined);
    expect(store.takeNow('c', undefined)).toBe(1_000);
  });

  it('mirrors the upstream count only when it runs low', async () => {
    const clock = manualClock();
    const store = new MemoryRateStore(clock.now);
    const limiter = new RateLimiter(store, {}, clock.now);
    const reset = String(Math.floor((clock.now() + 60_000) / 1000));
    await limiter.observe(
      'synchronex',
      'k',
      200,
      { 'x-ratelimit-limit': '500', 'x-ratelimit-remaining': '400', 'x-ratelimit-reset': reset },
      undefined,
    );
    for (let i = 0; i < 5; i++) expect(store.takeNow('k', undefined)).toBe(0);
    await limiter.observe(
      'synchronex',
      'k',
      200,
      { 'x-ratelimit-limit': '500', 'x-ratelimit-remaining': '1', 'x-ratelimit-reset': reset },
      undefined,
    );
    expect(store.takeNow('k', undefined)).toBe(0);
    expect(store.takeNow('k', undefined)).toBeGreaterThan(50_000);
  });

  it('waits while the deadline allows, and reports the wait when it does not', async () => {
    const clock = manualClock();
    const store = new MemoryRateStore(clock.now);
    const limiter = new RateLimiter(store, { syncguard: { limit: 1, windowMs: 1_000 } }, clock.now, () => 0);
    const waits: number[] = [];
    const wait = async (ms: number) => {
      waits.push(ms);
      clock.advance(ms);
    };
    const first = await limiter.acquire('syncguard', 'k', clock.now() + 10_000, wait, 5_000);
    expect(typeof first).toBe('string');
    limiter.release('k', first as string);
    const second = await limiter.acquire('syncguard', 'k', clock.now() + 10_000, wait, 5_000);
    expect(typeof second).toBe('string');
    expect(second).not.toBe(first);
    expect(waits).toEqual([1_051]);
    limiter.release('k', second as string);
    const over = await limiter.acquire('syncguard', 'k', clock.now() + 500, wait, 5_000);
    expect(over).toBeGreaterThan(500);
    expect(waits).toHaveLength(1);
  });
});

describe('the client under a rate budget', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
  });

  async function upstream(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
    server = createServer(handler);
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  function synapView(client: HttpClient, base: string) {
    return client.view({
      service: 'synap',
      baseUrl: base,
      defaultCredential: 'apiKey',
      missingEnv: 'SYNAP_API_KEY',
      credentials: {
        apiKey: { env: 'SYNAP_API_KEY', header: 'Authorization', scheme: 'bearer', secret: 'synap_secret_1' },
      },
    });
  }

  it('never sends a request the budget has no room for before the deadline, and says it was not sent', async () => {
    let hits = 0;
    const base = await upstream((_req, res) => {
      hits++;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    const rates = new RateLimiter(new MemoryRateStore(), { synap: { limit: 2, windowMs: 60_000 } });
    const client = new HttpClient({ rates });
    const api = synapView(client, base);
    await api.get('/a');
    await api.post('/b', { body: {} });
    const err = await api.post('/c', { body: {}, deadline: Date.now() + 1_000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitError);
    expect(hits).toBe(2);
    const text = errorText(err);
    expect(text).toContain('did not send it');
    expect(text).toMatch(/Retry after \d+ s/);
    expect(text).not.toContain('synap_secret_1');
    await client.close();
  });

  it("holds every client sharing the store back for one client's Retry-After", async () => {
    let hits = 0;
    const base = await upstream((_req, res) => {
      hits++;
      if (hits === 1) {
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '30' });
        res.end('{"error":"Rate limit exceeded","code":"RATE_LIMITED"}');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    const store = new MemoryRateStore();
    const replicaA = new HttpClient({ rates: new RateLimiter(store) });
    const replicaB = new HttpClient({ rates: new RateLimiter(store) });
    // 30 s is more than A waits for a retry within its 2 s deadline: A gets the 429 back.
    const first = await synapView(replicaA, base)
      .get('/x', { deadline: Date.now() + 2_000 })
      .catch((e: unknown) => e);
    expect(first).toBeInstanceOf(RateLimitError);
    const second = await synapView(replicaB, base)
      .get('/x', { deadline: Date.now() + 2_000 })
      .catch((e: unknown) => e);
    expect(second).toBeInstanceOf(RateLimitError);
    expect((second as RateLimitError).code).toBe('RATE_BUDGET');
    expect(hits).toBe(1);
    await replicaA.close();
    await replicaB.close();
  });
});
