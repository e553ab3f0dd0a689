/**
 * The Synap emulator's rate window as the scale-out tests use it: a configurable fixed window (`rateWindowMs`)
 * that X-RateLimit-Reset and Retry-After follow, per-window counts of authenticated requests, the 429s the
 * limit caused, and the arrival time (`at`) of each recorded request.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/sandbox/common/clock.js';
import { createSynapEmulator, type SynapEmulator } from '../../src/sandbox/synap/index.js';

const START = Date.UTC(2025, 5, 1, 12, 0, 0);
let emu: SynapEmulator | undefined;

afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

async function get(url: string, key: string | undefined): Promise<Response> {
  return fetch(`${url}/v1/credits/balance`, { headers: key ? { authorization: `Bearer ${key}` } : {} });
}

describe('Synap emulator rate window', () => {
  it('counts authenticated requests per 2 s window, answers 429 past the limit, Reset and Retry-After follow the window', async () => {
    const clock = new ManualClock(START + 500);
    emu = createSynapEmulator({ clock, rateLimitPerMinute: 3, rateWindowMs: 2_000 });
    const url = await emu.listen();
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await get(url, emu.apiKey)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect((await get(url, undefined)).status).toBe(401); // not counted: unauthenticated

    clock.advance(1_000); // START + 1.5 s: same window
    const limited = await get(url, emu.apiKey);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(limited.headers.get('x-ratelimit-reset')).toBe(String((START + 2_000) / 1000));
    expect(limited.headers.get('x-ratelimit-limit')).toBe('3');
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');

    clock.advance(600); // START + 2.1 s: a new window
    const fresh = await get(url, emu.apiKey);
    expect(fresh.status).toBe(200);
    expect(fresh.headers.get('x-ratelimit-remaining')).toBe('2');
    expect(fresh.headers.get('x-ratelimit-reset')).toBe(String((START + 4_000) / 1000));

    const stats = emu.rateStats();
    expect([...stats.windows]).toEqual([
      [START, 5],
      [START + 2_000, 1],
    ]);
    expect(stats.rejected).toBe(2);
    expect(emu.requests.map((r) => r.at)).toEqual([
      ...Array(5).fill(START + 500),
      START + 1_500,
      START + 2_100,
    ]);

    emu.reset();
    expect(emu.rateStats()).toEqual({ windows: new Map(), rejected: 0 });
  });

  it('keeps the one-minute window by default, and stamps `at` with the wall clock', async () => {
    emu = createSynapEmulator();
    const url = await emu.listen();
    const before = Date.now();
    const res = await get(url, emu.apiKey);
    const after = Date.now();
    expect(res.headers.get('x-ratelimit-limit')).toBe('600');
    const reset = Number(res.headers.get('x-ratelimit-reset')) * 1000;
    expect(reset % 60_000).toBe(0);
    expect(reset).toBeGreaterThan(before);
    expect(reset).toBeLessThanOrEqual(after + 60_000);
    const at = emu.requests[0]?.at ?? 0;
    expect(at).toBeGreaterThanOrEqual(before);
    expect(at).toBeLessThanOrEqual(after);
    // An injected 429 is not the limit's doing.
    emu.rateLimit({ retryAfterSeconds: 2 });
    expect((await get(url, emu.apiKey)).status).toBe(429);
    expect(emu.rateStats().rejected).toBe(0);
  });

  it('refuses a window that is not a positive integer of ms', () => {
    expect(() => createSynapEmulator({ rateWindowMs: 0 })).toThrow(/rateWindowMs must be a positive integer/);
    expect(() => createSynapEmulator({ rateWindowMs: 1.5 })).toThrow(/rateWindowMs/);
  });
});
