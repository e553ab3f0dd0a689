/**
 * Single use of request state across replicas: the shared nonce store against a real redis-server
 * (test/helpers/infra.ts), two connections playing two replicas, including Redis going away.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedNonceStore } from '../../src/confirm/nonces.js';
import { createStateSealer, type StateError } from '../../src/confirm/state.js';
import { createLogger } from '../../src/log.js';
import { connectRedis, type SharedState } from '../../src/state/redis.js';
import type { SharedCache } from '../../src/state/redis-cache.js';
import { pollUntil, type RedisServer, startRedis, stopInfra } from '../helpers/infra.js';

describe('sharedNonceStore against Redis', () => {
  let redis: RedisServer;
  const opened: SharedState[] = [];

  beforeAll(async () => {
    redis = await startRedis();
  }, 120_000);

  afterAll(async () => {
    await Promise.all(opened.map((s) => s.close()));
    await stopInfra();
  });

  async function replicaCache(): Promise<{ state: SharedState; cache: SharedCache }> {
    const log = createLogger('error', () => undefined);
    const state = await connectRedis({ url: redis.url, log });
    opened.push(state);
    await pollUntil(async () => state.health() === 'up', 'redis up', { ms: 10_000 });
    if (!state.cache) throw new Error('a Redis state has a shared cache');
    return { state, cache: state.cache };
  }

  it('refuses on one replica a state already answered on another', async () => {
    const a = await replicaCache();
    const b = await replicaCache();
    const key = new Uint8Array(32).fill(7);
    const sealerA = createStateSealer({ key, nonces: sharedNonceStore(a.cache) });
    const sealerB = createStateSealer({ key, nonces: sharedNonceStore(b.cache) });
    const binding = { kind: 'confirm', tool: 'delete_memory', args: { memory_id: 'm1' }, principal: '' };
    const token = sealerA.seal(binding);
    await expect(sealerB.open(token, binding)).resolves.toBeUndefined();
    const refused = await sealerA.open(token, binding).catch((err: StateError) => err.fault);
    expect(refused).toBe('reused');
    // Both replicas open their own fresh states.
    await expect(sealerA.open(sealerB.seal(binding), binding)).resolves.toBeUndefined();
  });

  it('keeps a claim in Redis for the life of its state only', async () => {
    const a = await replicaCache();
    const store = sharedNonceStore(a.cache);
    expect(await store.claim('short-lived', Date.now() + 300)).toBe(true);
    const other = sharedNonceStore((await replicaCache()).cache);
    expect(await other.claim('short-lived', Date.now() + 300)).toBe(false);
    // Once the state has expired its nonce is no longer held in Redis.
    await pollUntil(async () => other.claim('short-lived', Date.now() + 60_000), 'nonce released', {
      ms: 5_000,
    });
  });

  it('still refuses a replay on the same replica while Redis is down', async () => {
    const a = await replicaCache();
    const store = sharedNonceStore(a.cache);
    await redis.kill();
    try {
      await pollUntil(
        async () => {
          await a.cache.get('probe');
          return a.state.health() === 'down';
        },
        'redis down',
        { ms: 10_000 },
      );
      expect(await store.claim('during-outage', Date.now() + 60_000)).toBe(true);
      expect(await store.claim('during-outage', Date.now() + 60_000)).toBe(false);
    } finally {
      await redis.restart();
    }
  });
});
