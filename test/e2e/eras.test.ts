/**
 * Both protocol eras against the BUILT server, through the official v2 client (`@modelcontextprotocol/client`)
 * in each of its negotiation modes: `legacy` (the 2025-11-25 `initialize` handshake), `auto` (probes with
 * `server/discover`, falls back to `initialize`) and pinned to 2026-07-28 — over stdio, stateful HTTP and
 * `--stateless` HTTP. Each lists the tools (syn-mcp's own published schemas, in the registry's order), calls a
 * sandbox tool and gets a tool error. Then raw HTTP: the 2026-07-28 answers a client checks (cache fields,
 * no `logging` capability) and the spec's 400s for malformed era mixes, each with the request's id.
 */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CLI,
  childEnv,
  cleanup,
  initializeParams,
  mcpHeaders,
  RawStdio,
  rawHttp,
  rpcMessagesOf,
  startHttp,
} from './spawn.js';

type Mode = 'legacy' | 'auto' | { pin: string };
const MODES: Array<[string, Mode, 'legacy' | 'modern']> = [
  ['legacy', 'legacy', 'legacy'],
  ['auto', 'auto', 'modern'],
  ['pinned 2026-07-28', { pin: '2026-07-28' }, 'modern'],
];
const MODERN = '2026-07-28';

const clients = new Set<Client>();

function newClient(mode: Mode): Client {
  const client = new Client({ name: 'syn-mcp-e2e-v2', version: '0.0.0' }, { versionNegotiation: { mode } });
  clients.add(client);
  return client;
}

async function connectStdioV2(mode: Mode): Promise<Client> {
  const client = newClient(mode);
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, '--sandbox'],
    env: childEnv(),
    stderr: 'ignore',
  });
  await client.connect(transport);
  return client;
}

async function connectHttpV2(url: string, mode: Mode): Promise<Client> {
  const client = newClient(mode);
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  return client;
}

afterAll(async () => {
  await Promise.allSettled([...clients].map((c) => c.close()));
  await cleanup();
});

/** The checks every transport and mode must pass. */
function suite(connect: (mode: Mode) => Promise<Client>): void {
  it.each(MODES)('%s: lists the tools, calls one, gets a tool error', async (_label, mode, era) => {
    const client = await connect(mode);
    expect(client.getProtocolEra()).toBe(era);
    if (era === 'modern') expect(client.getNegotiatedProtocolVersion()).toBe(MODERN);

    const { tools } = await client.listTools();
    const names = tools.map((t) => t.name);
    expect(names).toContain('list_incidents');
    // Our post-processed schema as published (closed objects), in the registry's order, every time.
    const list = tools.find((t) => t.name === 'list_incidents');
    expect(list?.inputSchema).toMatchObject({ type: 'object', additionalProperties: false });
    expect(list?.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false });
    expect((await client.listTools()).tools.map((t) => t.name)).toEqual(names);

    const sent = await client.callTool({
      name: 'send_event',
      arguments: {
        integrationKey: 'eras-e2e',
        eventType: 'token_refresh_failed',
        tenantId: 'acme-corp',
        errorCode: '401',
      },
    });
    expect(sent.isError).toBeFalsy();
    const listed = await client.callTool({ name: 'list_incidents', arguments: {} });
    expect(listed.isError).toBeFalsy();
    expect((listed.structuredContent as { items: unknown[] }).items.length).toBeGreaterThan(0);

    const missing = await client.callTool({ name: 'get_incident', arguments: { id: 'no-such-id' } });
    expect(missing.isError).toBe(true);
    const text = missing.content[0]?.type === 'text' ? missing.content[0].text : '';
    expect(text).toMatch(/list_incidents/);

    const invalid = await client.callTool({ name: 'list_incidents', arguments: { pageSize: 'many' } });
    expect(invalid.isError).toBe(true);
    await client.close();
  });
}

describe('v2 client over stdio', { timeout: 60_000 }, () => {
  suite(connectStdioV2);
});

describe('stdio: an era is never pinned by a probe', { timeout: 60_000 }, () => {
  it('server/discover, then initialize on the same connection: both answered, then 2025 serving', async () => {
    const raw = new RawStdio(['--sandbox'], childEnv());
    const discover = await raw.request('server/discover', {
      _meta: {
        'io.modelcontextprotocol/protocolVersion': MODERN,
        'io.modelcontextprotocol/clientCapabilities': {},
      },
    });
    expect(discover.result?.supportedVersions).toContain(MODERN);
    const init = await raw.request('initialize', initializeParams());
    expect(init.result).toMatchObject({ protocolVersion: '2025-11-25', capabilities: { logging: {} } });
    raw.notify('notifications/initialized');
    const list = await raw.request('tools/list');
    expect(list.result?.tools).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'list_incidents' })]),
    );
    expect(await raw.end()).toEqual({ code: 0, signal: null });
  });
});

describe('v2 client over stateful HTTP', { timeout: 60_000 }, () => {
  let url = '';
  beforeAll(async () => {
    ({ url } = await startHttp(['--sandbox'], childEnv()));
  });
  suite((mode) => connectHttpV2(url, mode));
});

describe('v2 client over stateless HTTP', { timeout: 60_000 }, () => {
  let url = '';
  beforeAll(async () => {
    ({ url } = await startHttp(['--sandbox', '--stateless'], childEnv()));
  });
  suite((mode) => connectHttpV2(url, mode));
});

