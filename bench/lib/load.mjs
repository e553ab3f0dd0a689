// HTTP load generator, run as its own process so it does not share an event loop with what it measures.
// `node load.mjs '<json>'` with { url, clients, seconds, tool, args, era }: each client sends tools/call back
// to back until the time is up, the way a client of that revision does:
// - era '2025-11-25': it opens an MCP session first (initialize + notifications/initialized, stateful or
//   not), sends the session id and MCP-Protocol-Version on each call, and ends the session (DELETE) when
//   the server gave it one;
// - era '2026-07-28': no handshake; each call carries the `_meta` envelope and the MCP-Protocol-Version,
//   Mcp-Method and Mcp-Name headers.
// Prints one JSON line: calls, errors, elapsed, throughput, p50, p99 (ms), its own CPU time (ms) and the
// first error seen.
import { Pool } from 'undici';

const { url, clients, seconds, tool, args, era = '2025-11-25' } = JSON.parse(process.argv[2] ?? '{}');
const MODERN = era === '2026-07-28';
const CLIENT_INFO = { name: 'syn-mcp-bench-load', version: '1.0.0' };
const target = new URL(url);
const pool = new Pool(target.origin, { connections: clients, keepAliveTimeout: 30_000 });
const BASE_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

/** JSON-RPC messages of a Streamable HTTP answer: a JSON body or SSE `data:` lines. */
function messagesOf(text) {
  const t = text.trim();
  if (t === '') return [];
  if (t.startsWith('{') || t.startsWith('[')) {
    const v = JSON.parse(t);
    return Array.isArray(v) ? v : [v];
  }
  const out = [];
  for (const line of t.split('\n')) if (line.startsWith('data:')) out.push(JSON.parse(line.slice(5)));
  return out;
}

async function post(body, sid, extra = {}) {
  const headers = { ...BASE_HEADERS, ...extra, ...(sid ? { 'mcp-session-id': sid } : {}) };
  const res = await pool.request({
    path: target.pathname,
    method: 'POST',
    headers,
    body: JSON.stringify(body),
    headersTimeout: 30_000,
    bodyTimeout: 30_000,
  });
  const text = await res.body.text();
  const sidHeader = res.headers['mcp-session-id'];
  return { status: res.statusCode, text, sid: typeof sidHeader === 'string' ? sidHeader : undefined };
}

const latencies = [];
let calls = 0;
let errors = 0;
let firstError;
const fail = (what) => {
  errors++;
  firstError ??= what.slice(0, 300);
};

/** A 2025 session: initialize + notifications/initialized; resolves to its id (undefined when stateless). */
async function openSession() {
  const init = await post({
    jsonrpc: '2.0',
    id: 0,
    method: 'initialize',
    params: { protocolVersion: era, capabilities: {}, clientInfo: CLIENT_INFO },
  });
  if (init.status !== 200) throw new Error(`initialize: HTTP ${init.status} ${init.text.slice(0, 200)}`);
  await post({ jsonrpc: '2.0', method: 'notifications/initialized' }, init.sid, {
    'mcp-protocol-version': era,
  });
  return init.sid;
}

const META = {
  'io.modelcontextprotocol/protocolVersion': era,
  'io.modelcontextprotocol/clientCapabilities': {},
  'io.modelcontextprotocol/clientInfo': CLIENT_INFO,
};

async function client(deadline) {
  const sid = MODERN ? undefined : await openSession();
  const headers = MODERN
    ? { 'mcp-protocol-version': era, 'mcp-method': 'tools/call', 'mcp-name': tool }
    : { 'mcp-protocol-version': era };
  const params = MODERN ? { name: tool, arguments: args, _meta: META } : { name: tool, arguments: args };
  let id = 1;
  while (performance.now() < deadline) {
    const started = performance.now();
    try {
      const res = await post({ jsonrpc: '2.0', id: id++, method: 'tools/call', params }, sid, headers);
      const took = performance.now() - started;
      const msg = res.status === 200 ? messagesOf(res.text).find((m) => m.id !== undefined) : undefined;
      if (!msg?.result || msg.result.isError) fail(`HTTP ${res.status} ${res.text}`);
      else {
        calls++;
        latencies.push(took);
      }
    } catch (err) {
      fail(String(err));
    }
  }
  if (sid) {
    await pool
      .request({ path: target.pathname, method: 'DELETE', headers: { 'mcp-session-id': sid } })
      .then((r) => r.body.dump())
      .catch(() => {});
  }
}

const started = performance.now();
const cpu0 = process.cpuUsage();
const deadline = started + seconds * 1000;
const results = await Promise.allSettled(Array.from({ length: clients }, () => client(deadline)));
const elapsed = performance.now() - started;
const cpu = process.cpuUsage(cpu0);
for (const r of results) if (r.status === 'rejected') fail(String(r.reason));
await pool.close();
latencies.sort((a, b) => a - b);
const q = (p) => latencies[Math.min(latencies.length - 1, Math.max(0, Math.ceil(p * latencies.length) - 1))];
process.stdout.write(
  `${JSON.stringify({
    calls,
    errors,
    elapsedMs: elapsed,
    throughput: (calls * 1000) / elapsed,
    p50: q(0.5),
    p99: q(0.99),
    cpuMs: (cpu.user + cpu.system) / 1000,
    firstError,
  })}\n`,
);
