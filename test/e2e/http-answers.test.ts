/**
 * What the built server answers a 2025-11-25 client over Streamable HTTP (the SDK's transport behind
 * src/transports/http-router.ts), raw: a request gets an event stream (so that a call can carry progress and, on a
 * session, an elicitation), notifications 202; batches; the checks the SDK transport makes (406, 415, 400,
 * 404, 405, 409) with its messages; a GET event stream per session; and a call in flight stopped by
 * notifications/cancelled or by the end of its session. The upstream of the cancellation tests is a stub that
 * holds each request until the test lets it go, so that the test knows (by an event, not a delay) that the
 * call is in flight.
 */
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LATEST_PROTOCOL_VERSION, type Progress } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SANDBOX_API_KEY } from '../../src/sandbox/syncguard/index.js';
import {
  childEnv,
  cleanup,
  connectHttp,
  initializeParams,
  mcpHeaders,
  type RawResponse,
  rawHttp,
  rpcMessagesOf,
  startHttp,
  WAIT_MS,
  within,
} from './spawn.js';

/** An upstream that holds every request it gets until `release()`, and tells when one arrives. */
interface HoldingUpstream {
  url: string;
  /** Resolves with the next request's path once it has arrived. */
  next(): Promise<string>;
  /** Answers every request held so far with an empty SyncGuard page. */
  release(): void;
  close(): Promise<void>;
}

