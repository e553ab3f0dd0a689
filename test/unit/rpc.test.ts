/**
 * RpcSession (src/transports/rpc.ts) side by side with the SDK Server it replaces on the HTTP path: the same
 * JSON-RPC messages go to an SDK Server (test/helpers/sdk-server.ts) over an in-memory transport and to an RpcSession of
 * the same SynServer, and every answer must be the same, errors included. The tools call the sandbox's
 * emulators over real loopback HTTP.
 */
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { type SynServer, structuredTextOf } from '../../src/server.js';
import { type RpcAnswer, RpcSession, serialiseAnswer } from '../../src/transports/rpc.js';
import { connectInProcess, type InProcess } from '../helpers/in-process.js';
import { sdkServerFor } from '../helpers/sdk-server.js';

let sandbox: Sandbox;
let mcp: InProcess;
let server: SynServer;

beforeAll(async () => {
  sandbox = await startSandbox();
  mcp = await connectInProcess(sandbox.env, ['--toolsets', 'all']);
  server = mcp.server;
});
afterAll(async () => {
  await mcp?.close();
  await sandbox?.close();
});

type Message = Record<string, unknown>;

let nextId = 1;
/** A new integration key for each send_event built, so that each side opens its own incident. */
let keys = 0;
const request = (method: string, params?: unknown): Message => ({
  jsonrpc: '2.0',
  id: nextId++,
  method,
  ...(params === undefined ? {} : { params }),
});
const notification = (method: string, params?: unknown): Message => ({
  jsonrpc: '2.0',
  method,
  ...(params === undefined ? {} : { params }),
});
const initialize = (name = 'rpc-test', protocolVersion = '2025-06-18') =>
  request('initialize', { protocolVersion, capabilities: {}, clientInfo: { name, version: '1.0.0' } });

/** A fence's nonce is random per call, so are the ids a write makes upstream: masked on both sides. */
const stable = (answers: unknown[]) =>
  JSON.parse(
    JSON.stringify(answers)
      .replace(/untrusted-data-[0-9a-f]{16}/g, 'untrusted-data-NONCE')
      .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, 'UUID'),
  );

/** The answers of an SDK Server to `messages`, sent in order, each request awaited. */
async function viaSdk(messages: readonly Message[]): Promise<unknown[]> {
  const [client, side] = InMemoryTransport.createLinkedPair();
  const sdk = sdkServerFor(server);
  await sdk.connect(side);
  const waiting = new Map<unknown, (m: unknown) => void>();
  client.onmessage = (m) => {
    const id = (m as { id?: unknown }).id;
    waiting.get(id)?.(m);
    waiting.delete(id);
  };
  await client.start();
  const answers: unknown[] = [];
  for (const m of messages) {
    const answered =
      'method' in m && 'id' in m
        ? new Promise((resolve) => waiting.set(m.id, resolve))
        : Promise.resolve(undefined);
    await client.send(m as JSONRPCMessage);
    const answer = await answered;
    if (answer !== undefined) answers.push(answer);
  }
  await sdk.close();
  return answers;
}

/** The answers of an RpcSession to `messages`, in the same way. */
async function viaRpc(messages: readonly Message[]): Promise<unknown[]> {
  const session = new RpcSession(server);
  const answers: unknown[] = [];
  for (const m of messages) {
    const answer = await session.receive(m as JSONRPCMessage);
    if (answer !== undefined) answers.push(answer);
  }
  return answers;
}

const CASES: Record<string, () => Message[]> = {
  'initialize, then ping': () => [initialize(), notification('notifications/initialized'), request('ping')],
  'initialize with a protocol version the server does not know (it offers its latest)': () => [
    initialize('rpc-test', '1999-01-01'),
  ],
  'initialize with an older supported version': () => [initialize('rpc-test', '2025-03-26')],
  'initialize without clientInfo (invalid params)': () => [
    request('initialize', { protocolVersion: '2025-06-18', capabilities: {} }),
  ],
  'tools/list with no initialize': () => [request('tools/list')],
  'tools/list for a client named openai-mcp (the default profile, as for any client)': () => [
    initialize('openai-mcp'),
    request('tools/list', {}),
  ],
  'tools/list for a client named gemini-cli-mcp-client': () => [
    initialize('gemini-cli-mcp-client'),
    request('tools/list', {}),
  ],
  'prompts/list': () => [initialize(), request('prompts/list')],
  'prompts/get of an unknown prompt': () => [request('prompts/get', { name: 'no-such-prompt' })],
  'prompts/get without a name': () => [request('prompts/get', {})],
  'logging/setLevel, valid and not': () => [
    request('logging/setLevel', { level: 'debug' }),
    request('logging/setLevel', { level: 'loud' }),
  ],
  'an unknown method, and a known one syn-mcp does not serve': () => [
    request('foo/bar', {}),
    request('resources/list', {}),
    request('completion/complete', {
      ref: { type: 'ref/prompt', name: 'x' },
      argument: { name: 'a', value: 'b' },
    }),
  ],
  'tools/call of a read tool (untrusted content, fenced)': () => [
    initialize(),
    request('tools/call', { name: 'list_incidents', arguments: {} }),
  ],
  'tools/call with arguments that do not validate (an isError result)': () => [
    request('tools/call', { name: 'list_incidents', arguments: { pageSize: 'many' } }),
  ],
  'tools/call of an unknown tool': () => [request('tools/call', { name: 'no_such_tool', arguments: {} })],
  'tools/call without a name (invalid params)': () => [request('tools/call', { arguments: {} })],
  'tools/call asking for a task (no tasks capability)': () => [
    request('tools/call', { name: 'list_incidents', arguments: {}, task: { ttl: 1000 } }),
  ],
  'tools/call of a write tool': () => [
    request('tools/call', {
      name: 'send_event',
      arguments: { integrationKey: `crm-${++keys}`, eventType: 'webhook_failed', tenantId: 'rpc' },
    }),
  ],
  'a response and notifications from the client get no answer': () => [
    { jsonrpc: '2.0', id: 99, result: {} },
    notification('notifications/cancelled', { requestId: 12345 }),
    notification('notifications/progress', { progressToken: 1, progress: 1 }),
    request('ping'),
  ],
};

