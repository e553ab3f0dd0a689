/**
 * Confirmation the model cannot forge, end to end: the BUILT server as a process, a SyncGuard emulator of
 * the test's own (so every upstream request is counted), and real clients that show a form:
 * - the v1 SDK Client (2025-11-25, server-initiated elicitation/create) over stdio and a stateful HTTP
 *   session;
 * - the v2 client pinned to 2026-07-28 (input_required rounds with sealed requestState) over stdio and HTTP.
 * A declined, cancelled or unticked form sends nothing upstream and says so; an accepted one sends the
 * write exactly once. Tampered, reused or mismatched state is refused with -32602 and sends nothing.
 */

import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client as ClientV2, StreamableHTTPClientTransport as HttpV2 } from '@modelcontextprotocol/client';
import { StdioClientTransport as StdioV2 } from '@modelcontextprotocol/client/stdio';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { type CallToolResult, ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { SyncGuardEmulator } from '../../src/sandbox/syncguard/index.js';
import { CLI, childEnv, cleanup, startEmulator, startHttp, textOf } from './spawn.js';

afterEach(cleanup);

/** What the user does with a form, and what the client was asked. */
interface User {
  answers: Array<{
    action: 'accept' | 'decline' | 'cancel';
    content?: Record<string, string | number | boolean>;
  }>;
  asked: Array<{ message: string; requestedSchema: unknown }>;
}

function user(...answers: User['answers']): User {
  return { answers, asked: [] };
}

function answer(u: User, params: { message: string; requestedSchema: unknown }) {
  u.asked.push({ message: params.message, requestedSchema: params.requestedSchema });
  return u.answers.shift() ?? { action: 'cancel' as const };
}

/** A client of either generation, reduced to what the tests use. */
interface AnyClient {
  call(name: string, args: Record<string, unknown>): Promise<CallToolResult>;
  close(): Promise<void>;
}

type Transport = 'stdio' | 'http';
type Era = '2025' | '2026';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.allSettled(closers.splice(0).map((c) => c()));
});

/** Starts the server against `baseUrl` and connects a client of `era` over `transport` that answers as `u`. */
async function connect(
  era: Era,
  transport: Transport,
  env: Record<string, string>,
  u: User,
): Promise<AnyClient> {
  const args = ['--toolsets', 'syncguard,syncguard_admin'];
  const info = { name: 'confirm-e2e', version: '0' };
  if (era === '2025') {
    const client = new Client(info, { capabilities: { elicitation: {} } });
    client.setRequestHandler(ElicitRequestSchema, async (request) =>
      answer(u, request.params as { message: string; requestedSchema: unknown }),
    );
    if (transport === 'stdio') {
      await client.connect(
        new StdioClientTransport({ command: process.execPath, args: [CLI, ...args], env, stderr: 'pipe' }),
      );
    } else {
      const { url } = await startHttp(args, env);
      await client.connect(new StreamableHTTPClientTransport(new URL(url)));
    }
    closers.push(() => client.close());
    return {
      call: async (name, a) => (await client.callTool({ name, arguments: a })) as CallToolResult,
      close: () => client.close(),
    };
  }
  const client = new ClientV2(info, {
    capabilities: { elicitation: { form: {} } },
    versionNegotiation: { mode: { pin: '2026-07-28' } },
  });
  client.setRequestHandler('elicitation/create', async (request) =>
    answer(u, request.params as { message: string; requestedSchema: unknown }),
  );
  if (transport === 'stdio') {
    await client.connect(
      new StdioV2({ command: process.execPath, args: [CLI, ...args], env, stderr: 'pipe' }),
    );
  } else {
    const { url } = await startHttp(args, env);
    await client.connect(new HttpV2(new URL(url)));
  }
  closers.push(() => client.close());
  return {
    call: async (name, a) => (await client.callTool({ name, arguments: a })) as CallToolResult,
    close: () => client.close(),
  };
}

async function setup(): Promise<{ emulator: SyncGuardEmulator; env: Record<string, string> }> {
  const { emulator, baseUrl } = await startEmulator();
  return { emulator, env: childEnv({ SYNCGUARD_API_KEY: emulator.apiKey, SYNCGUARD_BASE_URL: baseUrl }) };
}