async function holdingUpstream(): Promise<HoldingUpstream> {
  const held: ServerResponse[] = [];
  const arrivals: ((path: string) => void)[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    held.push(res);
    arrivals.shift()?.(req.url ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/v1`,
    next: () => within(new Promise<string>((resolve) => arrivals.push(resolve)), WAIT_MS, 'upstream request'),
    release() {
      for (const res of held.splice(0)) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({ isSuccess: true, data: { items: [], totalCount: 0, page: 1, pageSize: 20 } }),
        );
      }
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

let id = 1;
const rpc = (method: string, params: Record<string, unknown> = {}) => ({
  jsonrpc: '2.0',
  id: id++,
  method,
  params,
});
const initialize = () => rpc('initialize', initializeParams());

function header(res: RawResponse, name: string): string | undefined {
  const v = res.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

function post(url: string, body: unknown, extra: Record<string, string> = {}): Promise<RawResponse> {
  return rawHttp(url, { method: 'POST', headers: mcpHeaders(extra), body: JSON.stringify(body) });
}

/** The JSON-RPC error of a refusal, which answers no request (id null). */
function refusal(res: RawResponse): { code: number; message: string } | undefined {
  const [message] = rpcMessagesOf(res.body);
  expect(message?.id).toBeNull();
  return message?.error as { code: number; message: string } | undefined;
}

/** Opens a session; resolves to its id. */
async function open(url: string): Promise<string> {
  const res = await post(url, initialize());
  expect(res.status).toBe(200);
  const sid = header(res, 'mcp-session-id');
  if (!sid) throw new Error('no mcp-session-id');
  expect(
    (await post(url, { jsonrpc: '2.0', method: 'notifications/initialized' }, { 'mcp-session-id': sid }))
      .status,
  ).toBe(202);
  return sid;
}

/** A GET on the endpoint: resolves with status and content type once the headers arrive, then hangs up. */
function getHeaders(
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number; type: string | undefined }> {
  const u = new URL(url);
  const exchange = new Promise<{ status: number; type: string | undefined }>((resolve, reject) => {
    const req = request(
      { host: u.hostname, port: u.port, path: u.pathname, headers, agent: false },
      (res) => {
        resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'] });
        // The event stream is endless: this test has seen what it wanted.
        if (res.statusCode === 200) req.destroy();
        else res.resume();
      },
    );
    req.on('error', reject);
    req.end();
  });
  return within(exchange, WAIT_MS, `GET ${url}`);
}

/** A POST whose response is read as it comes (an event stream that may never end); close() hangs up. */
function openStream(url: string, body: unknown, extra: Record<string, string>) {
  const u = new URL(url);
  let text = '';
  const text_ = JSON.stringify(body);
  const req = request(
    {
      host: u.hostname,
      port: u.port,
      path: u.pathname,
      method: 'POST',
      headers: { ...mcpHeaders(extra), 'content-length': String(Buffer.byteLength(text_)) },
      agent: false,
    },
    (res) => {
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('error', () => {});
    },
  );
  req.on('error', () => {});
  req.end(text_);
  return { body: () => text, close: () => req.destroy() };
}

afterAll(cleanup);

describe('Streamable HTTP answers, stateful', () => {
  let url: string;
  let upstream: HoldingUpstream;

  beforeAll(async () => {
    upstream = await holdingUpstream();
    ({ url } = await startHttp(
      [],
      childEnv({ SYNCGUARD_BASE_URL: upstream.url, SYNCGUARD_API_KEY: DEFAULT_SANDBOX_API_KEY }),
    ));
  });
  afterAll(async () => {
    await upstream?.close();
  });

  it('a request gets an event stream with the session id; notifications get 202, no body', async () => {
    const init = await post(url, initialize());
    expect(init.status).toBe(200);
    expect(header(init, 'content-type')).toBe('text/event-stream');
    const sid = header(init, 'mcp-session-id');
    expect(sid).toMatch(/^[0-9a-f-]{36}$/);
    const answer = rpcMessagesOf(init.body)[0] as {
      result?: { serverInfo?: unknown; protocolVersion?: string };
    };
    expect(answer.result).toMatchObject({
      serverInfo: { name: 'syn-mcp' },
      protocolVersion: LATEST_PROTOCOL_VERSION,
    });
    const note = await post(
      url,
      { jsonrpc: '2.0', method: 'notifications/initialized' },
      { 'mcp-session-id': sid ?? '' },
    );
    expect(note.status).toBe(202);
    expect(note.body).toBe('');
    const list = await post(url, rpc('tools/list'), { 'mcp-session-id': sid ?? '' });
    expect(list.status).toBe(200);
    expect(header(list, 'content-type')).toBe('text/event-stream');
    expect(header(list, 'mcp-session-id')).toBe(sid);
    expect(rpcMessagesOf(list.body)[0]?.result?.tools).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'list_incidents' })]),
    );
  });

  it('a batch gets its answers on one stream, in order; a notification in it gets none', async () => {
    const sid = await open(url);
    const ping = rpc('ping');
    const list = rpc('tools/list');
    const res = await post(
      url,
      [
        ping,
        { jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 1, progress: 1 } },
        list,
      ],
      {
        'mcp-session-id': sid,
      },
    );
    expect(res.status).toBe(200);
    const answers = rpcMessagesOf(res.body);
    expect(answers.map((a) => a.id)).toEqual([ping.id, list.id]);
    expect(answers[0]?.result).toEqual({});
  });

  it('refuses what the SDK transport refuses, with its status codes and messages', async () => {
    const sid = await open(url);
    const s = { 'mcp-session-id': sid };
    const onlyJson = await rawHttp(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...s },
      body: JSON.stringify(rpc('ping')),
    });
    expect(onlyJson.status).toBe(406);
    expect(refusal(onlyJson)).toEqual({
      code: -32000,
      message: 'Not Acceptable: Client must accept both application/json and text/event-stream',
    });
    const text = await rawHttp(url, {
      method: 'POST',
      headers: mcpHeaders({ 'content-type': 'text/plain', ...s }),
      body: JSON.stringify(rpc('ping')),
    });
    expect(text.status).toBe(415);
    expect(refusal(text)?.code).toBe(-32000);
    const withCharset = await rawHttp(url, {
      method: 'POST',
      headers: mcpHeaders({ 'content-type': 'application/json; charset=utf-8', ...s }),
      body: JSON.stringify(rpc('ping')),
    });
    expect(withCharset.status).toBe(200);
    const notRpc = await post(url, { hello: 'world' }, s);
    expect(notRpc.status).toBe(400);
    expect(refusal(notRpc)).toEqual({
      code: -32600,
      message: 'Bad Request: the request body is not a valid JSON-RPC message',
    });
    const tooMany = await post(
      url,
      Array.from({ length: 101 }, () => rpc('ping')),
      s,
    );
    expect(tooMany.status).toBe(400);
    expect(refusal(tooMany)).toEqual({
      code: -32600,
      message: 'Invalid Request: Batch must not exceed 100 messages',
    });
    const oldVersion = await post(url, rpc('ping'), { ...s, 'mcp-protocol-version': '1999-01-01' });
    expect(oldVersion.status).toBe(400);
    expect(refusal(oldVersion)?.message).toMatch(
      /^Bad Request: Unsupported protocol version: 1999-01-01 \(supported versions: .*2025-06-18/,
    );
    expect((await post(url, rpc('ping'), { ...s, 'mcp-protocol-version': '2025-06-18' })).status).toBe(200);
    const again = await post(url, initialize(), s);
    expect(again.status).toBe(400);
    expect(refusal(again)).toEqual({ code: -32600, message: 'Invalid Request: Server already initialized' });
    const put = await rawHttp(url, { method: 'PUT', headers: mcpHeaders(s), body: '{}' });
    expect(put.status).toBe(405);
    expect(header(put, 'allow')).toBe('GET, POST, DELETE');
  });

  it('initialize must come alone', async () => {
    const res = await post(url, [initialize(), rpc('ping')]);
    expect(res.status).toBe(400);
    expect(refusal(res)).toEqual({
      code: -32600,
      message: 'Invalid Request: Only one initialization request is allowed',
    });
  });

  it('GET opens the session’s one event stream: a second is refused (409), and so is a GET without Accept', async () => {
    const sid = await open(url);
    const u = new URL(url);
    const held = request({
      host: u.hostname,
      port: u.port,
      path: u.pathname,
      headers: { accept: 'text/event-stream', 'mcp-session-id': sid },
      agent: false,
    });
    held.on('error', () => {});
    held.end();
    try {
      const first = await within(
        new Promise<IncomingMessage>((resolve) => held.once('response', resolve)),
        WAIT_MS,
        'GET stream',
      );
      expect(first.statusCode).toBe(200);
      expect(first.headers['content-type']).toBe('text/event-stream');
      expect(first.headers['mcp-session-id']).toBe(sid);
      const second = await getHeaders(url, { accept: 'text/event-stream', 'mcp-session-id': sid });
      expect(second.status).toBe(409);
      const noAccept = await getHeaders(url, { accept: 'application/json', 'mcp-session-id': sid });
      expect(noAccept.status).toBe(406);
    } finally {
      held.destroy();
    }
  });

  it('notifications/cancelled stops a call in flight: no answer is ever sent for it', async () => {
    const sid = await open(url);
    const s = { 'mcp-session-id': sid };
    const call = rpc('tools/call', { name: 'list_incidents', arguments: {} });
    const arrived = upstream.next();
    const stream = openStream(url, call, s);
    expect(await arrived).toMatch(/^\/api\/v1\/incidents/);
    const cancel = await post(
      url,
      { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: call.id, reason: 'test' } },
      s,
    );
    expect(cancel.status).toBe(202);
    upstream.release();
    // The session goes on serving; by the time a later request is answered, the cancelled one was not.
    const ping = await post(url, rpc('ping'), s);
    expect(rpcMessagesOf(ping.body)[0]?.result).toEqual({});
    const list = await post(url, rpc('tools/list'), s);
    expect(rpcMessagesOf(list.body)[0]?.result).toBeDefined();
    expect(rpcMessagesOf(stream.body()).filter((m) => m.id === call.id)).toEqual([]);
    stream.close();
  });

  it('DELETE of the session stops its call in flight: its stream ends without an answer', async () => {
    const sid = await open(url);
    const s = { 'mcp-session-id': sid };
    const arrived = upstream.next();
    const call = rpc('tools/call', { name: 'list_incidents', arguments: {} });
    const answer = post(url, call, s);
    await arrived;
    const del = await rawHttp(url, { method: 'DELETE', headers: mcpHeaders(s) });
    expect(del.status).toBe(200);
    const res = await answer;
    expect(rpcMessagesOf(res.body).filter((m) => m.id === call.id && m.result !== undefined)).toEqual([]);
    upstream.release();
    expect((await post(url, rpc('ping'), s)).status).toBe(404);
  });

  it('a call answered upstream is answered to the client', async () => {
    const sid = await open(url);
    const arrived = upstream.next();
    const answer = post(url, rpc('tools/call', { name: 'list_incidents', arguments: {} }), {
      'mcp-session-id': sid,
    });
    await arrived;
    upstream.release();
    const res = await answer;
    expect(res.status).toBe(200);
    const result = rpcMessagesOf(res.body)[0]?.result as { isError?: boolean; structuredContent?: unknown };
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ items: [] });
  });
});

describe('Streamable HTTP answers with progress (--sandbox)', () => {
  let url: string;

  beforeAll(async () => {
    ({ url } = await startHttp(['--sandbox'], childEnv()));
  });

  it('a request with a progress token is answered as an event stream', async () => {
    const sid = await open(url);
    const list = rpc('tools/list', { _meta: { progressToken: 'p1' } });
    const res = await post(url, list, { 'mcp-session-id': sid });
    expect(res.status).toBe(200);
    expect(header(res, 'content-type')).toBe('text/event-stream');
    expect(res.body).toMatch(/^event: message\ndata: \{/);
    expect(rpcMessagesOf(res.body).map((m) => m.id)).toEqual([list.id]);
  });

  it('the SDK client gets the progress of a streamed chat, then its result', async () => {
    const s = await connectHttp(url);
    const progress: Progress[] = [];
    const result = await s.client.callTool(
      { name: 'chat', arguments: { message: 'Find papers on SSE' } },
      undefined,
      {
        onprogress: (p) => progress.push(p),
      },
    );
    expect(result.isError).toBeFalsy();
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.map((p) => p.progress)).toEqual(progress.map((_, i) => i + 1));
    await s.close();
  });

  it('stateless, the same: a request answered on its own, no session id', async () => {
    const { url: stateless } = await startHttp(['--sandbox', '--stateless'], childEnv());
    const plain = await post(stateless, rpc('tools/list'));
    expect(plain.status).toBe(200);
    expect(rpcMessagesOf(plain.body)[0]?.result?.tools).toBeDefined();
    expect(header(plain, 'mcp-session-id')).toBeUndefined();
    const streamed = await post(stateless, rpc('ping', { _meta: { progressToken: 7 } }));
    expect(header(streamed, 'content-type')).toBe('text/event-stream');
    expect(rpcMessagesOf(streamed.body)[0]?.result).toEqual({});
    const s = await connectHttp(stateless);
    const progress: Progress[] = [];
    const result = await s.client.callTool({ name: 'chat', arguments: { message: 'hello' } }, undefined, {
      onprogress: (p) => progress.push(p),
    });
    expect(result.isError).toBeFalsy();
    expect(progress.length).toBeGreaterThan(0);
    await s.close();
  });
});
