/**
 * Issue 11, on real parts: a real redis-server and a real nginx (test/helpers/infra.ts), two replicas of the
 * BUILT server (`--http --stateless`) behind nginx round-robin, sharing one Synap and one Synqly emulator of
 * this process. The Synap emulator has a low limit (20 requests per 2 s window) and the replicas are told so
 * (`--rate-limit synap=20/2s`). Shown: 50 concurrent clients through nginx with zero failed calls and no
 * window over the limit; a 429's Retry-After honoured by the other replica; a Synqly token minted by one
 * replica reused by the other; Redis killed mid-run without a lost call, and its return noticed; a replica
 * without Redis as before; a graceful drain on SIGTERM. Every write tool used is counted upstream: one POST
 * per call, never a duplicate.
 */
import { createConnection } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedRequest } from '../../src/sandbox/common/server.js';
import { createSynapEmulator, type SynapEmulator } from '../../src/sandbox/synap/index.js';
import { createSynqlyEmulator, type SynqlyEmulator } from '../../src/sandbox/synqly/index.js';
import {
  callTool,
  childEnv,
  cleanup,
  connectHttp,
  logMatching,
  type ServerProcess,
  startHttp,
  textOf,
  within,
} from '../e2e/spawn.js';
import {
  httpGet,
  killRedis,
  type NginxServer,
  pollUntil,
  type RedisServer,
  restartRedis,
  startNginx,
  startRedis,
  stopInfra,
} from '../helpers/infra.js';
import { type LoadReport, runLoad } from '../load/client.js';

const LIMIT = 20;
const WINDOW_MS = 2_000;
const CLIENTS = 50;
const TOOLSETS = 'synap,synap_write,synqly,synqly_admin';
const FETCH_PATH = '/v1/context/client/fetch';

interface Replica {
  name: string;
  proc: ServerProcess;
  /** The MCP endpoint, `http://127.0.0.1:PORT/mcp`. */
  url: string;
  /** `http://127.0.0.1:PORT` */
  origin: string;
  /** `127.0.0.1:PORT`, for nginx. */
  address: string;
}

interface Health {
  status: string;
  redis: string;
  inflight: number;
}

let redis: RedisServer;
let synap: SynapEmulator;
let synqly: SynqlyEmulator;
let serviceEnv: Record<string, string>;
let a: Replica;
let b: Replica;
let nginx: NginxServer;

async function startReplica(
  name: string,
  env: Record<string, string>,
  args: string[] = [],
): Promise<Replica> {
  const { proc, url } = await startHttp(
    ['--stateless', '--toolsets', TOOLSETS, '--rate-limit', `synap=${LIMIT}/${WINDOW_MS / 1000}s`, ...args],
    childEnv(env),
  );
  const origin = new URL(url).origin;
  return { name, proc, url, origin, address: new URL(url).host };
}

async function health(replica: Replica): Promise<{ status: number; body: Health }> {
  const res = await httpGet(`${replica.origin}/healthz`);
  return { status: res.status, body: JSON.parse(res.body) as Health };
}

/** Polls /healthz (bounded) until its `redis` field says `want`. */
async function healthSays(replica: Replica, want: string): Promise<void> {
  await pollUntil(
    async () => (await health(replica)).body.redis === want,
    `${replica.name} /healthz redis=${want}`,
    {
      ms: 15_000,
      intervalMs: 100,
    },
  );
}

const fetchCall = () => ({ name: 'fetch_context', args: { scope: 'client' } });
const isFetch = (r: RecordedRequest) => r.method === 'POST' && r.path === FETCH_PATH;
const maxPerWindow = () => Math.max(0, ...synap.rateStats().windows.values());

function ok(result: CallToolResult): CallToolResult {
  if (result.isError) throw new Error(`tool failed: ${textOf(result)}`);
  return result;
}

function summary(what: string, r: LoadReport): string {
  const proxy =
    r.failed > 0
      ? `; nginx error log:\n${nginx
          .errors()
          .split('\n')
          .filter((l) => /\[(error|warn)\]/.test(l))
          .slice(-8)
          .join('\n')}\n`
      : '';
  return (
    proxy +
    `scaleout ${what}: ${r.calls} calls by ${r.clients} clients in ${(r.durationMs / 1000).toFixed(1)} s, ok ${r.ok}, ` +
    `isError ${r.isError}, failed ${r.failed}, mismatched ${r.mismatched}, p50 ${r.latency.p50.toFixed(0)} ms, ` +
    `p99 ${r.latency.p99.toFixed(0)} ms, max ${r.latency.max.toFixed(0)} ms; upstream max ${maxPerWindow()} per ` +
    `${WINDOW_MS} ms window (limit ${LIMIT}) over ${synap.rateStats().windows.size} windows, ` +
    `rate 429s ${synap.rateStats().rejected}\n`
  );
}