/** DELETE /tenants/:id requests the emulator received (deactivate_tenant's write). */
function deactivations(emulator: SyncGuardEmulator): number {
  return emulator.requests.filter((r) => r.method === 'DELETE' && /\/tenants\/[^/]+$/.test(r.path)).length;
}

async function newTenant(client: AnyClient, externalId: string): Promise<string> {
  const created = await client.call('create_tenant', { externalId });
  expect(created.isError, textOf(created)).toBeFalsy();
  const id = (created.structuredContent as { id?: unknown }).id;
  if (typeof id !== 'string') throw new Error(`no tenant id in ${textOf(created)}`);
  return id;
}

const MATRIX: Array<[Era, Transport]> = [
  ['2025', 'stdio'],
  ['2025', 'http'],
  ['2026', 'stdio'],
  ['2026', 'http'],
];

describe.each(MATRIX)('a %s client over %s with form elicitation', (era, transport) => {
  it('asks before a destructive call; declined → nothing sent, and the result says so', async () => {
    const { emulator, env } = await setup();
    const u = user({ action: 'decline' });
    const client = await connect(era, transport, env, u);
    // create_tenant is a write, not destructive: under the default --confirm destructive it is not asked.
    const id = await newTenant(client, 'acme');
    expect(u.asked).toEqual([]);

    const result = await client.call('deactivate_tenant', { id });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/not confirmed by the user \(declined\); nothing was changed/);
    expect(deactivations(emulator)).toBe(0);
    expect(u.asked).toHaveLength(1);
    expect(u.asked[0]?.message).toMatch(new RegExp(`^Deactivate SyncGuard tenant ${id}\\?`));
    expect(u.asked[0]?.message).toContain('syn-mcp tool deactivate_tenant');
    expect(u.asked[0]?.requestedSchema).toMatchObject({
      type: 'object',
      properties: { confirm: { type: 'boolean', default: false } },
    });
  });

  it('accepted → the write is sent exactly once', async () => {
    const { emulator, env } = await setup();
    const u = user({ action: 'accept', content: { confirm: true } });
    const client = await connect(era, transport, env, u);
    const id = await newTenant(client, 'globex');
    const result = await client.call('deactivate_tenant', { id });
    expect(result.isError, textOf(result)).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ id, isActive: false });
    expect(deactivations(emulator)).toBe(1);
    expect(u.asked).toHaveLength(1);
  });

  it('an unticked box or a cancelled form is a no', async () => {
    const { emulator, env } = await setup();
    const u = user({ action: 'accept', content: { confirm: false } }, { action: 'cancel' });
    const client = await connect(era, transport, env, u);
    const id = await newTenant(client, 'initech');
    const unticked = await client.call('deactivate_tenant', { id });
    expect(textOf(unticked)).toMatch(
      /not confirmed by the user \(the box was left unticked\); nothing was changed/,
    );
    const cancelled = await client.call('deactivate_tenant', { id });
    expect(textOf(cancelled)).toMatch(/not confirmed by the user \(cancelled\); nothing was changed/);
    expect(deactivations(emulator)).toBe(0);
  });
});

