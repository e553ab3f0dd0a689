/**
 * Faults of the confirmation at the boundary, in process (a real v1 SDK Client over the SDK's in-memory
 * transport, the shipped protocol wiring, a real SyncGuard emulator over HTTP): an elicitation that times
 * out, or comes back as a form that does not match, is a decline and sends nothing; a client that does not
 * declare elicitation is not asked.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { type CallToolResult, ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { InMemoryTransport } from '@modelcontextprotocol/server';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { HttpClient } from '../../src/http/client.js';
import { silentLogger } from '../../src/log.js';
import { serverFactory } from '../../src/protocol.js';
import { createSyncGuardEmulator, type SyncGuardEmulator } from '../../src/sandbox/syncguard/index.js';
import { createServer } from '../../src/server.js';
import { createApiViews } from '../../src/services.js';
import { selectTools } from '../../src/toolsets.js';
import { TOOLSETS } from '../../tools/index.js';

const closers: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  await Promise.allSettled(closers.splice(0).map((c) => c()));
});

async function connect(
  onElicit: ((params: unknown) => Promise<Record<string, unknown>>) | undefined,
  askTimeoutMs: number,
): Promise<{ client: Client; emulator: SyncGuardEmulator }> {
  const emulator = createSyncGuardEmulator();
  const baseUrl = await emulator.listen();
  closers.push(() => emulator.close());
  const config = loadConfig(['--toolsets', 'syncguard,syncguard_admin'], {
    SYNCGUARD_API_KEY: emulator.apiKey,
    SYNCGUARD_BASE_URL: baseUrl,
  });
  const http = new HttpClient({});
  closers.push(() => http.close());
  const views = createApiViews(http, config);
  const server = createServer({
    tools: selectTools(TOOLSETS, views.configured, config).tools,
    api: views,
    log: silentLogger,
    version: 'test',
    callDeadlineMs: http.policy.callDeadlineMs,
    askTimeoutMs,
  });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const sdk = await serverFactory(server, { legacyCanElicit: true })({ era: 'legacy' });
  await sdk.connect(serverSide);
  closers.push(() => sdk.close());
  const client = new Client(
    { name: 'boundary', version: '0' },
    onElicit ? { capabilities: { elicitation: {} } } : {},
  );
  if (onElicit) client.setRequestHandler(ElicitRequestSchema, async (request) => onElicit(request.params));
  await client.connect(clientSide);
  closers.push(() => client.close());
  return { client, emulator };
}

async function call(client: Client, name: string, args: Record<string, unknown>): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args })) as CallToolResult;
}

function textOf(result: CallToolResult): string {
  const first = result.content[0];
  return first?.type === 'text' ? first.text : '';
}

const writes = (emulator: SyncGuardEmulator) => emulator.requests.filter((r) => r.method !== 'GET');

describe('confirmation faults at the boundary', () => {
  it('a form nobody answers in time is a decline: nothing sent', async () => {
    let asked = 0;
    // The user never answers: the handler's promise stays pending until the server gives up.
    const { client, emulator } = await connect(() => {
      asked++;
      return new Promise(() => {});
    }, 300);
    const result = await call(client, 'deactivate_tenant', { id: 'ten_1' });
    expect(asked).toBe(1);
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/not confirmed by the user \(no answer came back\); nothing was changed/);
    expect(writes(emulator)).toEqual([]);
  });

  it('an accepted form that does not match what was asked is a decline: nothing sent', async () => {
    for (const content of [{ confirm: 'yes' }, { sure: true }, {}]) {
      const { client, emulator } = await connect(async () => ({ action: 'accept', content }), 5_000);
      const result = await call(client, 'deactivate_tenant', { id: 'ten_1' });
      expect(result.isError).toBe(true);
      expect(textOf(result)).toMatch(/not confirmed by the user \(.+\); nothing was changed/);
      expect(writes(emulator)).toEqual([]);
    }
  });

  it('a client that does not declare elicitation is not asked (its own approval prompt applies)', async () => {
    const { client, emulator } = await connect(undefined, 5_000);
    const result = await call(client, 'deactivate_tenant', { id: 'ten_missing' });
    // The call went upstream as before (the emulator has no such tenant: 404, told as an error).
    expect(textOf(result)).toMatch(/ten_missing|not found/i);
    expect(writes(emulator).map((r) => r.method)).toEqual(['DELETE']);
  });
});