/** Per window (offset from the first, ms): the count, and for a window over the limit its arrivals (ms in). */
function windowDetail(): string {
  const windows = [...synap.rateStats().windows];
  const first = windows[0]?.[0] ?? 0;
  return windows
    .map(([start, count]) => {
      if (count <= LIMIT) return `+${start - first}:${count}`;
      const at = synap.requests
        .filter((r) => r.at >= start && r.at < start + WINDOW_MS)
        .map((r) => r.at - start);
      return `+${start - first}:${count} [arrivals ms in: ${at.join(' ')}]`;
    })
    .join(', ');
}

/** Runs `fn` while measuring this process's event-loop delay (the emulators stamp arrivals on this loop). */
async function withLoopDelay<T>(fn: () => Promise<T>): Promise<{ value: T; lag: string }> {
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  try {
    const value = await fn();
    return {
      value,
      lag: `p99 ${(h.percentile(99) / 1e6).toFixed(0)} ms, max ${(h.max / 1e6).toFixed(0)} ms`,
    };
  } finally {
    h.disable();
  }
}

function warnings(replica: Replica): string[] {
  return replica.proc.stderr.lines().filter(logMatching(/^redis unavailable/, 'warn'));
}

beforeAll(async () => {
  redis = await startRedis();
  synap = createSynapEmulator({ rateLimitPerMinute: LIMIT, rateWindowMs: WINDOW_MS });
  synqly = createSynqlyEmulator();
  const [synapUrl, synqlyUrl] = await Promise.all([synap.listen(), synqly.listen()]);
  // What --sandbox would put in the environment, for the two services used; only the org token for
  // Synqly, so connector calls go through tokens syn-mcp mints.
  serviceEnv = {
    SYNAP_BASE_URL: synapUrl,
    SYNAP_API_KEY: synap.apiKey,
    SYNQLY_BASE_URL: synqlyUrl,
    SYNQLY_ORG_TOKEN: synqly.orgToken,
  };
  const shared = { ...serviceEnv, SYN_MCP_REDIS_URL: redis.url };
  [a, b] = await Promise.all([startReplica('A', shared), startReplica('B', shared)]);
  nginx = await startNginx([a.address, b.address]);
}, 60_000);

afterAll(async () => {
  await cleanup();
  await Promise.allSettled([synap?.close(), synqly?.close()]);
  await stopInfra();
}, 60_000);