describe('confirmation off, and clients without elicitation', () => {
  it('--confirm off asks nothing; a client without elicitation keeps today’s behaviour', async () => {
    const { emulator, env } = await setup();
    const u = user();
    const client = new Client({ name: 'no-elicitation', version: '0' });
    const args = ['--toolsets', 'syncguard,syncguard_admin'];
    await client.connect(
      new StdioClientTransport({ command: process.execPath, args: [CLI, ...args], env, stderr: 'pipe' }),
    );
    closers.push(() => client.close());
    const created = (await client.callTool({
      name: 'create_tenant',
      arguments: { externalId: 'x1' },
    })) as CallToolResult;
    const id = (created.structuredContent as { id: string }).id;
    const plain = (await client.callTool({ name: 'deactivate_tenant', arguments: { id } })) as CallToolResult;
    expect(plain.isError, textOf(plain)).toBeFalsy();
    expect(deactivations(emulator)).toBe(1);

    const off = new Client({ name: 'confirm-off', version: '0' }, { capabilities: { elicitation: {} } });
    off.setRequestHandler(ElicitRequestSchema, async (request) =>
      answer(u, request.params as { message: string; requestedSchema: unknown }),
    );
    await off.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [CLI, ...args, '--confirm', 'off'],
        env,
        stderr: 'pipe',
      }),
    );
    closers.push(() => off.close());
    const again = (await off.callTool({ name: 'deactivate_tenant', arguments: { id } })) as CallToolResult;
    expect(again.isError, textOf(again)).toBeFalsy();
    expect(u.asked).toEqual([]);
    expect(deactivations(emulator)).toBe(2);
  });

  it('--confirm writes asks before every write, and not before reads', async () => {
    const { emulator, env } = await setup();
    const u = user({ action: 'decline' });
    const client = new Client({ name: 'writes', version: '0' }, { capabilities: { elicitation: {} } });
    client.setRequestHandler(ElicitRequestSchema, async (request) =>
      answer(u, request.params as { message: string; requestedSchema: unknown }),
    );
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [CLI, '--toolsets', 'syncguard,syncguard_admin', '--confirm', 'writes'],
        env,
        stderr: 'pipe',
      }),
    );
    closers.push(() => client.close());
    const listed = (await client.callTool({ name: 'list_tenants', arguments: {} })) as CallToolResult;
    expect(listed.isError, textOf(listed)).toBeFalsy();
    expect(u.asked).toEqual([]);
    const created = (await client.callTool({
      name: 'create_tenant',
      arguments: { externalId: 'w1' },
    })) as CallToolResult;
    expect(textOf(created)).toMatch(/not confirmed by the user \(declined\); nothing was changed/);
    expect(u.asked[0]?.message).toMatch(/^Register tenant w1 in SyncGuard\?/);
    expect(emulator.requests.filter((r) => r.method === 'POST')).toEqual([]);
  });
});

/**
 * A v2 client pinned to 2026-07-28 on `url` that handles input_required rounds by hand: each call returns the
 * raw result (an input_required round included) or rejects with the server's error.
 */
async function roundsClient(url: string, name: string, headers?: Record<string, string>) {
  const client = new ClientV2(
    { name, version: '0' },
    {
      capabilities: { elicitation: {} },
      versionNegotiation: { mode: { pin: '2026-07-28' } },
      inputRequired: { autoFulfill: false },
    },
  );
  await client.connect(new HttpV2(new URL(url), headers ? { requestInit: { headers } } : undefined));
  closers.push(() => client.close());
  return (params: Record<string, unknown>) =>
    client.callTool(params as { name: string; arguments: Record<string, unknown> }, {
      allowInputRequired: true,
    });
}

