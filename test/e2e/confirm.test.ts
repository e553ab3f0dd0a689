/**
 * Confirmation the model cannot forge, end to end: the BUILT server as a process, a SyncGuard emulator of
 * the test's own (so every upstream request is counted), and real clients that show a form:
 * - the v1 SDK Client (2025-11-25, server-initiated elicitation/create) over stdio and a stateful HTTP
 *   session;
 * - the v2 client pinned to 2026-07-28 (input_required rounds with sealed requestState) over stdio and HTTP.
 * A declined, cancelled or unticked form sends nothing upstream and says so; an accepted one sends the
 * write exactly once. Tampered, reused or mismatched state is refused with -32602 and sends nothing.
 */

import { randomBytes } from 'node:crypto';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { SyncGuardEmulator } from '../../src/sandbox/syncguard/index.js';
import {
  answerForm,
  closeFormClients,
  connectFormClient,
  connectRoundsClient,
  type Era,
  type FormClient,
  type FormUser,
  formUser,
  type RoundsCall,
  serveWithFormClient,
  type Transport,
} from '../helpers/form-client.js';
import { removePrincipalsFiles, sha256Hex, writePrincipalsFile } from '../helpers/teams.js';
import { childEnv, cleanup, startEmulator, startHttp, textOf } from './spawn.js';

afterEach(async () => {
  await closeFormClients();
  removePrincipalsFiles();
  await cleanup();
});

/** The admin toolsets: deactivate_tenant is destructive, create_tenant a write, list_tenants a read. */
const ARGS = ['--toolsets', 'syncguard,syncguard_admin'];

/** A SyncGuard emulator of the test's own, and the server's environment pointing at it. */
async function setup(): Promise<{ emulator: SyncGuardEmulator; env: Record<string, string> }> {
  const { emulator, baseUrl } = await startEmulator();
  return { emulator, env: childEnv({ SYNCGUARD_API_KEY: emulator.apiKey, SYNCGUARD_BASE_URL: baseUrl }) };
}

/** DELETE /tenants/:id requests the emulator received (deactivate_tenant's write). */
function deactivations(emulator: SyncGuardEmulator): number {
  return emulator.requests.filter((r) => r.method === 'DELETE' && /\/tenants\/[^/]+$/.test(r.path)).length;
}

async function newTenant(client: FormClient, externalId: string): Promise<string> {
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
  /** The server on `env` over `transport`, and a client of `era` whose forms `user` answers. */
  const connect = (env: Record<string, string>, user: FormUser) =>
    serveWithFormClient(
      era,
      transport,
      { args: ARGS, env },
      {
        name: 'confirm-e2e',
        user,
        elicitation: { form: {} },
      },
    );

  it('asks before a destructive call; declined → nothing sent, and the result says so', async () => {
    const { emulator, env } = await setup();
    const u = formUser({ action: 'decline' });
    const client = await connect(env, u);
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
    const u = formUser({ action: 'accept', content: { confirm: true } });
    const client = await connect(env, u);
    const id = await newTenant(client, 'globex');
    const result = await client.call('deactivate_tenant', { id });
    expect(result.isError, textOf(result)).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ id, isActive: false });
    expect(deactivations(emulator)).toBe(1);
    expect(u.asked).toHaveLength(1);
  });

  it('an unticked box or a cancelled form is a no', async () => {
    const { emulator, env } = await setup();
    const u = formUser({ action: 'accept', content: { confirm: false } }, { action: 'cancel' });
    const client = await connect(env, u);
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
    const u = formUser();
    const client = await connectFormClient({
      era: '2025',
      server: { args: ARGS, env },
      name: 'no-elicitation',
    });
    const created = await client.call('create_tenant', { externalId: 'x1' });
    const id = (created.structuredContent as { id: string }).id;
    const plain = await client.call('deactivate_tenant', { id });
    expect(plain.isError, textOf(plain)).toBeFalsy();
    expect(deactivations(emulator)).toBe(1);

    const off = await connectFormClient({
      era: '2025',
      server: { args: [...ARGS, '--confirm', 'off'], env },
      name: 'confirm-off',
      user: u,
    });
    const again = await off.call('deactivate_tenant', { id });
    expect(again.isError, textOf(again)).toBeFalsy();
    expect(u.asked).toEqual([]);
    expect(deactivations(emulator)).toBe(2);
  });

  it('--confirm writes asks before every write, and not before reads', async () => {
    const { emulator, env } = await setup();
    const u = formUser({ action: 'decline' });
    const client = await connectFormClient({
      era: '2025',
      server: { args: [...ARGS, '--confirm', 'writes'], env },
      name: 'writes',
      user: u,
    });
    const listed = await client.call('list_tenants', {});
    expect(listed.isError, textOf(listed)).toBeFalsy();
    expect(u.asked).toEqual([]);
    const created = await client.call('create_tenant', { externalId: 'w1' });
    expect(textOf(created)).toMatch(/not confirmed by the user \(declined\); nothing was changed/);
    expect(u.asked[0]?.message).toMatch(/^Register tenant w1 in SyncGuard\?/);
    expect(emulator.requests.filter((r) => r.method === 'POST')).toEqual([]);
  });
});