describe('RpcSession answers what the SDK Server answers', () => {
  it.each(Object.keys(CASES))('%s', async (name) => {
    const build = () => {
      nextId = 1;
      return CASES[name]?.() ?? [];
    };
    const messages = build();
    const sdk = stable(await viaSdk(messages));
    const rpc = stable(await viaRpc(build()));
    expect(rpc).toEqual(sdk);
    // Every request was answered (none of these is cancelled).
    expect(rpc).toHaveLength(messages.filter((m) => 'method' in m && 'id' in m).length);
  });

  it('prompts/get renders a prompt the same way', async () => {
    const [listed] = (await viaRpc([request('prompts/list')])) as {
      result: { prompts: { name: string }[] };
    }[];
    const first = listed?.result.prompts[0]?.name;
    expect(first).toBeDefined();
    const messages = [request('prompts/get', { name: first, arguments: {} })];
    expect(stable(await viaRpc(messages))).toEqual(stable(await viaSdk(messages)));
  });
});

describe('RpcSession cancellation', () => {
  it('notifications/cancelled stops a call in flight: its request gets no answer', async () => {
    const session = new RpcSession(server);
    const call = request('tools/call', { name: 'list_incidents', arguments: {} });
    const answer = session.receive(call as JSONRPCMessage);
    expect(session.inflight).toBe(1);
    session.receive(notification('notifications/cancelled', { requestId: call.id }) as JSONRPCMessage);
    expect(await answer).toBeUndefined();
    expect(session.inflight).toBe(0);
  });

  it('close() stops every call in flight and any sent later', async () => {
    const session = new RpcSession(server);
    const first = session.receive(request('tools/call', { name: 'list_incidents', arguments: {} }) as never);
    session.close();
    expect(await first).toBeUndefined();
    const later = await session.receive(
      request('tools/call', { name: 'list_incidents', arguments: {} }) as never,
    );
    expect(later).toBeUndefined();
  });

  it('a cancellation for another id leaves the call alone', async () => {
    const session = new RpcSession(server);
    const call = request('tools/call', { name: 'list_incidents', arguments: {} });
    const answer = session.receive(call as JSONRPCMessage);
    session.receive(notification('notifications/cancelled', { requestId: 'other' }) as JSONRPCMessage);
    expect(await answer).toMatchObject({ id: call.id, result: { content: [{ type: 'text' }] } });
  });
});

describe('serialiseAnswer', () => {
  it('writes a tool result exactly as JSON.stringify does, reusing the JSON the call made of structuredContent', async () => {
    const session = new RpcSession(server);
    const answer = (await session.receive(
      request('tools/call', { name: 'list_incidents', arguments: {} }) as JSONRPCMessage,
    )) as RpcAnswer & { result: { structuredContent: unknown } };
    const reused = structuredTextOf(answer.result);
    expect(reused).toBe(JSON.stringify(answer.result.structuredContent));
    expect(serialiseAnswer(answer)).toBe(JSON.stringify(answer));
  });

  it('falls back to JSON.stringify for anything else: errors, isError results, other methods', async () => {
    const session = new RpcSession(server);
    for (const message of [
      request('tools/call', { name: 'list_incidents', arguments: { pageSize: 'many' } }),
      request('tools/call', { name: 'no_such_tool', arguments: {} }),
      request('tools/list'),
    ]) {
      const answer = (await session.receive(message as JSONRPCMessage)) as RpcAnswer;
      if ('result' in answer) expect(structuredTextOf(answer.result)).toBeUndefined();
      expect(serialiseAnswer(answer)).toBe(JSON.stringify(answer));
    }
  });

  it('a result cut to its budget (a note follows its text) is serialised afresh', async () => {
    const small = await connectInProcess(sandbox.env, ['--toolsets', 'all', '--max-result-chars', '2000']);
    try {
      const session = new RpcSession(small.server);
      for (let i = 0; i < 12; i++) {
        await session.receive(
          request('tools/call', {
            name: 'send_event',
            arguments: { integrationKey: `budget-${i}`, eventType: 'webhook_failed', tenantId: 'b' },
          }) as JSONRPCMessage,
        );
      }
      const answer = (await session.receive(
        request('tools/call', { name: 'list_incidents', arguments: { pageSize: 50 } }) as JSONRPCMessage,
      )) as RpcAnswer & { result: { content: { text: string }[] } };
      expect(answer.result.content[0]?.text).toMatch(/\[syn-mcp: \d+ of \d+ items shown/);
      expect(structuredTextOf(answer.result)).toBeUndefined();
      expect(serialiseAnswer(answer)).toBe(JSON.stringify(answer));
    } finally {
      await small.close();
    }
  });
});