describe('2026-07-28 request state the client cannot forge', () => {
  /** The server on `env`, and a client that handles its input_required rounds by hand. */
  async function manual(env: Record<string, string>) {
    const { url } = await startHttp(['--toolsets', 'syncguard,syncguard_admin'], env);
    return { call: await roundsClient(url, 'manual-rounds') };
  }

  const YES = { confirm: { action: 'accept', content: { confirm: true } } };

  async function codeOf(promise: Promise<unknown>): Promise<{ code: unknown; message: string }> {
    try {
      await promise;
    } catch (err) {
      return { code: (err as { code?: unknown }).code, message: (err as Error).message };
    }
    throw new Error('expected the call to be refused');
  }

  it('answers input_required first; a forged yes without state is asked again; the right state runs once', async () => {
    const { emulator, env } = await setup();
    const { call } = await manual(env);
    const created = (await call({
      name: 'create_tenant',
      arguments: { externalId: 'm1' },
    })) as CallToolResult;
    const id = (created.structuredContent as { id: string }).id;

    const first = (await call({ name: 'deactivate_tenant', arguments: { id } })) as Record<string, unknown>;
    expect(first.resultType).toBe('input_required');
    const state = first.requestState;
    if (typeof state !== 'string') throw new Error('no requestState');
    expect(state).not.toContain(id);
    expect(first.inputRequests).toMatchObject({ confirm: { method: 'elicitation/create' } });

    // The model cannot answer for the user: a "yes" without this server's state is only asked again.
    const forged = (await call({
      name: 'deactivate_tenant',
      arguments: { id },
      inputResponses: YES,
    })) as Record<string, unknown>;
    expect(forged.resultType).toBe('input_required');
    expect(deactivations(emulator)).toBe(0);

    const done = (await call({
      name: 'deactivate_tenant',
      arguments: { id },
      inputResponses: YES,
      requestState: state,
    })) as CallToolResult;
    expect(done.isError, textOf(done)).toBeFalsy();
    expect(deactivations(emulator)).toBe(1);

    // The same state again: refused, nothing sent.
    const reused = await codeOf(
      call({ name: 'deactivate_tenant', arguments: { id }, inputResponses: YES, requestState: state }),
    );
    expect(reused.code).toBe(-32602);
    expect(reused.message).toMatch(/requestState was already used/);
    expect(deactivations(emulator)).toBe(1);
  });

  it('refuses tampered state, and state issued for other arguments, with -32602 and sends nothing', async () => {
    const { emulator, env } = await setup();
    const { call } = await manual(env);
    const first = (await call({ name: 'deactivate_tenant', arguments: { id: 'ten_a' } })) as Record<
      string,
      unknown
    >;
    const state = first.requestState as string;
    const tampered = `s1.${state[3] === 'A' ? 'B' : 'A'}${state.slice(4)}`;
    const bad = await codeOf(
      call({
        name: 'deactivate_tenant',
        arguments: { id: 'ten_a' },
        inputResponses: YES,
        requestState: tampered,
      }),
    );
    expect(bad.code).toBe(-32602);
    expect(bad.message).toMatch(/requestState failed its integrity check/);
    const other = await codeOf(
      call({
        name: 'deactivate_tenant',
        arguments: { id: 'ten_b' },
        inputResponses: YES,
        requestState: state,
      }),
    );
    expect(other.code).toBe(-32602);
    expect(other.message).toMatch(/requestState was issued for another call/);
    const otherTool = await codeOf(
      call({
        name: 'remove_alert_channel',
        arguments: { provider: 'slack' },
        inputResponses: YES,
        requestState: state,
      }),
    );
    expect(otherTool.code).toBe(-32602);
    expect(emulator.requests.filter((r) => r.method !== 'GET')).toEqual([]);
  });
});

describe('stateless HTTP (--stateless)', () => {
  it('2026-07-28 clients are asked through rounds (the state needs no session); 2025 clients cannot be asked', async () => {
    const { emulator, env } = await setup();
    const { url } = await startHttp(['--toolsets', 'syncguard,syncguard_admin', '--stateless'], env);
    const u = user({ action: 'decline' }, { action: 'accept', content: { confirm: true } });
    const modern = new ClientV2(
      { name: 'stateless-2026', version: '0' },
      { capabilities: { elicitation: {} }, versionNegotiation: { mode: { pin: '2026-07-28' } } },
    );
    modern.setRequestHandler('elicitation/create', async (request) =>
      answer(u, request.params as { message: string; requestedSchema: unknown }),
    );
    await modern.connect(new HttpV2(new URL(url)));
    closers.push(() => modern.close());
    const created = (await modern.callTool({
      name: 'create_tenant',
      arguments: { externalId: 's1' },
    })) as CallToolResult;
    const id = (created.structuredContent as { id: string }).id;
    const declined = (await modern.callTool({
      name: 'deactivate_tenant',
      arguments: { id },
    })) as CallToolResult;
    expect(textOf(declined)).toMatch(/not confirmed by the user \(declined\)/);
    expect(deactivations(emulator)).toBe(0);
    const accepted = (await modern.callTool({
      name: 'deactivate_tenant',
      arguments: { id },
    })) as CallToolResult;
    expect(accepted.isError, textOf(accepted)).toBeFalsy();
    expect(deactivations(emulator)).toBe(1);
    expect(u.asked).toHaveLength(2);

    // A 2025 client on a stateless server has no session to be asked on: today's behaviour (its own prompt).
    const legacy = new Client(
      { name: 'stateless-2025', version: '0' },
      { capabilities: { elicitation: {} } },
    );
    legacy.setRequestHandler(ElicitRequestSchema, async (request) =>
      answer(u, request.params as { message: string; requestedSchema: unknown }),
    );
    await legacy.connect(new StreamableHTTPClientTransport(new URL(url)));
    closers.push(() => legacy.close());
    const plain = (await legacy.callTool({ name: 'deactivate_tenant', arguments: { id } })) as CallToolResult;
    expect(plain.isError, textOf(plain)).toBeFalsy();
    expect(u.asked).toHaveLength(2);
    expect(deactivations(emulator)).toBe(2);
  });
});