/** The user's yes to the confirm form, as a client that handles the rounds itself sends it back. */
const YES = { confirm: { action: 'accept', content: { confirm: true } } };

/** deactivate_tenant of `id` answered with YES, carrying `requestState` (none: a yes the model forged). */
const confirmedDeactivation = (id: string, requestState?: unknown) => ({
  name: 'deactivate_tenant',
  arguments: { id },
  inputResponses: YES,
  ...(requestState === undefined ? {} : { requestState }),
});

/** A new tenant's id, created through a rounds client (create_tenant is not asked under the default). */
async function newTenantVia(call: RoundsCall, externalId: string): Promise<string> {
  const created = (await call({ name: 'create_tenant', arguments: { externalId } })) as CallToolResult;
  return (created.structuredContent as { id: string }).id;
}

/** The error a call was refused with; fails when it was not refused. */
async function refusal(promise: Promise<unknown>): Promise<{ code: unknown; message: string }> {
  try {
    await promise;
  } catch (err) {
    return { code: (err as { code?: unknown }).code, message: (err as Error).message };
  }
  throw new Error('expected the call to be refused');
}

describe('2026-07-28 request state the client cannot forge', () => {
  /** The server on `env`, and a client that handles its input_required rounds by hand. */
  async function manual(env: Record<string, string>): Promise<RoundsCall> {
    const { url } = await startHttp(ARGS, env);
    return connectRoundsClient(url, 'manual-rounds');
  }

  it('answers input_required first; a forged yes without state is asked again; the right state runs once', async () => {
    const { emulator, env } = await setup();
    const call = await manual(env);
    const id = await newTenantVia(call, 'm1');
    const first = (await call({ name: 'deactivate_tenant', arguments: { id } })) as Record<string, unknown>;
    expect(first.resultType).toBe('input_required');
    const state = first.requestState;
    if (typeof state !== 'string') throw new Error('no requestState');
    expect(state).not.toContain(id);
    expect(first.inputRequests).toMatchObject({ confirm: { method: 'elicitation/create' } });

    // The model cannot answer for the user: a "yes" without this server's state is only asked again.
    const forged = (await call(confirmedDeactivation(id))) as Record<string, unknown>;
    expect(forged.resultType).toBe('input_required');
    expect(deactivations(emulator)).toBe(0);

    const done = (await call(confirmedDeactivation(id, state))) as CallToolResult;
    expect(done.isError, textOf(done)).toBeFalsy();
    expect(deactivations(emulator)).toBe(1);

    // The same state again: refused, nothing sent.
    const reused = await refusal(call(confirmedDeactivation(id, state)));
    expect(reused.code).toBe(-32602);
    expect(reused.message).toMatch(/requestState was already used/);
    expect(deactivations(emulator)).toBe(1);
  });

  it('refuses tampered state, and state issued for other arguments, with -32602 and sends nothing', async () => {
    const { emulator, env } = await setup();
    const call = await manual(env);
    const first = (await call({ name: 'deactivate_tenant', arguments: { id: 'ten_a' } })) as Record<
      string,
      unknown
    >;
    const state = first.requestState as string;
    const tampered = `s1.${state[3] === 'A' ? 'B' : 'A'}${state.slice(4)}`;
    const bad = await refusal(call(confirmedDeactivation('ten_a', tampered)));
    expect(bad.code).toBe(-32602);
    expect(bad.message).toMatch(/requestState failed its integrity check/);
    const other = await refusal(call(confirmedDeactivation('ten_b', state)));
    expect(other.code).toBe(-32602);
    expect(other.message).toMatch(/requestState was issued for another call/);
    const otherTool = await refusal(
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
    const { url } = await startHttp([...ARGS, '--stateless'], env);
    const u = formUser({ action: 'decline' }, { action: 'accept', content: { confirm: true } });
    const modern = await connectFormClient({ era: '2026', server: { url }, name: 'stateless-2026', user: u });
    const created = await modern.call('create_tenant', { externalId: 's1' });
    const id = (created.structuredContent as { id: string }).id;
    const declined = await modern.call('deactivate_tenant', { id });
    expect(textOf(declined)).toMatch(/not confirmed by the user \(declined\)/);
    expect(deactivations(emulator)).toBe(0);
    const accepted = await modern.call('deactivate_tenant', { id });
    expect(accepted.isError, textOf(accepted)).toBeFalsy();
    expect(deactivations(emulator)).toBe(1);
    expect(u.asked).toHaveLength(2);

    // A 2025 client on a stateless server has no session to be asked on: today's behaviour (its own prompt).
    const legacy = await connectFormClient({ era: '2025', server: { url }, name: 'stateless-2025', user: u });
    const plain = await legacy.call('deactivate_tenant', { id });
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
      const { url } = await startHttp(ARGS, { ...env, ...extra });
      return connectRoundsClient(url, 'replica');
    };
    const a = await replica({ SYN_MCP_STATE_KEY: key });
    const b = await replica({ SYN_MCP_STATE_KEY: key });
    const other = await replica({});
    const id = await newTenantVia(a, 'r1');

    const first = (await a({ name: 'deactivate_tenant', arguments: { id } })) as { requestState?: string };
    const refused = await refusal(other(confirmedDeactivation(id, first.requestState)));
    expect(refused.code).toBe(-32602);
    expect(refused.message).toMatch(/sealed with another key \(replicas must share SYN_MCP_STATE_KEY\)/);
    expect(deactivations(emulator)).toBe(0);

    const done = (await b(confirmedDeactivation(id, first.requestState))) as CallToolResult;
    expect(done.isError, textOf(done)).toBeFalsy();
    expect(deactivations(emulator)).toBe(1);
  });
});