describe('two stateless replicas behind nginx, sharing Redis', { timeout: 60_000 }, () => {
  it('start: nginx answers tools/list from the replicas; each replica reports Redis up on /healthz', async () => {
    for (const replica of [a, b]) {
      const h = await health(replica);
      expect(h.status).toBe(200);
      expect(h.body).toMatchObject({ status: 'ok', redis: 'up' });
      expect(h.body.inflight).toBe(0);
    }
    const names = new Set<string>();
    for (let i = 0; i < 4; i++) {
      const session = await connectHttp(`${nginx.origin}/mcp`);
      const listed = await session.client.listTools();
      for (const t of listed.tools) names.add(t.name);
      await session.close();
    }
    expect([...names]).toEqual(expect.arrayContaining(['fetch_context', 'query_tickets', 'create_account']));
  });

  it('50 clients through nginx: zero failed calls, no upstream window over the limit, one POST per call', async () => {
    synap.reset();
    const { value: report, lag } = await withLoopDelay(() =>
      // Calls wait for the budget (20 per 2 s for 50 clients): give each the server's own 60 s deadline.
      runLoad({
        url: `${nginx.origin}/mcp`,
        clients: CLIENTS,
        durationMs: 4_000,
        callTimeoutMs: 60_000,
        next: fetchCall,
      }),
    );
    process.stderr.write(summary('load', report));
    process.stderr.write(`scaleout load: windows ${windowDetail()}; test process event-loop delay ${lag}\n`);
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({ failed: 0, isError: 0, mismatched: 0 });
    expect(report.ok).toBe(report.calls);
    expect(report.calls).toBeGreaterThanOrEqual(CLIENTS);
    expect(synap.rateStats().rejected).toBe(0);
    expect(maxPerWindow()).toBeLessThanOrEqual(LIMIT);
    // The load really pressed on the limit: 50 clients calling at once would put 50 into the first window
    // without a budget; with it, windows fill (up to LIMIT; where the load starts inside a window and how long
    // answers take on a busy machine decide how full the fullest one gets).
    expect(maxPerWindow()).toBeGreaterThanOrEqual(LIMIT / 2);
    expect(synap.requests.filter(isFetch)).toHaveLength(report.calls);
    expect(synap.requests).toHaveLength(report.calls);
  }, 90_000);

  it("a 429's Retry-After seen by replica A holds replica B back until it has passed", async () => {
    synap.reset();
    const [sa, sb] = await Promise.all([connectHttp(a.url), connectHttp(b.url)]);
    synap.rateLimit({ retryAfterSeconds: 2 });
    const args = { conversation_id: 'conv-scaleout', role: 'user', content: 'I prefer aisle seats.' };
    const limited = await callTool(sa.client, 'record_conversation_message', args);
    expect(limited.isError).toBe(true);
    expect(textOf(limited)).toMatch(/rate limit reached \(HTTP 429\)/);
    const posts = synap.requests.filter(
      (r) => r.method === 'POST' && r.path === '/v1/conversations/messages',
    );
    expect(posts).toHaveLength(1); // a POST that got 429 is not replayed
    const at429 = posts[0]?.at ?? Number.NaN;

    ok(await callTool(sb.client, 'fetch_context', { scope: 'client' }));
    const later = synap.requests.filter((r) => r !== posts[0]);
    expect(later.map((r) => `${r.method} ${r.path}`)).toEqual([`POST ${FETCH_PATH}`]);
    const waited = (later[0]?.at ?? 0) - at429;
    process.stderr.write(`scaleout retry-after: B's request reached the API ${waited} ms after A's 429\n`);
    // Both clocks are this machine's; 10 ms of slack for timer and clock granularity.
    expect(waited).toBeGreaterThanOrEqual(2_000 - 10);
    await Promise.all([sa.close(), sb.close()]);
  });

  it('a Synqly integration token minted by replica A is reused by replica B', async () => {
    const [sa, sb] = await Promise.all([connectHttp(a.url), connectHttp(b.url)]);
    const created = ok(
      await callTool(sa.client, 'create_account', {
        name: 'scaleout',
        fullname: 'Scale Out',
        environment: 'test',
      }),
    );
    const accountId = (created.structuredContent as { account: { id: string } }).account.id;
    const integration = ok(
      await callTool(sa.client, 'create_integration', {
        accountId,
        name: 'jira-scaleout',
        provider_config: {
          type: 'ticketing_jira',
          url: 'https://scaleout.atlassian.net',
          credential: { type: 'token' },
        },
        integration_point_id: synqly.ids.integrationPoint,
      }),
    );
    const integrationId = (integration.structuredContent as { integration: { id: string } }).integration.id;
    synqly.requests.length = 0;
    const minted = synqly.mintedTokens.length;

    ok(await callTool(sa.client, 'query_tickets', { accountId, integrationId, limit: 1 }));
    ok(await callTool(sb.client, 'query_tickets', { accountId, integrationId, limit: 1 }));

    const mints = synqly.requests.filter((r) => r.method === 'POST' && r.path.startsWith('/v1/tokens/'));
    expect(mints).toHaveLength(1);
    expect(mints[0]?.path).toBe(`/v1/tokens/${accountId}/${integrationId}`);
    expect(synqly.mintedTokens).toHaveLength(minted + 1);
    const token = synqly.mintedTokens.at(-1);
    const queries = synqly.requests.filter((r) => r.method === 'GET' && r.path === '/v1/ticketing/tickets');
    expect(queries).toHaveLength(2);
    for (const q of queries) expect(q.headers.authorization).toBe(`Bearer ${token}`);
    expect(synqly.requests).toHaveLength(3);
    await Promise.all([sa.close(), sb.close()]);
  });

  it('Redis killed mid-run: no call lost, one warning per replica, Redis noticed again once back', async () => {
    synap.reset();
    const load = runLoad({
      url: `${nginx.origin}/mcp`,
      clients: CLIENTS,
      durationMs: 6_000,
      callTimeoutMs: 60_000,
      next: fetchCall,
    });
    await pollUntil(async () => synap.requests.length >= 30, 'first 30 upstream calls', { ms: 20_000 });
    expect([...warnings(a), ...warnings(b)]).toEqual([]);
    await killRedis();
    const killedAt = Date.now();
    await Promise.all(
      [a, b].map((r) => r.proc.stderr.waitFor(logMatching(/^redis unavailable/, 'warn'), 15_000)),
    );
    const noticedMs = Date.now() - killedAt;
    await restartRedis();
    const report = await within(load, 60_000, 'the load to end');
    process.stderr.write(summary('redis killed', report));
    process.stderr.write(`scaleout redis killed: windows ${windowDetail()}\n`);
    process.stderr.write(`scaleout redis killed: both replicas warned within ${noticedMs} ms\n`);
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({ failed: 0, isError: 0, mismatched: 0 });
    expect(report.ok).toBe(report.calls);
    expect(synap.requests.filter(isFetch).length).toBeGreaterThanOrEqual(report.calls);

    await Promise.all([healthSays(a, 'up'), healthSays(b, 'up')]);
    for (const r of [a, b]) {
      await r.proc.stderr.waitFor(logMatching(/^redis reachable again/, 'info'), 15_000);
      expect(warnings(r)).toHaveLength(1);
    }
  }, 90_000);
});