describe('replicas share SYN_MCP_STATE_KEY', () => {
  it('a state sealed by one replica opens on another with the same key, and on no other', async () => {
    const { emulator, env } = await setup();
    const key = Buffer.alloc(32, 7).toString('base64');
    const replica = async (extra: Record<string, string>) => {
      const { url } = await startHttp(['--toolsets', 'syncguard,syncguard_admin'], { ...env, ...extra });
      return roundsClient(url, 'replica');
    };
    const a = await replica({ SYN_MCP_STATE_KEY: key });
    const b = await replica({ SYN_MCP_STATE_KEY: key });
    const other = await replica({});
    const created = (await a({ name: 'create_tenant', arguments: { externalId: 'r1' } })) as CallToolResult;
    const id = (created.structuredContent as { id: string }).id;
    const yes = { confirm: { action: 'accept', content: { confirm: true } } };

    const first = (await a({ name: 'deactivate_tenant', arguments: { id } })) as { requestState?: string };
    const refused = await other({
      name: 'deactivate_tenant',
      arguments: { id },
      inputResponses: yes,
      requestState: first.requestState,
    }).then(
      () => undefined,
      (err: { code?: unknown; message?: string }) => err,
    );
    expect(refused?.code).toBe(-32602);
    expect(refused?.message).toMatch(/sealed with another key \(replicas must share SYN_MCP_STATE_KEY\)/);
    expect(deactivations(emulator)).toBe(0);

    const done = (await b({
      name: 'deactivate_tenant',
      arguments: { id },
      inputResponses: yes,
      requestState: first.requestState,
    })) as CallToolResult;
    expect(done.isError, textOf(done)).toBeFalsy();
    expect(deactivations(emulator)).toBe(1);
  });
});

describe('principals (HTTP for teams): the state is bound to the caller', () => {
  it('a state issued to alice is refused for bob with the same arguments, and still opens for alice', async () => {
    const { emulator, env } = await setup();
    const dir = mkdtempSync(join(tmpdir(), 'syn-confirm-principals-'));
    closers.push(async () => rmSync(dir, { recursive: true, force: true }));
    const tokens = {
      alice: randomBytes(24).toString('base64url'),
      bob: randomBytes(24).toString('base64url'),
    };
    const sha256 = (t: string) => createHash('sha256').update(t).digest('hex');
    const file = join(dir, 'principals.json');
    const principal = (name: 'alice' | 'bob') => ({
      name,
      tokenSha256: sha256(tokens[name]),
      toolsets: ['syncguard', 'syncguard_admin'],
      credentials: { SYNCGUARD_API_KEY: 'env:TEAM_SYNCGUARD_KEY' },
    });
    writeFileSync(file, JSON.stringify({ principals: [principal('alice'), principal('bob')] }));
    const { url } = await startHttp([], {
      ...env,
      SYN_MCP_PRINCIPALS_FILE: file,
      TEAM_SYNCGUARD_KEY: env.SYNCGUARD_API_KEY ?? '',
    });
    const as = (name: 'alice' | 'bob') =>
      roundsClient(url, `principal-${name}`, { authorization: `Bearer ${tokens[name]}` });
    const alice = await as('alice');
    const bob = await as('bob');
    const created = (await alice({
      name: 'create_tenant',
      arguments: { externalId: 'p1' },
    })) as CallToolResult;
    const id = (created.structuredContent as { id: string }).id;
    const yes = { confirm: { action: 'accept', content: { confirm: true } } };
    const first = (await alice({ name: 'deactivate_tenant', arguments: { id } })) as {
      requestState?: string;
    };
    expect(typeof first.requestState).toBe('string');

    const refused = await bob({
      name: 'deactivate_tenant',
      arguments: { id },
      inputResponses: yes,
      requestState: first.requestState,
    }).then(
      () => undefined,
      (err: { code?: unknown; message?: string }) => err,
    );
    expect(refused?.code).toBe(-32602);
    expect(refused?.message).toMatch(/requestState was issued for another call/);
    expect(deactivations(emulator)).toBe(0);

    const done = (await alice({
      name: 'deactivate_tenant',
      arguments: { id },
      inputResponses: yes,
      requestState: first.requestState,
    })) as CallToolResult;
    expect(done.isError, textOf(done)).toBeFalsy();
    expect(deactivations(emulator)).toBe(1);
  });
});