/** A 2026-07-28 request body: `_meta` carries the envelope unless `meta` is false. */
function modern(id: number, method: string, params: Record<string, unknown> = {}, meta = true) {
  const envelope = {
    'io.modelcontextprotocol/protocolVersion': MODERN,
    'io.modelcontextprotocol/clientCapabilities': {},
  };
  return { jsonrpc: '2.0', id, method, params: meta ? { ...params, _meta: envelope } : params };
}

describe('2026-07-28 over raw HTTP', { timeout: 60_000 }, () => {
  let url = '';
  beforeAll(async () => {
    ({ url } = await startHttp(['--sandbox'], childEnv()));
  });

  const post = (body: unknown, headers: Record<string, string>) =>
    rawHttp(url, { method: 'POST', headers: mcpHeaders(headers), body: JSON.stringify(body) });

  it('server/discover and tools/list: cache fields, no logging capability, no session id', async () => {
    const discover = await post(modern(1, 'server/discover'), {
      'mcp-protocol-version': MODERN,
      'mcp-method': 'server/discover',
    });
    expect(discover.status).toBe(200);
    expect(discover.headers['mcp-session-id']).toBeUndefined();
    const found = rpcMessagesOf(discover.body)[0]?.result ?? {};
    expect(found.supportedVersions).toContain(MODERN);
    expect(found.capabilities).toEqual({
      tools: { listChanged: false },
      prompts: { listChanged: false },
      resources: { listChanged: false }, // the MCP Apps views (src/apps)
    });
    expect(found).toMatchObject({ ttlMs: expect.any(Number), cacheScope: 'private' });

    const list = await post(modern(2, 'tools/list'), {
      'mcp-protocol-version': MODERN,
      'mcp-method': 'tools/list',
    });
    expect(list.status).toBe(200);
    const listed = rpcMessagesOf(list.body)[0]?.result ?? {};
    expect(listed).toMatchObject({
      resultType: 'complete',
      ttlMs: expect.any(Number),
      cacheScope: 'private',
    });

    // The same endpoint serves a 2025 handshake next to it.
    const init = await post(
      {
        jsonrpc: '2.0',
        id: 3,
        method: 'initialize',
        params: {
          protocolVersion: '2025-11-25',
          capabilities: {},
          clientInfo: { name: 'raw', version: '0' },
        },
      },
      {},
    );
    expect(init.status).toBe(200);
    expect(init.headers['mcp-session-id']).toBeDefined();
    expect(rpcMessagesOf(init.body)[0]?.result).toMatchObject({
      protocolVersion: '2025-11-25',
      capabilities: { logging: {} },
    });
  });

  it.each([
    [
      'modern headers without the _meta envelope',
      modern(11, 'tools/list', {}, false),
      { 'mcp-protocol-version': MODERN, 'mcp-method': 'tools/list' },
      -32602,
    ],
    [
      'MCP-Protocol-Version header different from the envelope',
      modern(12, 'tools/list'),
      { 'mcp-protocol-version': '2025-11-25', 'mcp-method': 'tools/list' },
      -32020,
    ],
    ['no MCP-Protocol-Version header', modern(13, 'tools/list'), { 'mcp-method': 'tools/list' }, -32020],
    ['no Mcp-Method header', modern(14, 'tools/list'), { 'mcp-protocol-version': MODERN }, -32020],
    [
      'Mcp-Method header different from the method',
      modern(15, 'tools/list'),
      { 'mcp-protocol-version': MODERN, 'mcp-method': 'prompts/list' },
      -32020,
    ],
    [
      'tools/call without Mcp-Name',
      modern(16, 'tools/call', { name: 'list_incidents', arguments: {} }),
      { 'mcp-protocol-version': MODERN, 'mcp-method': 'tools/call' },
      -32020,
    ],
    [
      'an envelope naming a version the server does not serve',
      {
        ...modern(17, 'tools/list'),
        params: {
          _meta: {
            'io.modelcontextprotocol/protocolVersion': '2099-01-01',
            'io.modelcontextprotocol/clientCapabilities': {},
          },
        },
      },
      { 'mcp-protocol-version': '2099-01-01', 'mcp-method': 'tools/list' },
      -32022,
    ],
  ])('%s: 400 with the spec code and the request id', async (_name, body, headers, code) => {
    const res = await post(body, headers);
    expect(res.status).toBe(400);
    const [answer] = rpcMessagesOf(res.body);
    expect(answer?.id).toBe(body.id);
    expect(answer?.error?.code).toBe(code);
  });

  it('a modern tools/call with its headers is answered, ping is not a 2026-07-28 method', async () => {
    const call = await post(modern(21, 'tools/call', { name: 'list_incidents', arguments: {} }), {
      'mcp-protocol-version': MODERN,
      'mcp-method': 'tools/call',
      'mcp-name': 'list_incidents',
    });
    expect(call.status).toBe(200);
    const result = rpcMessagesOf(call.body)[0]?.result;
    expect(result).toMatchObject({ resultType: 'complete', structuredContent: { items: expect.any(Array) } });
    expect(result?.isError).toBeFalsy();
    const ping = await post(modern(22, 'ping'), { 'mcp-protocol-version': MODERN, 'mcp-method': 'ping' });
    expect(ping.status).toBe(404);
    expect(rpcMessagesOf(ping.body)[0]).toMatchObject({ id: 22, error: { code: -32601 } });
  });
});
