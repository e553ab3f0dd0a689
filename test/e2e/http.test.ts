import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSyncGuardEmulator, type SyncGuardEmulator } from '../../src/sandbox/syncguard/index.js';
import {
  callTool,
  childEnv,
  cleanup,
  connectHttp,
  initializeParams,
  logMatching,
  logsOf,
  mcpHeaders,
  type RawResponse,
  rawHttp,
  rpcMessagesOf,
  runCli,
  type ServerProcess,
  startHttp,
  textOf,
} from './spawn.js';

const TOKEN = 'e2e-http-token-6f1d2c3b4a5e';
const HEADLINE = ['list_incidents', 'resolve_incident', 'send_event'];

let emulator: SyncGuardEmulator;
let baseUrl: string;

beforeAll(async () => {
  emulator = createSyncGuardEmulator();
  baseUrl = await emulator.listen();
});
afterAll(async () => {
  await cleanup();
  await emulator.close();
});
beforeEach(() => emulator.reset());

const serviceEnv = (extra: Record<string, string> = {}) =>
  childEnv({ SYNCGUARD_API_KEY: emulator.apiKey, SYNCGUARD_BASE_URL: baseUrl, ...extra });

const initBody = (id = 1) =>
  JSON.stringify({ jsonrpc: '2.0', id, method: 'initialize', params: initializeParams() });
const listBody = (id = 2) => JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/list', params: {} });