describe('the built server in --sandbox', () => {
  it('a declined delete leaves the embedded Synchronex decision in place; an accepted one removes it', async () => {
    const u = user({ action: 'decline' }, { action: 'accept', content: { confirm: true } });
    const client = new ClientV2(
      { name: 'sandbox-2026', version: '0' },
      { capabilities: { elicitation: {} }, versionNegotiation: { mode: { pin: '2026-07-28' } } },
    );
    client.setRequestHandler('elicitation/create', async (request) =>
      answer(u, request.params as { message: string; requestedSchema: unknown }),
    );
    await client.connect(
      new StdioV2({
        command: process.execPath,
        args: [CLI, '--sandbox', '--toolsets', 'all'],
        env: childEnv(),
        stderr: 'pipe',
      }),
    );
    closers.push(() => client.close());
    const call = async (name: string, args: Record<string, unknown>) =>
      (await client.callTool({ name, arguments: args })) as CallToolResult;
    const created = await call('create_decision', {
      decision: 'Ship the confirmation flow',
      product_name: 'syn-mcp',
    });
    expect(created.isError, textOf(created)).toBeFalsy();
    const id = (created.structuredContent as { id: string }).id;
    const found = async () =>
      JSON.stringify(
        (await call('search_decisions', { query: 'confirmation flow' })).structuredContent,
      ).includes(id);
    expect(await found()).toBe(true);

    const declined = await call('delete_decision', { id });
    expect(textOf(declined)).toMatch(/not confirmed by the user \(declined\); nothing was changed/);
    expect(u.asked[0]?.message).toMatch(new RegExp(`^Permanently delete Synchronex decision ${id}\\?`));
    expect(await found()).toBe(true);

    const accepted = await call('delete_decision', { id });
    expect(accepted.isError, textOf(accepted)).toBeFalsy();
    expect(await found()).toBe(false);
    expect(u.asked).toHaveLength(2);
  });
});

describe('typed confirmation (delete_account)', () => {
  it('a 2025 client must type the account id: a wrong id is a no and leaves it, the right one deletes it', async () => {
    const typed: string[] = [];
    const u = user(
      { action: 'accept', content: { confirm: 'acc_wrong' } },
      { action: 'accept', content: { confirm: 'ACCOUNT' } },
    );
    const client = new Client({ name: 'typed', version: '0' }, { capabilities: { elicitation: {} } });
    client.setRequestHandler(ElicitRequestSchema, async (request) => {
      const params = request.params as { message: string; requestedSchema: unknown };
      typed.push(JSON.stringify(params.requestedSchema));
      const next = answer(u, params);
      // The user types the id the form names.
      if (next.content?.confirm === 'ACCOUNT') {
        const id = /Type (\S+) to confirm/.exec(JSON.stringify(params.requestedSchema))?.[1] ?? '';
        return { action: 'accept' as const, content: { confirm: id } };
      }
      return next;
    });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [CLI, '--sandbox', '--toolsets', 'synqly,synqly_admin'],
        env: childEnv(),
        stderr: 'pipe',
      }),
    );
    closers.push(() => client.close());
    const call = async (name: string, args: Record<string, unknown>) =>
      (await client.callTool({ name, arguments: args })) as CallToolResult;
    const created = await call('create_account', { name: 'typed-confirm' });
    expect(created.isError, textOf(created)).toBeFalsy();
    const accountId = (created.structuredContent as { account: { id: string } }).account.id;

    const wrong = await call('delete_account', { accountId });
    expect(textOf(wrong)).toMatch(
      /not confirmed by the user \(the text typed was not .+\); nothing was changed/,
    );
    expect(u.asked[0]?.requestedSchema).toMatchObject({
      properties: { confirm: { type: 'string', title: `Type ${accountId} to confirm` } },
    });
    const listed = JSON.stringify((await call('list_accounts', {})).structuredContent);
    expect(listed).toContain(accountId);

    const right = await call('delete_account', { accountId });
    expect(right.isError, textOf(right)).toBeFalsy();
    expect(JSON.stringify((await call('list_accounts', {})).structuredContent)).not.toContain(accountId);
    expect(typed).toHaveLength(2);
  });
});
