/**
 * Single use of request state in one process: the in-memory nonce store. The shared store against a real
 * redis-server is in test/scaleout/confirm-nonces-redis.test.ts (soak).
 */
import { describe, expect, it } from 'vitest';
import { MemoryNonceStore } from '../../src/confirm/nonces.js';

describe('MemoryNonceStore', () => {
  it('claims a nonce once until it expires, then forgets it on a sweep', async () => {
    let now = 1_000;
    const store = new MemoryNonceStore(() => now);
    expect(await store.claim('n1', 2_000)).toBe(true);
    expect(await store.claim('n1', 2_000)).toBe(false);
    expect(await store.claim('n2', 2_000)).toBe(true);
    now = 2_000;
    // Past its state's expiry the nonce may be claimed again: the expiry alone refuses that state now.
    expect(await store.claim('n1', 3_000)).toBe(true);
    // Expired entries are swept as claims go by (every 256 claims), so memory holds the valid states only.
    now = 10_000;
    for (let i = 0; i < 300; i++) await store.claim(`bulk-${i}`, 10_500);
    expect(store.size).toBeGreaterThanOrEqual(300);
    now = 11_000;
    for (let i = 0; i < 256; i++) await store.claim(`late-${i}`, 20_000);
    expect(store.size).toBe(256);
  });
});
