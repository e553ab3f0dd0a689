/**
 * An attempt still queued for a connection (the pool is busy) ends at its own timeout or cancellation, not
 * when the request ahead of it ends: one connection, a first request the server never answers, a second one
 * with a short timeout. Real loopback HTTP.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { CancelledError, NetworkError } from '../../src/errors.js';
import { HttpClient } from '../../src/http/client.js';

let server: Server | undefined;
let agent: Agent | undefined;
afterEach(async () => {
  await agent?.destroy();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
});

async function busyPool() {
  let received = 0;
  let first: () => void = () => {};
  const firstArrived = new Promise<void>((resolve) => {
    first = resolve;
  });
  // Never answers: the one connection stays taken by the first request.
  server = createServer(() => {
    received++;
    first();
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  agent = new Agent({ connections: 1, pipelining: 1 });
  const client = new HttpClient({ dispatcher: agent, policy: { maxRetries: 0 } });
  const view = client.view({
    service: 'synapse',
    baseUrl: `http://127.0.0.1:${port}`,
    defaultCredential: 'k',
    missingEnv: 'K',
    credentials: { k: { env: 'K', header: 'Authorization', scheme: 'bearer', secret: 'queue-test-secret' } },
  });
  // Its timeout outlasts the test: a queued attempt that waited for it would never end in time.
  const blocker = view.get('/first', {
    timeoutMs: 120_000,
    deadline: Date.now() + 120_000,
    signal: new AbortController().signal,
  });
  blocker.catch(() => {});
  await firstArrived;
  return { view, received: () => received };
}

describe('an attempt queued behind a busy connection', () => {
  it('times out on its own clock and is never sent', async () => {
    const { view, received } = await busyPool();
    const queued = view.get('/second', { timeoutMs: 200, signal: new AbortController().signal });
    const err = await queued.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(NetworkError);
    expect((err as NetworkError).kind).toBe('timeout');
    expect(received()).toBe(1);
  });

  it("ends at the caller's cancellation", async () => {
    const { view, received } = await busyPool();
    const caller = new AbortController();
    const queued = view.get('/second', { timeoutMs: 10_000, signal: caller.signal });
    caller.abort();
    await expect(queued).rejects.toBeInstanceOf(CancelledError);
    expect(received()).toBe(1);
  });
});
