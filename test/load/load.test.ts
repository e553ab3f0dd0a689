/**
 * Load over Streamable HTTP (issue 8 item 4): 50 concurrent clients for 60 s of mixed tool calls against the
 * built server, upstream a SyncGuard emulator in this process. Zero lost, failed or mismatched responses;
 * each send_event seen upstream exactly once; every session reclaimed by the idle timeout after the clients
 * leave. Loopback only, bounded in time. The server's memory under load is a figure of `npm run bench`, not a
 * test here.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createSyncGuardEmulator } from '../../src/sandbox/syncguard/index.js';
import { childEnv, cleanup, logMatching, startHttp } from '../e2e/spawn.js';
import { runLoad } from './client.js';

const CLIENTS = 50;
const DURATION_MS = 60_000;

afterAll(cleanup);

describe('load over Streamable HTTP', { timeout: DURATION_MS + 60_000 }, () => {
  it('serves 50 clients for 60 s with no lost, failed, mismatched or duplicated call, then reclaims every session', async () => {
    const emulator = createSyncGuardEmulator();
    const baseUrl = await emulator.listen();
    try {
      const { proc, url } = await startHttp(
        ['--toolsets', 'all', '--session-timeout', '2', '--log-level', 'debug'],
        childEnv({ SYNCGUARD_API_KEY: emulator.apiKey, SYNCGUARD_BASE_URL: baseUrl }),
      );
      let sends = 0;
      const report = await runLoad({
        url,
        clients: CLIENTS,
        durationMs: DURATION_MS,
        terminate: false,
        next: (client, seq) => {
          if (seq % 3 === 0) {
            sends++;
            const tenant = `t-${client}-${seq}`;
            return {
              name: 'send_event',
              args: { integrationKey: `load-${client % 5}`, eventType: 'webhook_failed', tenantId: tenant },
              check: (r) => !r.isError && JSON.stringify(r.structuredContent ?? {}).includes(`"${tenant}"`),
            };
          }
          if (seq % 3 === 1) return { name: 'list_incidents', args: { pageSize: 5 } };
          return { name: 'get_workspace_stats', args: {} };
        },
      });
      // Every session left open by the clients is closed by the idle timeout (the server logs each one).
      const reclaimed = () => proc.stderr.lines().filter(logMatching(/idle: closed/)).length >= CLIENTS;
      await proc.stderr.waitFor(() => reclaimed(), 30_000);

      const posts = emulator.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/events'));
      const tenants = posts.map((r) => (r.body as { tenantId: string }).tenantId);
      process.stderr.write(
        `load: ${report.calls} calls in ${Math.round(report.durationMs / 1000)} s by ${CLIENTS} clients ` +
          `(${Math.round(report.calls / (report.durationMs / 1000))}/s), ok ${report.ok}, isError ${report.isError}, ` +
          `failed ${report.failed}, mismatched ${report.mismatched}, p50 ${report.latency.p50.toFixed(1)} ms, ` +
          `p99 ${report.latency.p99.toFixed(1)} ms; upstream POST /events ${posts.length} for ${sends} send_event\n`,
      );
      expect(report.problems).toEqual([]);
      // How many calls fit in 60 s is a figure of the machine (npm run bench); every client made some.
      expect(report.calls).toBeGreaterThanOrEqual(CLIENTS);
      expect(report).toMatchObject({ failed: 0, mismatched: 0, isError: 0 });
      expect(report.ok).toBe(report.calls);
      expect(posts).toHaveLength(sends);
      expect(new Set(tenants).size).toBe(sends);
    } finally {
      await emulator.close();
    }
  });
});