function header(res: RawResponse, name: string): string | undefined {
  const v = res.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

describe('HTTP, stateful, with SYN_MCP_HTTP_TOKEN', () => {
  let proc: ServerProcess;
  let url: string;
  const auth = { authorization: `Bearer ${TOKEN}` };

  beforeAll(async () => {
    ({ proc, url } = await startHttp([], serviceEnv({ SYN_MCP_HTTP_TOKEN: TOKEN })));
  });
  afterAll(cleanup);

  /** A raw initialize with the token; resolves to the new session id. */
  async function openSession(): Promise<string> {
    const res = await rawHttp(url, { method: 'POST', headers: mcpHeaders(auth), body: initBody() });
    expect(res.status).toBe(200);
    const sid = header(res, 'mcp-session-id');
    if (!sid) throw new Error('no mcp-session-id header');
    return sid;
  }

  it('logs where it listens and how many tools it serves', () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    const listening = logsOf(proc.stderr.text).filter((l) => l.msg.startsWith('listening on '));
    expect(listening).toHaveLength(1);
    expect(listening[0]).toMatchObject({ level: 'info', url, mode: 'stateful', tools: expect.any(Number) });
    expect(listening[0]?.msg).toMatch(
      /^listening on http:\/\/127\.0\.0\.1:\d+\/mcp \(stateful, \d+ tools\)$/,
    );
    expect(listening[0]?.msg).toBe(`listening on ${url} (stateful, ${String(listening[0]?.tools)} tools)`);
  });

  it('401 with WWW-Authenticate: Bearer without the token or with a wrong one', async () => {
    const none = await rawHttp(url, { method: 'POST', headers: mcpHeaders(), body: initBody() });
    expect(none.status).toBe(401);
    expect(header(none, 'www-authenticate')).toBe('Bearer');
    expect(rpcMessagesOf(none.body)[0]?.error?.message).toMatch(/SYN_MCP_HTTP_TOKEN/);
    const wrong = await rawHttp(url, {
      method: 'POST',
      headers: mcpHeaders({ authorization: 'Bearer not-the-token' }),
      body: initBody(),
    });
    expect(wrong.status).toBe(401);
    expect(header(wrong, 'www-authenticate')).toBe('Bearer');
    expect(emulator.requests).toHaveLength(0);
  });

  it('the SDK client with the token lists and calls tools', async () => {
    const s = await connectHttp(url, auth);
    const { tools } = await s.client.listTools();
    expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(HEADLINE));
    const sent = await callTool(s.client, 'send_event', {
      integrationKey: 'crm',
      eventType: 'webhook_failed',
      tenantId: 't',
    });
    expect(sent.isError).toBeFalsy();
    expect(sent.structuredContent).toMatchObject({ isNewIncident: true, incidentStatus: 'Open' });
    const listed = await callTool(s.client, 'list_incidents', {});
    expect(listed.isError).toBeFalsy();
    expect((listed.structuredContent as { items: unknown[] }).items).toHaveLength(1);
    expect(emulator.requests.map((r) => `${r.method} ${r.path} ${r.headers['x-api-key']}`)).toEqual([
      `POST /api/v1/events ${emulator.apiKey}`,
      `GET /api/v1/incidents ${emulator.apiKey}`,
    ]);
    await s.close();
  });

  it('403 for a foreign Origin (a loopback Origin is accepted)', async () => {
    const foreign = await rawHttp(url, {
      method: 'POST',
      headers: mcpHeaders({ ...auth, origin: 'https://evil.example' }),
      body: initBody(),
    });
    expect(foreign.status).toBe(403);
    expect(foreign.body).toMatch(/Origin/);
    const local = await rawHttp(url, {
      method: 'POST',
      headers: mcpHeaders({ ...auth, origin: 'http://localhost:5173' }),
      body: initBody(),
    });
    expect(local.status).toBe(200);
  });

  it('403 for a foreign Host header (a loopback Host is accepted)', async () => {
    const port = new URL(url).port;
    const foreign = await rawHttp(url, {
      method: 'POST',
      headers: mcpHeaders({ ...auth, host: `evil.example:${port}` }),
      body: initBody(),
    });
    expect(foreign.status).toBe(403);
    expect(foreign.body).toMatch(/Host/);
    const local = await rawHttp(url, {
      method: 'POST',
      headers: mcpHeaders({ ...auth, host: `localhost:${port}` }),
      body: initBody(),
    });
    expect(local.status).toBe(200);
  });

  it('413 for a body over the 4 MiB cap, declared or streamed, and the client does get it', async () => {
    const cap = 4 * 1024 * 1024;
    // Repeated, and well over the cap too: a server that closes with unread data resets the connection,
    // and the client then loses the 413 (a write error instead) on about half of the declared-length tries.
    for (const size of [cap + 1, 3 * cap]) {
      const big = Buffer.alloc(size, 0x20);
      for (const [chunked, tries] of [
        [false, 10],
        [true, 2],
      ] as const) {
        for (let i = 0; i < tries; i++) {
          const res = await rawHttp(url, { method: 'POST', headers: mcpHeaders(auth), body: big, chunked });
          expect(res.status, `${size} bytes, ${chunked ? 'chunked' : 'content-length'}`).toBe(413);
          expect(rpcMessagesOf(res.body)[0]?.error?.message).toMatch(/larger than 4194304 bytes/);
        }
      }
    }
    // The server is still serving.
    expect((await rawHttp(url, { method: 'POST', headers: mcpHeaders(auth), body: initBody() })).status).toBe(
      200,
    );
  });

  it('initialize returns an mcp-session-id; an unknown session id gets 404', async () => {
    const sid = await openSession();
    expect(sid).toMatch(/^[0-9a-f-]{36}$/);
    const known = await rawHttp(url, {
      method: 'POST',
      headers: mcpHeaders({ ...auth, 'mcp-session-id': sid }),
      body: listBody(),
    });
    expect(known.status).toBe(200);
    expect(rpcMessagesOf(known.body)[0]?.result?.tools).toBeDefined();
    const unknown = await rawHttp(url, {
      method: 'POST',
      headers: mcpHeaders({ ...auth, 'mcp-session-id': randomUUID() }),
      body: listBody(),
    });
    expect(unknown.status).toBe(404);
  });

  it('DELETE ends a session: the same id then gets 404', async () => {
    const s = await connectHttp(url, auth);
    const sid = s.transport.sessionId;
    if (!sid) throw new Error('the SDK client got no session id');
    await s.client.listTools();
    const del = await rawHttp(url, {
      method: 'DELETE',
      headers: mcpHeaders({ ...auth, 'mcp-session-id': sid }),
    });
    expect(del.status).toBe(200);
    const after = await rawHttp(url, {
      method: 'POST',
      headers: mcpHeaders({ ...auth, 'mcp-session-id': sid }),
      body: listBody(),
    });
    expect(after.status).toBe(404);
    await s.close();
  });

  it('never logs the token', () => {
    expect(proc.stderr.text).not.toContain(TOKEN);
    expect(proc.stdout.text).toBe('');
  });
});

