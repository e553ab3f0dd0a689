/**
 * A reusable load client over Streamable HTTP: N concurrent SDK Clients, each in its own session, calling
 * tools back to back for a duration or a number of calls, and a report of what came back — results, isError
 * results, failures (exceptions, timeouts, JSON-RPC errors), mismatches (a result the caller's check rejects,
 * e.g. an answer meant for another call) and latency percentiles. Bounded: every call has a timeout.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

/** One call a load client makes, with the check its result must pass. */
export interface LoadCall {
  name: string;
  args: Record<string, unknown>;
  /** False when the result is not the answer to this very call (e.g. it names another call's unique id). */
  check?: (result: CallToolResult) => boolean;
}

/** What to run. */
export interface LoadOptions {
  /** The MCP endpoint. */
  url: string;
  /** Sent on every request (e.g. the bearer token). */
  headers?: Record<string, string>;
  clients: number;
  /** Stop starting calls after this long (ms)… */
  durationMs?: number;
  /** …or after this many calls per client, whichever comes first. */
  callsPerClient?: number;
  /** The call client `client` makes as its `seq`-th call. */
  next(client: number, seq: number): LoadCall;
  /** Timeout of one call (ms, default 30 s). */
  callTimeoutMs?: number;
  /** End each session with DELETE when done (default true); false leaves it to the server's idle timeout. */
  terminate?: boolean;
}

/** What came back. */
export interface LoadReport {
  clients: number;
  calls: number;
  ok: number;
  isError: number;
  failed: number;
  mismatched: number;
  /** Latency percentiles (ms). */
  latency: { p50: number; p95: number; p99: number; max: number };
  durationMs: number;
  /** The first few failures and mismatches, for the test output. */
  problems: string[];
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** Runs the load and resolves to its report; never rejects for a failed call (it is counted). */
export async function runLoad(opts: LoadOptions): Promise<LoadReport> {
  if (opts.durationMs === undefined && opts.callsPerClient === undefined) {
    throw new Error('runLoad: give durationMs, callsPerClient or both');
  }
  const started = performance.now();
  const deadline = opts.durationMs === undefined ? Number.POSITIVE_INFINITY : started + opts.durationMs;
  const maxCalls = opts.callsPerClient ?? Number.POSITIVE_INFINITY;
  const latencies: number[] = [];
  const report = { calls: 0, ok: 0, isError: 0, failed: 0, mismatched: 0, problems: [] as string[] };
  const problem = (text: string) => {
    if (report.problems.length < 10) report.problems.push(text);
  };

  const runClient = async (index: number): Promise<void> => {
    const transport = new StreamableHTTPClientTransport(new URL(opts.url), {
      requestInit: { headers: opts.headers ?? {} },
    });
    const client = new Client({ name: `syn-mcp-load-${index}`, version: '0' });
    try {
      await client.connect(transport);
    } catch (err) {
      report.failed++;
      problem(`client ${index}: connect failed: ${String(err)}`);
      return;
    }
    for (let seq = 0; seq < maxCalls && performance.now() < deadline; seq++) {
      const call = opts.next(index, seq);
      const t0 = performance.now();
      report.calls++;
      try {
        const result = (await client.callTool({ name: call.name, arguments: call.args }, undefined, {
          timeout: opts.callTimeoutMs ?? 30_000,
        })) as CallToolResult;
        latencies.push(performance.now() - t0);
        if (call.check && !call.check(result)) {
          report.mismatched++;
          problem(
            `client ${index} call ${seq} ${call.name}: unexpected result ${JSON.stringify(result).slice(0, 200)}`,
          );
        } else if (result.isError) report.isError++;
        else report.ok++;
      } catch (err) {
        report.failed++;
        problem(`client ${index} call ${seq} ${call.name}: ${String(err).slice(0, 200)}`);
      }
    }
    if (opts.terminate ?? true) await transport.terminateSession().catch(() => {});
    await client.close();
  };

  await Promise.all(Array.from({ length: opts.clients }, (_, i) => runClient(i)));
  const sorted = latencies.sort((a, b) => a - b);
  return {
    clients: opts.clients,
    ...report,
    latency: {
      p50: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      p99: percentile(sorted, 99),
      max: sorted.at(-1) ?? 0,
    },
    durationMs: performance.now() - started,
  };
}
