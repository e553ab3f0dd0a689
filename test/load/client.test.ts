/**
 * A small, call-bounded run of the load client against the BUILT server (HTTP, --sandbox), so the module the
 * 60 s load test will use is known to count correctly: every call answered, none failed or mismatched, and
 * each send_event seen upstream answered with its own unique tenant.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { childEnv, cleanup, startHttp } from '../e2e/spawn.js';
import { runLoad } from './client.js';

afterAll(cleanup);

describe('load client', { timeout: 60_000 }, () => {
  it('runs concurrent sessions and reports every call', async () => {
    const { url } = await startHttp(['--sandbox'], childEnv());
    const report = await runLoad({
      url,
      clients: 4,
      callsPerClient: 10,
      next: (client, seq) => {
        if (seq % 2 === 1) return { name: 'list_incidents', args: {} };
        const tenant = `tenant-${client}-${seq}`;
        return {
          name: 'send_event',
          args: { integrationKey: `load-${client}`, eventType: 'webhook_failed', tenantId: tenant },
          check: (r) => JSON.stringify(r.structuredContent ?? {}).includes(`"${tenant}"`),
        };
      },
    });
    process.stderr.write(
      `load smoke: ${report.calls} calls, ok ${report.ok}, isError ${report.isError}, failed ${report.failed}, ` +
        `mismatched ${report.mismatched}, p95 ${report.latency.p95.toFixed(1)} ms\n`,
    );
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({ calls: 40, ok: 40, isError: 0, failed: 0, mismatched: 0 });
  });
});
