import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSyncGuardEmulator, type SyncGuardEmulator } from '../../src/sandbox/syncguard/index.js';
import {
  callTool,
  childEnv,
  cleanup,
  connectStdio,
  initializeParams,
  jsonOf,
  logsOf,
  RawStdio,
  type RpcMessage,
  type StdioSession,
  startEmulator,
  textOf,
  VERSION,
} from './spawn.js';

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

const lastRequest = () => {
  const r = emulator.requests.at(-1);
  if (!r) throw new Error('no upstream request');
  return r;
};

describe('stdio: the SDK client against the built server', () => {
  let s: StdioSession;

  beforeAll(async () => {
    s = await connectStdio(
      ['--toolsets', 'all'],
      childEnv({ SYNCGUARD_API_KEY: emulator.apiKey, SYNCGUARD_BASE_URL: baseUrl }),
    );
  });
  afterAll(cleanup);

  it('initializes as syn-mcp with the tools capability', () => {
    expect(s.client.getServerVersion()).toMatchObject({ name: 'syn-mcp', version: VERSION });
    expect(s.client.getServerCapabilities()?.tools).toBeDefined();
    expect(s.client.getInstructions()).toMatch(/nextCursor/);
  });

  it('lists the SyncGuard headline tools with all four annotations', async () => {
    const { tools } = await s.client.listTools();
    const byName = new Map(tools.map((t) => [t.name, t]));
    expect([...byName.keys()]).toEqual(
      expect.arrayContaining(['list_incidents', 'resolve_incident', 'send_event']),
    );
    expect(byName.get('send_event')?.annotations).toMatchObject({
      readOnlyHint: false,
      destructiveHint: false,
      idempotentHint: false,
      openWorldHint: true,
    });
    expect(byName.get('list_incidents')?.annotations).toMatchObject({
      readOnlyHint: true,
      destructiveHint: false,
      idempotentHint: true,
      openWorldHint: true,
    });
    expect(byName.get('resolve_incident')?.annotations).toMatchObject({
      readOnlyHint: false,
      destructiveHint: false,
      idempotentHint: true,
      openWorldHint: true,
    });
    for (const tool of tools) {
      expect(tool.title).toMatch(/^SyncGuard · /);
      expect(Object.keys(tool.annotations ?? {})).toEqual(
        expect.arrayContaining(['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint']),
      );
      expect(tool.inputSchema.additionalProperties).toBe(false);
      expect(tool.outputSchema).toBeDefined();
    }
  });

  it('send_event: POST /events with X-Api-Key and exactly the arguments as body', async () => {
    const args = {
      integrationKey: 'payments-service',
      eventType: 'token_refresh_failed',
      tenantId: 'acme-corp',
      errorCode: '401',
      rawPayload: { endpoint: '/v2/token', attemptNumber: 3 },
    };
    const result = await callTool(s.client, 'send_event', args);
    expect(result.isError).toBeFalsy();
    expect(emulator.requests).toHaveLength(1);
    const req = lastRequest();
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/api/v1/events');
    expect(req.query).toEqual({});
    expect(req.headers['x-api-key']).toBe(emulator.apiKey);
    expect(req.headers.authorization).toBeUndefined();
    expect(req.body).toEqual(args);
    expect(result.structuredContent).toMatchObject({
      incidentStatus: 'Open',
      patternId: 'auth_failure',
      isNewIncident: true,
      affectedTenants: ['acme-corp'],
    });
    expect(jsonOf(result)).toEqual(result.structuredContent);
  });

  it('list_incidents: GET /incidents with the filters as query and no body', async () => {
    const result = await callTool(s.client, 'list_incidents', {
      status: ['closed'],
      integrationKey: 'crm',
      chronic: true,
    });
    expect(result.isError).toBeFalsy();
    expect(emulator.requests).toHaveLength(1);
    const req = lastRequest();
    expect(req.method).toBe('GET');
    expect(req.path).toBe('/api/v1/incidents');
    expect(req.query).toEqual({ status: 'closed', integrationKey: 'crm', chronic: 'true', pageSize: '25' });
    expect(req.headers['x-api-key']).toBe(emulator.apiKey);
    expect(req.body).toBeUndefined();
    expect(result.structuredContent).toEqual({ items: [] });
  });

  it('resolve_incident: POST /incidents/{id}/resolve with no body', async () => {
    const sent = await callTool(s.client, 'send_event', {
      integrationKey: 'crm',
      eventType: 'webhook_failed',
      tenantId: 'acme',
    });
    const { incidentId } = sent.structuredContent as { incidentId: string };
    expect(incidentId).toMatch(/\S/);
    emulator.requests.length = 0;
    const result = await callTool(s.client, 'resolve_incident', { id: incidentId });
    expect(result.isError).toBeFalsy();
    expect(emulator.requests).toHaveLength(1);
    const req = lastRequest();
    expect(req.method).toBe('POST');
    expect(req.path).toBe(`/api/v1/incidents/${incidentId}/resolve`);
    expect(req.query).toEqual({});
    expect(req.headers['x-api-key']).toBe(emulator.apiKey);
    expect(req.body).toBeUndefined();
    expect(result.structuredContent).toMatchObject({
      resolved: true,
      id: incidentId,
      incident: { status: 'Closed' },
    });
  });

  it('upstream 400 (errorCode 4): the field and the code, no structuredContent', async () => {
    emulator.inject({
      fault: {
        kind: 'status',
        status: 400,
        body: { isSuccess: false, errorCode: 4, message: 'tenantId is required.' },
      },
    });
    const result = await callTool(s.client, 'send_event', {
      integrationKey: 'crm',
      eventType: 'x',
      tenantId: 't',
    });
    expect(result.isError).toBe(true);
    expect(result.structuredContent).toBeUndefined();
    expect(textOf(result)).toMatch(/rejected the request \(HTTP 400\)[\s\S]*message: tenantId is required\./);
    expect(textOf(result)).toMatch(/code: 4/);
    expect(emulator.requests).toHaveLength(1);
  });

  it('upstream 401: names SYNCGUARD_API_KEY and says retrying will not help', async () => {
    emulator.apiKey = 'sg_rotated_elsewhere_0000000000000000';
    const result = await callTool(s.client, 'list_incidents', {});
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/HTTP 401/);
    expect(textOf(result)).toMatch(/SYNCGUARD_API_KEY/);
    expect(textOf(result)).toMatch(/retrying will not help/);
    expect(emulator.requests).toHaveLength(1);
  });

  it('upstream 404: says to check the id and names list_incidents', async () => {
    const result = await callTool(s.client, 'resolve_incident', { id: 'no-such-incident' });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/not found \(HTTP 404\)/);
    expect(textOf(result)).toMatch(/`list_incidents`/);
    expect(lastRequest().path).toBe('/api/v1/incidents/no-such-incident/resolve');
  });

  it('upstream 500 on a write: may have been applied, exactly one upstream request', async () => {
    emulator.inject({ fault: { kind: 'status', status: 500 }, times: 5 });
    const result = await callTool(s.client, 'send_event', {
      integrationKey: 'crm',
      eventType: 'x',
      tenantId: 't',
    });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/unavailable \(HTTP 500\)/);
    expect(textOf(result)).toMatch(/may or may not have been applied/);
    expect(emulator.requests).toHaveLength(1);
    expect(lastRequest().method).toBe('POST');
  });

  // Last of this server's calls: the 429's Retry-After holds SyncGuard back in this server for 17 s, so a
  // call after it would first wait that out.
  it('upstream 429: "Retry after N s" and _meta.retryAfterSeconds, the POST not replayed', async () => {
    emulator.rateLimit({ retryAfterSeconds: 17, times: 3 });
    const result = await callTool(s.client, 'send_event', {
      integrationKey: 'crm',
      eventType: 'x',
      tenantId: 't',
    });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/HTTP 429/);
    expect(textOf(result)).toMatch(/Retry after 17 s/);
    expect(result._meta).toEqual({ retryAfterSeconds: 17 });
    expect(emulator.requests).toHaveLength(1);
  });
});