describe('one replica without Redis', { timeout: 60_000 }, () => {
  let solo: Replica;

  beforeAll(async () => {
    solo = await startReplica('solo', serviceEnv);
  });

  it('works as before: a call succeeds and /healthz says redis "off"', async () => {
    const h = await health(solo);
    expect(h).toMatchObject({ status: 200, body: { status: 'ok', redis: 'off', inflight: 0 } });
    const session = await connectHttp(solo.url);
    synap.reset();
    ok(await callTool(session.client, 'fetch_context', { scope: 'client' }));
    expect(synap.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`POST ${FETCH_PATH}`]);
    await session.close();
  });

  it('drains on SIGTERM: the call in flight completes, a new request gets 503, the process exits 0', async () => {
    synap.reset();
    synap.inject({ fault: { kind: 'delay', ms: 2_500 }, method: 'POST', path: FETCH_PATH });
    const session = await connectHttp(solo.url);
    const slow = callTool(session.client, 'fetch_context', { scope: 'client' });
    await pollUntil(async () => synap.requests.some(isFetch), 'the slow call to reach the API');
    expect((await health(solo)).body.inflight).toBe(1);

    // A request that started arriving before SIGTERM (its headers are on the wire) and completes after it.
    const port = Number(new URL(solo.origin).port);
    const late = lateRequest(port);
    await late.started;

    solo.proc.child.kill('SIGTERM');
    // Draining: /healthz answers 503 "draining", or new connections are refused.
    await pollUntil(
      async () => {
        try {
          const h = await health(solo);
          return h.status === 503 && h.body.status === 'draining';
        } catch (err) {
          return /ECONNREFUSED/.test(String(err));
        }
      },
      'the replica to start draining',
      { ms: 5_000, intervalMs: 20 },
    );
    const refused = await late.finish();
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBeDefined();
    expect(JSON.parse(refused.body)).toMatchObject({ jsonrpc: '2.0', error: { code: expect.any(Number) } });

    const result = await slow;
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ scope: 'client' });
    const exit = await solo.proc.exit(15_000);
    expect(exit).toEqual({ code: 0, signal: null });
    // Only the slow call reached the API: the refused request was not processed.
    expect(synap.requests.filter(isFetch)).toHaveLength(1);
  });
});

/** A raw HTTP answer. */
interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Decodes a chunked HTTP/1.1 body. */
function unchunk(text: string): string {
  const bytes = Buffer.from(text, 'latin1');
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = bytes.indexOf('\r\n', at);
    if (eol < 0) break;
    const size = Number.parseInt(bytes.subarray(at, eol).toString('latin1'), 16);
    if (!(size > 0)) break;
    parts.push(bytes.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
  return Buffer.concat(parts).toString('utf8');
}

/**
 * A tools/call POST written in two parts over one TCP connection: the request line and Host header at once
 * (so the connection is busy, not idle), the rest (with `connection: close`) on `finish()`, which resolves
 * to the answer once the server has closed the connection.
 */
function lateRequest(port: number): { started: Promise<void>; finish(): Promise<RawAnswer> } {
  const socket = createConnection({ host: '127.0.0.1', port });
  let raw = '';
  socket.setEncoding('latin1');
  socket.on('data', (chunk: string) => {
    raw += chunk;
  });
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.on('error', () => {});
  const started = new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.once('connect', () =>
      socket.write(`POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n`, () => resolve()),
    );
  });
  const body = JSON.stringify({
    jsonrpc: '2.0',
    id: 7,
    method: 'tools/call',
    params: { name: 'fetch_context', arguments: { scope: 'client' } },
  });
  return {
    started,
    async finish() {
      socket.write(
        'content-type: application/json\r\naccept: application/json, text/event-stream\r\n' +
          `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
      );
      await within(closed, 6_000, 'the server to answer the late request and close');
      const split = raw.indexOf('\r\n\r\n');
      const head = split >= 0 ? raw.slice(0, split) : raw;
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(':');
        if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      const rest = split >= 0 ? raw.slice(split + 4) : '';
      const text = /chunked/i.test(headers['transfer-encoding'] ?? '')
        ? unchunk(rest)
        : Buffer.from(rest, 'latin1').toString('utf8');
      return { status: Number(statusLine.split(' ')[1] ?? 0), headers, body: text };
    },
  };
}