describe('principals (HTTP for teams): the state is bound to the caller', () => {
  it('a state issued to alice is refused for bob with the same arguments, and still opens for alice', async () => {
    const { emulator, env } = await setup();
    const tokens = {
      alice: randomBytes(24).toString('base64url'),
      bob: randomBytes(24).toString('base64url'),
    };
    const principal = (name: 'alice' | 'bob') => ({
      name,
      tokenSha256: sha256Hex(tokens[name]),
      toolsets: ['syncguard', 'syncguard_admin'],
      credentials: { SYNCGUARD_API_KEY: 'env:TEAM_SYNCGUARD_KEY' },
    });
    const { url } = await startHttp([], {
      ...env,
      SYN_MCP_PRINCIPALS_FILE: writePrincipalsFile([principal('alice'), principal('bob')]),
      TEAM_SYNCGUARD_KEY: env.SYNCGUARD_API_KEY ?? '',
    });
    const as = (name: 'alice' | 'bob') =>
      connectRoundsClient(url, `principal-${name}`, { authorization: `Bearer ${tokens[name]}` });
    const alice = await as('alice');
    const bob = await as('bob');
    const id = await newTenantVia(alice, 'p1');
    const first = (await alice({ name: 'deactivate_tenant', arguments: { id } })) as {
      requestState?: string;
    };
    expect(typeof first.requestState).toBe('string');

    const refused = await refusal(bob(confirmedDeactivation(id, first.requestState)));
    expect(refused.code).toBe(-32602);
    expect(refused.message).toMatch(/requestState was issued for another call/);
    expect(deactivations(emulator)).toBe(0);

    const done = (await alice(confirmedDeactivation(id, first.requestState))) as CallToolResult;
    expect(done.isError, textOf(done)).toBeFalsy();
    expect(deactivations(emulator)).toBe(1);
  });
});