// Each test has its own server (stopped by afterAll if the test does not), so they can run side by side.
describe.concurrent('HTTP session lifecycle and shutdown', () => {
  it('--session-timeout 1 reclaims an idle session (its id then gets 404)', async () => {
    const { proc, url } = await startHttp(['--session-timeout', '1', '--log-level', 'debug'], serviceEnv());
    const init = await rawHttp(url, { method: 'POST', headers: mcpHeaders(), body: initBody() });
    const sid = header(init, 'mcp-session-id');
    if (!sid) throw new Error('no mcp-session-id header');
    // The session is alive right after initialize…
    const alive = await rawHttp(url, {
      method: 'POST',
      headers: mcpHeaders({ 'mcp-session-id': sid }),
      body: listBody(),
    });
    expect(alive.status).toBe(200);
    // …and, left alone (any request with its id would count as activity), the sweeper closes it.
    await proc.stderr.waitFor(
      logMatching(new RegExp(`^session ${sid.slice(0, 8)} idle: closed$`), 'debug'),
      5_000,
    );
    const gone = await rawHttp(url, {
      method: 'POST',
      headers: mcpHeaders({ 'mcp-session-id': sid }),
      body: listBody(),
    });
    expect(gone.status).toBe(404);
  });

  it('SIGTERM with a client connected: exit code 0, promptly', async () => {
    const { proc, url } = await startHttp([], serviceEnv());
    const s = await connectHttp(url);
    await s.client.listTools();
    proc.child.kill('SIGTERM');
    // Well under the 5 s forced exit: the close is graceful, not a timeout.
    const exit = await proc.exit(3_000);
    expect(exit).toEqual({ code: 0, signal: null });
  });

  it('refuses to bind 0.0.0.0 without SYN_MCP_HTTP_TOKEN (exit 2, one line naming it)', async () => {
    const run = await runCli(['--http', '--host', '0.0.0.0', '--port', '0'], serviceEnv());
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/--host 0\.0\.0\.0.*SYN_MCP_HTTP_TOKEN/);
  });
});

describe('HTTP --stateless', () => {
  let url: string;

  beforeAll(async () => {
    ({ url } = await startHttp(['--stateless'], serviceEnv()));
  });
  afterAll(cleanup);

  it('serves two independent SDK clients, without session ids', async () => {
    const [a, b] = await Promise.all([connectHttp(url), connectHttp(url)]);
    expect(a.transport.sessionId).toBeUndefined();
    expect(b.transport.sessionId).toBeUndefined();
    const [la, lb] = await Promise.all([a.client.listTools(), b.client.listTools()]);
    expect(la.tools.map((t) => t.name)).toEqual(expect.arrayContaining(HEADLINE));
    expect(lb.tools.map((t) => t.name)).toEqual(la.tools.map((t) => t.name));
    const [ra, rb] = await Promise.all([
      callTool(a.client, 'send_event', { integrationKey: 'crm', eventType: 'webhook_failed', tenantId: 'a' }),
      callTool(b.client, 'send_event', { integrationKey: 'crm', eventType: 'webhook_failed', tenantId: 'b' }),
    ]);
    expect(ra.isError).toBeFalsy();
    expect(rb.isError).toBeFalsy();
    const listed = await callTool(b.client, 'list_incidents', {});
    expect(textOf(listed)).toMatch(/"items":\[/);
    expect((listed.structuredContent as { items: unknown[] }).items).toHaveLength(1);
    expect(emulator.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /api/v1/events',
      'POST /api/v1/events',
      'GET /api/v1/incidents',
    ]);
    await Promise.all([a.close(), b.close()]);
  });

  it('returns no mcp-session-id header on initialize', async () => {
    const res = await rawHttp(url, { method: 'POST', headers: mcpHeaders(), body: initBody() });
    expect(res.status).toBe(200);
    expect(rpcMessagesOf(res.body)[0]?.result?.serverInfo).toMatchObject({ name: 'syn-mcp' });
    expect(header(res, 'mcp-session-id')).toBeUndefined();
  });

  it('answers GET with 405', async () => {
    const res = await rawHttp(url, { method: 'GET', headers: { accept: 'text/event-stream' } });
    expect(res.status).toBe(405);
    expect(header(res, 'allow')).toBe('POST');
  });
});
