/**
 * The heap watch of the HTTP server (src/transports/heap.ts), on the built server: once 500 or more requests
 * have come and the server has then been idle for a second, it runs one full collection and says so at
 * debug level. The memory figures themselves are the bench's (`npm run bench`): here, that the watch fires.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { childEnv, cleanup, logLine, logMatching, mcpHeaders, startHttp } from './spawn.js';

afterAll(cleanup);

const COLLECTED = /^heap: idle after (\d+) requests; collected, heap \d+ → \d+ MB, rss \d+ → \d+ MB$/;

describe('HTTP heap watch', () => {
  it('collects once the server is idle after 500 requests, and logs it', async () => {
    const { proc, url } = await startHttp(['--stateless', '--log-level', 'debug'], childEnv());
    const ping = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' });
    for (let i = 0; i < 520; i++) {
      const res = await fetch(url, { method: 'POST', headers: mcpHeaders(), body: ping });
      expect(res.status).toBe(200);
      await res.text();
    }
    const line = await proc.stderr.waitFor(logMatching(COLLECTED, 'debug'), 10_000);
    const served = Number(COLLECTED.exec(logLine(line)?.msg ?? '')?.[1]);
    expect(served).toBeGreaterThanOrEqual(500);
    // One collection for one idle spell.
    expect(proc.stderr.lines().filter(logMatching(COLLECTED))).toHaveLength(1);
  });
});