describe('the built server in --sandbox', () => {
  it('a declined delete leaves the embedded Synchronex decision in place; an accepted one removes it', async () => {
    const u = formUser({ action: 'decline' }, { action: 'accept', content: { confirm: true } });
    const client = await connectFormClient({
      era: '2026',
      server: { args: ['--sandbox', '--toolsets', 'all'], env: childEnv() },
      name: 'sandbox-2026',
      user: u,
    });
    const created = await client.call('create_decision', {
      decision: 'Ship the confirmation flow',
      product_name: 'syn-mcp',
    });
    expect(created.isError, textOf(created)).toBeFalsy();
    const id = (created.structuredContent as { id: string }).id;
    const found = async () =>
      JSON.stringify(
        (await client.call('search_decisions', { query: 'confirmation flow' })).structuredContent,
      ).includes(id);
    expect(await found()).toBe(true);

    const declined = await client.call('delete_decision', { id });
    expect(textOf(declined)).toMatch(/not confirmed by the user \(declined\); nothing was changed/);
    expect(u.asked[0]?.message).toMatch(new RegExp(`^Permanently delete Synchronex decision ${id}\\?`));
    expect(await found()).toBe(true);

    const accepted = await client.call('delete_decision', { id });
    expect(accepted.isError, textOf(accepted)).toBeFalsy();
    expect(await found()).toBe(false);
    expect(u.asked).toHaveLength(2);
  });
});

describe('typed confirmation (delete_account)', () => {
  it('a 2025 client must type the account id: a wrong id is a no and leaves it, the right one deletes it', async () => {
    const typed: string[] = [];
    const u = formUser(
      { action: 'accept', content: { confirm: 'acc_wrong' } },
      { action: 'accept', content: { confirm: 'ACCOUNT' } },
    );
    const client = await connectFormClient({
      era: '2025',
      server: { args: ['--sandbox', '--toolsets', 'synqly,synqly_admin'], env: childEnv() },
      name: 'typed',
      user: (params) => {
        typed.push(JSON.stringify(params.requestedSchema));
        const next = answerForm(u, params);
        // The user types the id the form names.
        if (next.content?.confirm === 'ACCOUNT') {
          const id = /Type (\S+) to confirm/.exec(JSON.stringify(params.requestedSchema))?.[1] ?? '';
          return { action: 'accept', content: { confirm: id } };
        }
        return next;
      },
    });
    const created = await client.call('create_account', { name: 'typed-confirm' });
    expect(created.isError, textOf(created)).toBeFalsy();
    const accountId = (created.structuredContent as { account: { id: string } }).account.id;

    const wrong = await client.call('delete_account', { accountId });
    expect(textOf(wrong)).toMatch(
      /not confirmed by the user \(the text typed was not .+\); nothing was changed/,
    );
    expect(u.asked[0]?.requestedSchema).toMatchObject({
      properties: { confirm: { type: 'string', title: `Type ${accountId} to confirm` } },
    });
    const listed = JSON.stringify((await client.call('list_accounts', {})).structuredContent);
    expect(listed).toContain(accountId);

    const right = await client.call('delete_account', { accountId });
    expect(right.isError, textOf(right)).toBeFalsy();
    expect(JSON.stringify((await client.call('list_accounts', {})).structuredContent)).not.toContain(
      accountId,
    );
    expect(typed).toHaveLength(2);
  });
});