// Each test has its own emulator and ends its own server, so they can run side by side.
describe.concurrent('stdio: raw newline-delimited JSON-RPC', () => {
  it('writes nothing but JSON-RPC lines on stdout, even at --log-level debug, and exits 0 on stdin close', async () => {
    const { emulator, baseUrl } = await startEmulator();
    const raw = new RawStdio(
      ['--log-level', 'debug', '--toolsets', 'all'],
      childEnv({ SYNCGUARD_API_KEY: emulator.apiKey, SYNCGUARD_BASE_URL: baseUrl }),
    );
    const init = await raw.initialize();
    expect(init.result).toMatchObject({ serverInfo: { name: 'syn-mcp' } });

    const list = await raw.request('tools/list');
    const names = ((list.result?.tools ?? []) as Array<{ name: string }>).map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['list_incidents', 'resolve_incident', 'send_event']));

    emulator.inject({ fault: { kind: 'status', status: 503 }, times: 5 });
    const failed = await raw.request('tools/call', {
      name: 'send_event',
      arguments: { integrationKey: 'crm', eventType: 'x', tenantId: 't' },
    });
    expect(failed.result).toMatchObject({ isError: true });

    const invalid = await raw.request('tools/call', {
      name: 'list_incidents',
      arguments: { status: 'nope', x: 1 },
    });
    expect(invalid.result).toMatchObject({ isError: true });
    expect(JSON.stringify(invalid.result)).toMatch(/Invalid arguments/);

    const unknown = await raw.request('tools/call', { name: 'no_such_tool', arguments: {} });
    expect(unknown.error?.code).toBe(-32602);
    expect(unknown.error?.message).toMatch(/no_such_tool/);

    raw.writeLine('this is not json');
    const afterGarbage = await raw.request('tools/list');
    expect(afterGarbage.result?.tools).toBeDefined();

    const exit = await raw.end();
    expect(exit).toEqual({ code: 0, signal: null });

    const out = raw.proc.stdout.text;
    expect(out.endsWith('\n')).toBe(true);
    const lines = out.split('\n').slice(0, -1);
    const messages = lines.map((line) => JSON.parse(line) as RpcMessage);
    for (const m of messages) expect(m.jsonrpc).toBe('2.0');
    // The garbage line is answered with a JSON-RPC parse error (id null), as JSON-RPC 2.0 requires.
    expect(messages.map((m) => m.id)).toEqual([1, 2, 3, 4, 5, null, 6]);
    expect(messages.find((m) => m.id === null)?.error?.code).toBe(-32700);
    // The run really was noisy on stderr, in JSON lines only: the failed call (an outage: warn, with the
    // upstream fields), the invalid one (debug), the shutdown (debug).
    const logs = logsOf(raw.proc.stderr.text);
    expect(logs.filter((l) => /^tool send_event: ServerError/.test(l.msg))).toEqual([
      expect.objectContaining({
        level: 'warn',
        tool: 'send_event',
        service: 'syncguard',
        status: 503,
        correlationId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      }),
    ]);
    expect(logs.filter((l) => /^tool list_incidents: InputError/.test(l.msg))).toEqual([
      expect.objectContaining({ level: 'debug', tool: 'list_incidents' }),
    ]);
    expect(logs.filter((l) => l.msg === 'shutting down (stdin closed)').map((l) => l.level)).toEqual([
      'debug',
    ]);
  });

  it('answers every request written before stdin closes (piped input), then exits 0', async () => {
    const { emulator, baseUrl } = await startEmulator();
    const raw = new RawStdio(
      [],
      childEnv({ SYNCGUARD_API_KEY: emulator.apiKey, SYNCGUARD_BASE_URL: baseUrl }),
    );
    // Slow upstream answers, so that both calls are still in flight when stdin reaches its end.
    emulator.inject({ fault: { kind: 'delay', ms: 300 }, times: 2 });
    raw.post('initialize', initializeParams());
    raw.notify('notifications/initialized');
    raw.post('tools/call', { name: 'list_incidents', arguments: {} });
    raw.post('tools/call', {
      name: 'send_event',
      arguments: { integrationKey: 'crm', eventType: 'webhook_failed', tenantId: 't' },
    });
    const exit = await raw.end();
    expect(exit).toEqual({ code: 0, signal: null });
    const messages = raw.proc.stdout.lines().map((line) => JSON.parse(line) as RpcMessage);
    expect(messages.map((m) => m.id).sort()).toEqual([1, 2, 3]);
    for (const m of messages.slice(1)) expect(m.result?.isError).toBeFalsy();
    expect(emulator.requests.map((r) => `${r.method} ${r.path}`).sort()).toEqual([
      'GET /api/v1/incidents',
      'POST /api/v1/events',
    ]);
  });

  it('never shows a secret on stdout, stderr or in results, 401 included', async () => {
    const apiKey = 'sg_E2Esecret_k3y_9f8e7d6c5b4a39281706';
    const httpToken = 'mcp-E2Esecret-t0ken-4c2b0a9e8d7f';
    const { emulator: own, baseUrl: url } = await startEmulator({ apiKey });
    const raw = new RawStdio(
      ['--log-level', 'debug'],
      childEnv({ SYNCGUARD_API_KEY: apiKey, SYNCGUARD_BASE_URL: url, SYN_MCP_HTTP_TOKEN: httpToken }),
    );
    await raw.initialize();
    const ok = await raw.request('tools/call', {
      name: 'send_event',
      arguments: { integrationKey: 'crm', eventType: 'auth_failed', tenantId: 't' },
    });
    expect(ok.result?.isError).toBeFalsy();
    // The key really was in use upstream.
    expect(own.requests.at(-1)?.headers['x-api-key']).toBe(apiKey);

    own.apiKey = 'sg_rotated_0000000000000000000000';
    const denied = await raw.request('tools/call', { name: 'list_incidents', arguments: {} });
    expect(denied.result?.isError).toBe(true);
    expect(JSON.stringify(denied.result)).toMatch(/HTTP 401.*SYNCGUARD_API_KEY/);

    // An upstream that echoes the credentials back in its error texts.
    own.inject({
      fault: {
        kind: 'status',
        status: 401,
        body: {
          isSuccess: false,
          errorCode: 1,
          message: `Invalid X-Api-Key ${apiKey} (token ${httpToken})`,
        },
      },
    });
    const echoed = await raw.request('tools/call', { name: 'list_incidents', arguments: {} });
    expect(echoed.result?.isError).toBe(true);
    expect(JSON.stringify(echoed.result)).toMatch(/Invalid X-Api-Key/);
    own.inject({
      fault: {
        kind: 'status',
        status: 500,
        body: {
          isSuccess: false,
          errorCode: 5,
          message: `boom; Authorization: Bearer ${httpToken}; ${apiKey}`,
        },
      },
    });
    const crashed = await raw.request('tools/call', {
      name: 'send_event',
      arguments: { integrationKey: 'crm', eventType: 'auth_failed', tenantId: 't' },
    });
    expect(JSON.stringify(crashed.result)).toMatch(/boom/);

    const exit = await raw.end();
    expect(exit.code).toBe(0);
    const everything = `${raw.proc.stdout.text}\n${raw.proc.stderr.text}`;
    expect(logsOf(raw.proc.stderr.text).some((l) => l.level === 'debug')).toBe(true);
    for (const secret of [apiKey, httpToken, 'E2Esecret_k3y', 'E2Esecret-t0ken']) {
      expect(everything).not.toContain(secret);
    }
  });
});
