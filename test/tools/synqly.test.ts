import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Env } from '../../src/config.js';
import type { ClientPolicy } from '../../src/http/policy.js';
import { redact } from '../../src/http/redact.js';
import { ManualClock } from '../../src/sandbox/common/clock.js';
import type { RecordedRequest } from '../../src/sandbox/common/server.js';
import { createSynqlyEmulator, type SynqlyEmulator } from '../../src/sandbox/synqly/index.js';
import { createSynqlyToolsets } from '../../tools/synqly/index.js';
import { connectInProcess, type InProcess, jsonOf, textOf } from '../helpers/in-process.js';

const clock = new ManualClock(Date.now());
/** Minted tokens expire by the emulator's clock. */
const views = { now: () => clock.now() };
const registry = createSynqlyToolsets({ siemPollIntervalMs: 5 });
let emu: SynqlyEmulator;
let base: string;
let mcp: InProcess;
const extra: InProcess[] = [];

/** An extra in-process server with its own environment (closed after the test). */
async function connect(env: Env, policy: Partial<ClientPolicy> = {}): Promise<InProcess> {
  const c = await connectInProcess(
    { SYNQLY_BASE_URL: base, ...env },
    ['--toolsets', 'all'],
    policy,
    registry,
    undefined,
    undefined,
    views,
  );
  extra.push(c);
  return c;
}

beforeAll(async () => {
  emu = createSynqlyEmulator({ clock });
  base = await emu.listen();
});
afterAll(async () => {
  await emu.close();
});
// A server of its own per test: its minted tokens start empty.
beforeEach(async () => {
  emu.reset();
  mcp = await connectInProcess(
    { SYNQLY_ORG_TOKEN: emu.orgToken, SYNQLY_INTEGRATION_TOKEN: emu.integrationToken, SYNQLY_BASE_URL: base },
    ['--toolsets', 'all'],
    {},
    registry,
    undefined,
    undefined,
    views,
  );
});
afterEach(async () => {
  await mcp.close();
  for (const c of extra.splice(0)) await c.close();
});

type Json = Record<string, unknown>;
const ids = () => emu.ids;
const sc = (r: CallToolResult) => r.structuredContent as Json;
const only = (): RecordedRequest => {
  expect(emu.requests).toHaveLength(1);
  const r = emu.requests[0];
  if (!r) throw new Error('no upstream request');
  return r;
};
const ok = (r: CallToolResult): Json => {
  if (r.isError) throw new Error(`tool failed: ${textOf(r)}`);
  expect(jsonOf(r)).toEqual(r.structuredContent);
  return sc(r);
};
/** The multipart parts the emulator recorded for a request. */
const partsOf = (
  req: RecordedRequest | undefined,
): { name?: string; filename?: string; type?: string; content: Buffer }[] => {
  const form = (req?.body as { form?: { content?: unknown }[] } | undefined)?.form ?? [];
  return form.map((p) => ({ ...p, content: Buffer.isBuffer(p.content) ? p.content : Buffer.alloc(0) }));
};
/** The connector requests, without the Management look-up of the configured token's integration. */
const connectorOnly = (): RecordedRequest[] =>
  emu.requests.filter((r) => !/^\/v1\/(tokens|integrations)$/.test(r.path));
/** The one connector request a call sent. */
const theCall = (): RecordedRequest => {
  const sent = connectorOnly();
  expect(sent).toHaveLength(1);
  const r = sent[0];
  if (!r) throw new Error('no upstream request');
  return r;
};
/** The integration SYNQLY_INTEGRATION_TOKEN belongs to in the sandbox (the Splunk SIEM integration). */
const configured = () => ({
  accountId: ids().account,
  integrationId: ids().integrations.siem,
  name: 'splunk',
  provider: 'siem_splunk',
  category: 'siem',
  chosen_by: 'SYNQLY_INTEGRATION_TOKEN',
});
const orgAuth = () => `Bearer ${emu.orgToken}`;
const intAuth = () => `Bearer ${emu.integrationToken}`;

describe('toolsets', () => {
  it('puts reads in synqly (default), connector writes in synqly_write, admin writes in synqly_admin', () => {
    const [reads, writes, admin] = registry;
    expect(reads?.name).toBe('synqly');
    expect(reads?.default).toBe(true);
    expect(reads?.tools.every((t) => t.annotations.readOnlyHint)).toBe(true);
    expect(writes).toMatchObject({ name: 'synqly_write', default: false });
    expect(writes?.tools.map((t) => t.name).sort()).toEqual(
      [
        'create_notification',
        'create_ticket',
        'delete_file',
        'disable_identity_user',
        'enable_identity_user',
        'update_ticket',
        'upload_file',
      ].sort(),
    );
    expect(admin).toMatchObject({ name: 'synqly_admin', default: false });
    expect(admin?.tools.map((t) => t.name).sort()).toEqual(
      [
        'create_account',
        'create_integration',
        'create_integration_point',
        'create_integration_token',
        'delete_account',
        'delete_integration',
      ].sort(),
    );
    for (const ts of [writes, admin]) expect(ts?.tools.every((t) => !t.annotations.readOnlyHint)).toBe(true);
  });
});

describe('Management tools (organization token)', () => {
  it('list_accounts: GET /v1/accounts with the org token, no params by default', async () => {
    const out = ok(await mcp.call('list_accounts'));
    const req = only();
    expect(req.method).toBe('GET');
    expect(req.path).toBe('/v1/accounts');
    expect(req.query).toEqual({});
    expect(req.headers.authorization).toBe(orgAuth());
    expect(out.items).toEqual([
      expect.objectContaining({ id: ids().otherAccount, name: 'acme', environment: 'prod' }),
      expect.objectContaining({ id: ids().account, name: 'sandbox', environment: 'test' }),
    ]);
    expect(out.nextCursor).toBeUndefined();
  });

  it('list_accounts pages with limit + start_after (last name) behind an opaque cursor', async () => {
    const first = ok(await mcp.call('list_accounts', { limit: 1, filter: ['environment[ne]x'] }));
    expect(emu.requests[0]?.query).toEqual({ limit: '1', filter: 'environment[ne]x' });
    expect((first.items as Json[]).map((a) => a.name)).toEqual(['acme']);
    expect(typeof first.nextCursor).toBe('string');
    const second = ok(await mcp.call('list_accounts', { cursor: first.nextCursor }));
    expect(emu.requests[1]?.query).toEqual({ limit: '1', start_after: 'acme' });
    expect((second.items as Json[]).map((a) => a.name)).toEqual(['sandbox']);
    const third = ok(await mcp.call('list_accounts', { cursor: second.nextCursor }));
    expect(emu.requests[2]?.query).toEqual({ limit: '1', start_after: 'sandbox' });
    expect(third.items).toEqual([]);
    expect(third.nextCursor).toBeUndefined();
  });

  it('list_accounts follows an upstream cursor when one comes back', async () => {
    emu.managementCursor = true;
    const first = ok(await mcp.call('list_accounts', { limit: 1 }));
    const second = ok(await mcp.call('list_accounts', { cursor: first.nextCursor }));
    expect(emu.requests[1]?.query).toEqual({ limit: '1', cursor: 'acme' });
    expect((second.items as Json[]).map((a) => a.name)).toEqual(['sandbox']);
    expect(second.nextCursor).toBeUndefined();
  });

  it('refuses a cursor of another tool before sending anything', async () => {
    const first = ok(await mcp.call('list_accounts', { limit: 1 }));
    emu.requests.length = 0;
    const r = await mcp.call('list_tokens', { cursor: first.nextCursor });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/cursor is not one that list_tokens returned/);
    expect(emu.requests).toHaveLength(0);
  });

  it('get_account: GET /v1/accounts/{accountId}', async () => {
    const out = ok(await mcp.call('get_account', { accountId: ids().account }));
    expect(only()).toMatchObject({ method: 'GET', path: `/v1/accounts/${ids().account}` });
    expect(only().headers.authorization).toBe(orgAuth());
    expect(out.account).toMatchObject({ id: ids().account, name: 'sandbox', fullname: 'Sandbox Account' });
  });

  it('get_account surfaces the 404 Problem with its detail and remediation, and names list_accounts', async () => {
    const r = await mcp.call('get_account', { accountId: 'missing-account' });
    expect(r.isError).toBe(true);
    const text = textOf(r);
    expect(text).toMatch(/Synqly: not found \(HTTP 404\)[\s\S]*message: Account not found/);
    expect(text).toMatch(/No account with ID 'missing-account' exists/);
    // The remediation only pointed at a REST call the model cannot make: the hint names the tool instead.
    expect(text).not.toMatch(/remediation:|GET \//);
    expect(text).toMatch(/list valid ones with `list_accounts`/);
  });

  it('create_account: POST /v1/accounts with exactly the given fields', async () => {
    const args = { name: 'globex', fullname: 'Globex', environment: 'test', labels: ['eu'] };
    const out = ok(await mcp.call('create_account', args));
    const req = only();
    expect(req).toMatchObject({ method: 'POST', path: '/v1/accounts', body: args });
    expect(req.headers.authorization).toBe(orgAuth());
    expect(req.headers['content-type']).toBe('application/json');
    expect(out.account).toMatchObject({ name: 'globex', environment: 'test', labels: ['eu'] });
    expect(typeof (out.account as Json).id).toBe('string');
  });

  it('create_account surfaces a 409 conflict', async () => {
    const r = await mcp.call('create_account', { name: 'sandbox' });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/conflict \(HTTP 409\)[\s\S]*message: Account already exists/);
  });

  it('delete_account: DELETE /v1/accounts/{accountId}', async () => {
    const out = ok(await mcp.call('delete_account', { accountId: ids().otherAccount }));
    expect(only()).toMatchObject({
      method: 'DELETE',
      path: `/v1/accounts/${ids().otherAccount}`,
      body: undefined,
    });
    expect(out).toEqual({ deleted: true, accountId: ids().otherAccount });
  });

  it('list_integrations: per account or organization-wide, without provider credentials', async () => {
    const own = ok(await mcp.call('list_integrations', { accountId: ids().account, limit: 2 }));
    expect(emu.requests[0]).toMatchObject({
      method: 'GET',
      path: `/v1/integrations/${ids().account}`,
      query: { limit: '2' },
    });
    expect((own.items as Json[]).map((i) => i.name)).toEqual(['jira', 'okta']);
    expect(own.items).toEqual([
      expect.objectContaining({
        category: 'ticketing',
        provider_type: 'ticketing_jira',
        account_id: ids().account,
      }),
      expect.objectContaining({ category: 'identity' }),
    ]);
    expect(textOf(await mcp.call('list_integrations'))).not.toMatch(/provider-secret|provider_config/);
    expect(emu.requests[1]).toMatchObject({ method: 'GET', path: '/v1/integrations', query: {} });
  });

  it('get_integration: GET /v1/integrations/{accountId}/{integrationId}', async () => {
    const out = ok(
      await mcp.call('get_integration', { accountId: ids().account, integrationId: ids().integrations.siem }),
    );
    expect(only().path).toBe(`/v1/integrations/${ids().account}/${ids().integrations.siem}`);
    expect(out.integration).toMatchObject({
      id: ids().integrations.siem,
      name: 'splunk',
      integration_point_id: ids().integrationPoint,
    });
  });

  it('create_integration: POST body as given; the token pair is shown once, then redacted', async () => {
    const args = {
      accountId: ids().account,
      name: 'jira-eu',
      provider_config: {
        type: 'ticketing_jira',
        url: 'https://eu.atlassian.net',
        credential: { type: 'token' },
      },
      integration_point_id: ids().integrationPoint,
    };
    const r = await mcp.call('create_integration', args);
    const out = ok(r);
    const req = only();
    expect(req).toMatchObject({ method: 'POST', path: `/v1/integrations/${ids().account}` });
    expect(req.body).toEqual({
      name: 'jira-eu',
      provider_config: args.provider_config,
      integration_point_id: ids().integrationPoint,
    });
    expect(req.headers.authorization).toBe(orgAuth());
    const token = out.token as { access: Json; refresh: Json };
    expect(token.access.secret).toMatch(/^synqly-int-/);
    expect(token.refresh.secret).toMatch(/^synqly-ref-/);
    expect(textOf(r)).toContain(String(token.access.secret));
    expect(out.note).toMatch(/shown once/);
    expect(out.integration).toMatchObject({ name: 'jira-eu', category: 'ticketing' });
    expect(redact(`x ${String(token.access.secret)} y`)).toBe('x [REDACTED] y');
  });

  it('create_integration refuses a provider_config without type before sending', async () => {
    const r = await mcp.call('create_integration', {
      accountId: ids().account,
      provider_config: { url: 'x' },
    });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/provider_config\.type is required/);
    expect(emu.requests).toHaveLength(0);
  });

  it('delete_integration: DELETE /v1/integrations/{accountId}/{integrationId}', async () => {
    const args = { accountId: ids().account, integrationId: ids().integrations.notifications };
    ok(await mcp.call('delete_integration', args));
    expect(only()).toMatchObject({
      method: 'DELETE',
      path: `/v1/integrations/${ids().account}/${ids().integrations.notifications}`,
    });
  });

  it('list_integration_points and create_integration_point', async () => {
    const list = ok(await mcp.call('list_integration_points'));
    expect(emu.requests[0]).toMatchObject({ method: 'GET', path: '/v1/integration-points', query: {} });
    expect(list.items).toEqual([
      expect.objectContaining({
        id: ids().integrationPoint,
        connector: 'siem',
        environments: expect.any(Object),
      }),
    ]);
    const args = { connector: 'ticketing', environments: { prod: ['ticketing_jira'] }, name: 'tickets' };
    const created = ok(await mcp.call('create_integration_point', args));
    expect(emu.requests[1]).toMatchObject({ method: 'POST', path: '/v1/integration-points', body: args });
    expect(created.integration_point).toMatchObject({ name: 'tickets', connector: 'ticketing' });
  });

  it('list_tokens lists metadata and never a token secret', async () => {
    const r = await mcp.call('list_tokens', { limit: 50 });
    const out = ok(r);
    expect(only()).toMatchObject({ method: 'GET', path: '/v1/tokens', query: { limit: '50' } });
    expect((out.items as Json[]).length).toBe(6);
    expect(out.items).toContainEqual(
      expect.objectContaining({ owner_type: 'organization', name: 'sandbox-org' }),
    );
    const text = textOf(r);
    expect(text).not.toContain(emu.orgToken);
    expect(text).not.toContain(emu.integrationToken);
    expect(text).not.toMatch(/secret|synqly-(int|ref|org)-|REDACTED/);
  });

  it('create_integration_token: POST /v1/tokens/{a}/{i} with the org token; the secret is shown once', async () => {
    const args = {
      accountId: ids().account,
      integrationId: ids().integrations.ticketing,
      name: 'partner',
      token_ttl: '1h',
    };
    const r = await mcp.call('create_integration_token', args);
    const out = ok(r);
    const req = only();
    expect(req).toMatchObject({
      method: 'POST',
      path: `/v1/tokens/${ids().account}/${ids().integrations.ticketing}`,
      body: { name: 'partner', token_ttl: '1h' },
    });
    expect(req.headers.authorization).toBe(orgAuth());
    expect(out.secret).toBe(emu.mintedTokens[0]);
    expect(out.expires).toBe(new Date(clock.now() + 3_600_000).toISOString());
    expect(out.note).toMatch(/shown once/);
    // Registered for redaction: any later result or log line hides it.
    expect(redact(`token=${String(out.secret)}`)).toBe('token=[REDACTED]');
  });

  it('management tools never send the integration token', async () => {
    const c = await connect({ SYNQLY_INTEGRATION_TOKEN: emu.integrationToken });
    const r = await c.call('list_accounts');
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/need the organization token: set SYNQLY_ORG_TOKEN/);
    expect(emu.requests).toHaveLength(0);
  });

  it('a refused org token (wrong kind) says SYNQLY_ORG_TOKEN was refused, with the remediation', async () => {
    const c = await connect({ SYNQLY_ORG_TOKEN: emu.integrationToken });
    const r = await c.call('list_accounts');
    expect(r.isError).toBe(true);
    const text = textOf(r);
    expect(text).toMatch(
      /refused the credential \(HTTP 403\)[\s\S]*message: Integration tokens cannot be used with the Management API/,
    );
    expect(text).toMatch(/The key in SYNQLY_ORG_TOKEN is not allowed/);
    expect(text).toMatch(/remediation: Use an organization token/);
    expect(text).not.toContain(emu.integrationToken);
  });

  it('a 402 says the organization is disabled and the token works, with the next step', async () => {
    // api-notes §1: SDK 2.0.26 added 402 PaymentRequired, "organization disabled".
    const body = { status: 402, message: 'organization disabled', occurred_at: '2026-01-01T00:00:00Z' };
    emu.inject({ path: '/v1/accounts', fault: { kind: 'status', status: 402, body } });
    const r = await mcp.call('list_accounts');
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(
      /^Synqly refused this: the organization is disabled \(HTTP 402, payment required\); the key in SYNQLY_ORG_TOKEN works\. Tell the user the organization must be enabled again with Synqly \(its plan or payment\); changing the key or retrying will not help until then\.[\s\S]*message: organization disabled/,
    );
  });
});

describe('Connector tools (integration token)', () => {
  it('query_siem_events polls a PENDING query with its cursor and returns the COMPLETE page', async () => {
    const out = ok(await mcp.call('query_siem_events', { limit: 4, filter: ['severity[ne]High'] }));
    expect(connectorOnly()).toHaveLength(2);
    const [first, second] = connectorOnly();
    expect(first).toMatchObject({
      method: 'GET',
      path: '/v1/siem/events',
      query: { limit: '4', filter: 'severity[ne]High' },
    });
    expect(first?.headers.authorization).toBe(intAuth());
    expect(typeof second?.query.cursor).toBe('string');
    expect(second?.query).toMatchObject({ limit: '4', filter: 'severity[ne]High' });
    expect(out).toMatchObject({ status: 'COMPLETE', polls: 1, integration: configured() });
    expect(out.items).toHaveLength(4);
    expect((out.items as Json[])[0]).toMatchObject({ class_name: 'Authentication' });
    const next = ok(await mcp.call('query_siem_events', { limit: 4, cursor: out.nextCursor }));
    expect(typeof connectorOnly()[2]?.query.cursor).toBe('string');
    expect(connectorOnly()[2]?.query.cursor).not.toBe(second?.query.cursor);
    expect(next).toMatchObject({ status: 'COMPLETE', polls: 0 });
    expect(next.items).toHaveLength(2);
    expect(next.nextCursor).toBeUndefined();
  });

  it('query_siem_events reports PENDING honestly with a cursor when the deadline comes first', async () => {
    emu.siemPendingPolls = 1_000_000;
    const c = await connect({ SYNQLY_INTEGRATION_TOKEN: emu.integrationToken }, { callDeadlineMs: 400 });
    const out = ok(await c.call('query_siem_events', {}));
    expect(out.status).toBe('PENDING');
    expect(out.items).toEqual([]);
    expect(out.note).toMatch(/still running/);
    expect(typeof out.nextCursor).toBe('string');
    expect(out.polls).toBeGreaterThan(0);
    expect(emu.requests.length).toBe(Number(out.polls) + 1);
    const pendingCursor = emu.requests.at(-1)?.query.cursor;
    emu.requests.length = 0;
    const again = ok(await c.call('query_siem_events', { cursor: out.nextCursor }));
    expect(emu.requests[0]?.query.cursor).toBe(pendingCursor);
    expect(again.status).toBe('PENDING');
  });

  it('query_siem_events does not call an answer without status COMPLETE; it says results may be partial', async () => {
    const event = { class_name: 'Authentication', metadata: { uid: 'evt-x' } };
    emu.inject({
      path: '/v1/siem/events',
      fault: { kind: 'status', status: 200, body: { result: [event], cursor: '' } },
    });
    const out = ok(await mcp.call('query_siem_events', {}));
    expect(theCall().path).toBe('/v1/siem/events');
    expect(out).toMatchObject({ status: null, items: [event], polls: 0 });
    expect(out.nextCursor).toBeUndefined();
    expect(out.note).toMatch(
      /did not say whether the query finished \(no status\): these results may be partial/,
    );
  });

  it('query_siem_events sends include_raw_data', async () => {
    emu.siemPendingPolls = 0;
    const out = ok(await mcp.call('query_siem_events', { include_raw_data: true, limit: 1 }));
    expect(theCall().query).toEqual({ include_raw_data: 'true', limit: '1' });
    expect(typeof (out.items as Json[])[0]?.raw_data).toBe('string');
  });

  it('query_identity_audit_log: GET /v1/identity/audit with cursor paging', async () => {
    const first = ok(await mcp.call('query_identity_audit_log', { limit: 3, order: ['time[desc]'] }));
    expect(connectorOnly()[0]).toMatchObject({
      method: 'GET',
      path: '/v1/identity/audit',
      query: { limit: '3', order: 'time[desc]' },
    });
    expect(connectorOnly()[0]?.headers.authorization).toBe(intAuth());
    expect(first.items).toHaveLength(3);
    expect(first.integration).toEqual(configured());
    const second = ok(await mcp.call('query_identity_audit_log', { limit: 3, cursor: first.nextCursor }));
    expect(typeof connectorOnly()[1]?.query.cursor).toBe('string');
    expect(second.items).toHaveLength(1);
    expect(second.nextCursor).toBeUndefined();
  });

  it('list_identity_users, disable_identity_user and enable_identity_user', async () => {
    const users = ok(await mcp.call('list_identity_users', { filter: ['name[eq]bob'] }));
    expect(emu.requests[0]).toMatchObject({
      method: 'GET',
      path: '/v1/identity/users',
      query: { filter: 'name[eq]bob' },
    });
    expect(users.items).toEqual([expect.objectContaining({ uid: 'u-1002', status: 'ACTIVE' })]);
    emu.requests.length = 0;
    const off = ok(await mcp.call('disable_identity_user', { userId: 'u-1002' }));
    expect(theCall()).toMatchObject({
      method: 'POST',
      path: '/v1/identity/users/u-1002/actions/disable',
      body: undefined,
    });
    expect(theCall().headers.authorization).toBe(intAuth());
    expect(off).toEqual({ userId: 'u-1002', action: 'disable', done: true, integration: configured() });
    const after = ok(await mcp.call('list_identity_users', { filter: ['uid[eq]u-1002'] }));
    expect((after.items as Json[])[0]?.status).toBe('SUSPENDED');
    emu.requests.length = 0;
    ok(await mcp.call('enable_identity_user', { userId: 'u-1002' }));
    expect(theCall().path).toBe('/v1/identity/users/u-1002/actions/enable');
    const missing = await mcp.call('disable_identity_user', { userId: 'ghost' });
    expect(missing.isError).toBe(true);
    expect(textOf(missing)).toMatch(/list_identity_users[\s\S]*User not found/);
  });

  it('query_tickets: GET /v1/ticketing/tickets', async () => {
    const out = ok(await mcp.call('query_tickets', { limit: 1 }));
    expect(theCall()).toMatchObject({ method: 'GET', path: '/v1/ticketing/tickets', query: { limit: '1' } });
    expect(out.items).toEqual([
      expect.objectContaining({ id: 'SBX-1', priority: 'HIGH', tags: ['security', 'auth'] }),
    ]);
    expect(typeof out.nextCursor).toBe('string');
  });

  it('an empty page with a new cursor is not the last page (seed 000: only an empty or null cursor ends)', async () => {
    // A connector that filters after paging its provider may answer a page with nothing on it but more after.
    emu.inject({
      path: '/v1/ticketing/tickets',
      fault: { kind: 'status', status: 200, body: { result: [], cursor: 'provider-page-2' } },
    });
    const empty = ok(await mcp.call('query_tickets', { limit: 1 }));
    expect(empty.items).toEqual([]);
    expect(typeof empty.nextCursor).toBe('string');
    emu.inject({
      path: '/v1/ticketing/tickets',
      fault: { kind: 'status', status: 200, body: { result: [], cursor: 'provider-page-2' } },
    });
    const stuck = ok(await mcp.call('query_tickets', { cursor: empty.nextCursor }));
    expect(emu.requests.at(-1)?.query.cursor).toBe('provider-page-2');
    // The same cursor answered with nothing again: the end, not an endless loop.
    expect(stuck.nextCursor).toBeUndefined();
    emu.siemPendingPolls = 0;
    emu.inject({
      path: '/v1/siem/events',
      fault: { kind: 'status', status: 200, body: { result: [], cursor: 'more', status: 'COMPLETE' } },
    });
    const siem = ok(await mcp.call('query_siem_events', {}));
    expect(siem).toMatchObject({ status: 'COMPLETE', items: [] });
    expect(typeof siem.nextCursor).toBe('string');
  });

  it('create_ticket: POST with exactly the CreateTicketRequest fields given', async () => {
    const args = {
      name: 'Block 203.0.113.7',
      description: 'Repeated failed logins',
      priority: 'URGENT',
      project: 'SEC',
      tags: ['auth'],
      custom_fields: { team: 'blue' },
    };
    const out = ok(await mcp.call('create_ticket', args));
    const req = theCall();
    expect(req).toMatchObject({ method: 'POST', path: '/v1/ticketing/tickets', body: args });
    expect(req.headers.authorization).toBe(intAuth());
    expect(out.ticket).toMatchObject({
      id: 'SEC-3',
      name: args.name,
      priority: 'URGENT',
      custom_fields: { team: 'blue' },
    });
    expect(out.integration).toEqual(configured());
  });

  it('update_ticket: PATCH with the JSON Patch operations as the body', async () => {
    const operations = [
      { op: 'replace', path: '/status', value: 'Done' },
      { op: 'add', path: '/tags/-', value: 'closed' },
    ];
    const out = ok(await mcp.call('update_ticket', { ticketId: 'SBX-1', operations }));
    expect(theCall()).toMatchObject({
      method: 'PATCH',
      path: '/v1/ticketing/tickets/SBX-1',
      body: operations,
    });
    expect(out.integration).toEqual(configured());
    expect(out.ticket).toMatchObject({ id: 'SBX-1', status: 'Done', tags: ['security', 'auth', 'closed'] });
  });

  it('update_ticket surfaces a 400 Problem about a field', async () => {
    const r = await mcp.call('update_ticket', {
      ticketId: 'SBX-1',
      operations: [{ op: 'replace', path: '/created_at', value: 'x' }],
    });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(
      /rejected the request \(HTTP 400\)[\s\S]*message: Field \/created_at cannot be changed/,
    );
  });

  it('list_storage_files: GET /v1/storage/folders/{path*}, each segment encoded', async () => {
    const out = ok(await mcp.call('list_storage_files', { path: 'reports', limit: 10 }));
    expect(theCall()).toMatchObject({
      method: 'GET',
      path: '/v1/storage/folders/reports',
      query: { limit: '10' },
    });
    expect(out.items).toEqual([{ path: 'reports/2024/logo.png' }, { path: 'reports/summary.txt' }]);
  });

  it('upload_file: multipart with a single part named file; text content', async () => {
    const out = ok(await mcp.call('upload_file', { path: 'notes/é 1.txt', content: 'héllo\n' }));
    const req = theCall();
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/v1/storage/files/notes/%C3%A9%201.txt');
    expect(req.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(req.headers.authorization).toBe(intAuth());
    const form = partsOf(req);
    expect(form).toHaveLength(1);
    expect(form[0]).toMatchObject({ name: 'file', filename: 'é 1.txt', type: 'text/plain; charset=utf-8' });
    expect(form[0]?.content.toString('utf8')).toBe('héllo\n');
    expect(out).toEqual({
      path: 'notes/é 1.txt',
      size: 7,
      content_type: 'text/plain; charset=utf-8',
      uploaded: true,
      integration: configured(),
      note:
        'Synqly accepted the upload (HTTP 204) but its answer does not show the file: path, size and ' +
        'content_type are what was sent, not confirmed by Synqly. download_file or list_storage_files shows ' +
        'what the storage holds.',
    });
  });

  it('upload_file takes base64 and download_file returns binary as base64, text as text', async () => {
    const bytes = Buffer.from([0x00, 0xff, 0x10, 0x80, 0x7f]);
    ok(
      await mcp.call('upload_file', {
        path: 'bin/x.dat',
        content: bytes.toString('base64'),
        encoding: 'base64',
      }),
    );
    const form = partsOf(connectorOnly()[0]);
    expect(form[0]?.content.equals(bytes)).toBe(true);
    expect(form[0]?.type).toBe('application/octet-stream');
    const bin = ok(await mcp.call('download_file', { path: 'bin/x.dat' }));
    expect(connectorOnly()[1]).toMatchObject({ method: 'GET', path: '/v1/storage/files/bin/x.dat' });
    expect(connectorOnly()[1]?.headers.accept).toBe('*/*');
    expect(bin).toEqual({
      path: 'bin/x.dat',
      size: 5,
      content_type: 'application/octet-stream',
      encoding: 'base64',
      content: bytes.toString('base64'),
      integration: configured(),
    });
    const text = ok(await mcp.call('download_file', { path: 'reports/summary.txt' }));
    expect(text).toMatchObject({
      encoding: 'utf8',
      content: expect.stringMatching(/^Weekly security summary/),
    });
  });

  it('upload_file refuses content over 5 MiB, bad base64 and ".." paths before sending', async () => {
    const big = await mcp.call('upload_file', { path: 'a.txt', content: 'x'.repeat(5 * 1024 * 1024 + 1) });
    expect(big.isError).toBe(true);
    expect(textOf(big)).toMatch(/at most 5242880 bytes \(5 MiB\)/);
    const bad = await mcp.call('upload_file', { path: 'a.bin', content: 'not base64!', encoding: 'base64' });
    expect(textOf(bad)).toMatch(/content is not valid base64/);
    const dots = await mcp.call('upload_file', { path: 'a/../../etc/passwd', content: 'x' });
    expect(dots.isError).toBe(true);
    expect(textOf(dots)).toMatch(/path .* is not a valid id/);
    expect(emu.requests).toHaveLength(0);
  });

  it('download_file refuses a file over 5 MiB and surfaces a 404', async () => {
    const big = Buffer.alloc(5 * 1024 * 1024 + 10, 0x61).toString('base64');
    // Upload through the emulator directly (the tool itself refuses > 5 MiB).
    const form = new FormData();
    form.append('file', new Blob([Buffer.from(big, 'base64')]), 'big.txt');
    const up = await fetch(`${base}/v1/storage/files/big.txt`, {
      method: 'POST',
      headers: { authorization: intAuth() },
      body: form,
    });
    expect(up.status).toBe(204);
    const r = await mcp.call('download_file', { path: 'big.txt' });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/big\.txt is larger than 5242880 bytes \(5 MiB\)/);
    const missing = await mcp.call('download_file', { path: 'nope.txt' });
    expect(textOf(missing)).toMatch(
      /not found \(HTTP 404\).*list_storage_files[\s\S]*message: File not found/,
    );
  });

  it('delete_file: DELETE /v1/storage/files/{path*}', async () => {
    const out = ok(await mcp.call('delete_file', { path: 'reports/summary.txt' }));
    expect(theCall()).toMatchObject({ method: 'DELETE', path: '/v1/storage/files/reports/summary.txt' });
    expect(out).toEqual({ deleted: true, path: 'reports/summary.txt', integration: configured() });
  });

  it('create_notification: POST /v1/notifications/create', async () => {
    const args = { summary: 'Suspicious logins for alice', priority: 'HIGH', project: '#security' };
    const out = ok(await mcp.call('create_notification', args));
    expect(theCall()).toMatchObject({ method: 'POST', path: '/v1/notifications/create', body: args });
    expect(out.integration).toEqual(configured());
    expect(out.notification).toMatchObject({ summary: args.summary, priority: 'HIGH' });
    expect(typeof (out.notification as Json).id).toBe('string');
  });

  it('writes answered without the object (an empty 204, a result without id) say so, and show nothing of it', async () => {
    const cases = [
      [
        'create_ticket',
        { name: 'T', summary: 'S' },
        '/v1/ticketing/tickets',
        'ticket',
        'whether it was created is not confirmed; check with query_tickets before creating it again',
      ],
      [
        'update_ticket',
        { ticketId: 'SEC-1', operations: [{ op: 'replace', path: '/status', value: 'DONE' }] },
        '/v1/ticketing/tickets/SEC-1',
        'ticket',
        'the update is not confirmed; query_tickets shows the ticket',
      ],
      [
        'create_notification',
        { summary: 'S', priority: 'HIGH' },
        '/v1/notifications/create',
        'notification',
        'whether it was sent is not confirmed; ask the user before sending it again',
      ],
      [
        'create_account',
        { name: 'globex', fullname: 'Globex' },
        '/v1/accounts',
        'account',
        'whether it was created is not confirmed; check with list_accounts before creating it again',
      ],
      [
        'create_integration_point',
        { connector: 'ticketing', environments: {}, name: 'tickets' },
        '/v1/integration-points',
        'integration point',
        'whether it was created is not confirmed; check with list_integration_points before creating it again',
      ],
    ] as const;
    for (const [tool, args, path, what, meaning] of cases) {
      for (const fault of [
        { kind: 'status' as const, status: 204 },
        { kind: 'status' as const, status: 200, body: { result: { name: 'x' } } },
      ]) {
        emu.inject({ path, fault });
        const out = ok(await mcp.call(tool, args));
        const key = tool === 'create_integration_point' ? 'integration_point' : what;
        const shown = fault.status === 204 ? { id: '' } : { id: '', name: 'x' };
        // create_account reads result.account: a result without it shows nothing either.
        expect(out[key], tool).toEqual(tool === 'create_account' ? { id: '' } : shown);
        expect(out.note, tool).toBe(`Synqly's answer did not show the ${what} (no id): ${meaning}.`);
      }
    }
    emu.clearFaults();
    const made = ok(await mcp.call('create_ticket', { name: 'Real' }));
    expect(made).not.toHaveProperty('note');
  });

  it('a refused integration token (wrong kind) says SYNQLY_INTEGRATION_TOKEN was refused', async () => {
    const c = await connect({ SYNQLY_INTEGRATION_TOKEN: emu.orgToken });
    const r = await c.call('query_tickets', {});
    expect(r.isError).toBe(true);
    const text = textOf(r);
    expect(text).toMatch(
      /HTTP 403\)[\s\S]*message: Organization tokens cannot be used with the Connector API/,
    );
    expect(text).toMatch(/The key in SYNQLY_INTEGRATION_TOKEN is not allowed/);
    expect(text).toMatch(/remediation: Use an integration token for the Connector API\.\ncode:/);
    expect(text).not.toMatch(/POST \//);
  });
});

describe('integration tokens minted by syn-mcp', () => {
  const target = () => ({ accountId: ids().account, integrationId: ids().integrations.ticketing });

  it('work with only an organization token: mint with the org token, then call with the minted token', async () => {
    const c = await connect({ SYNQLY_ORG_TOKEN: emu.orgToken });
    const r = await c.call('query_tickets', { ...target(), limit: 1 });
    ok(r);
    expect(emu.requests).toHaveLength(2);
    const [mint, query] = emu.requests;
    expect(mint).toMatchObject({
      method: 'POST',
      path: `/v1/tokens/${ids().account}/${ids().integrations.ticketing}`,
      body: {},
    });
    expect(mint?.headers.authorization).toBe(orgAuth());
    const minted = emu.mintedTokens[0] ?? '';
    expect(minted).not.toBe('');
    expect(query).toMatchObject({ method: 'GET', path: '/v1/ticketing/tickets', query: { limit: '1' } });
    expect(query?.headers.authorization).toBe(`Bearer ${minted}`);
    expect(JSON.stringify(r)).not.toContain(minted);
  });

  it('cache the token per account + integration until shortly before it expires, then mint again', async () => {
    const c = await connect({ SYNQLY_ORG_TOKEN: emu.orgToken });
    ok(await c.call('query_tickets', target()));
    ok(await c.call('create_ticket', { ...target(), name: 'cached' }));
    expect(emu.mintedTokens).toHaveLength(1);
    expect(emu.requests.map((q) => q.method)).toEqual(['POST', 'GET', 'POST']);
    expect(emu.requests[2]?.headers.authorization).toBe(`Bearer ${emu.mintedTokens[0]}`);
    // Another integration gets its own token.
    ok(
      await c.call('list_identity_users', {
        accountId: ids().account,
        integrationId: ids().integrations.identity,
      }),
    );
    expect(emu.mintedTokens).toHaveLength(2);
    clock.advance(8 * 60_000);
    ok(await c.call('query_tickets', target()));
    expect(emu.mintedTokens).toHaveLength(2);
    clock.advance(90_000); // 9.5 min: inside the safety margin before the 10-minute expiry
    emu.requests.length = 0;
    ok(await c.call('query_tickets', target()));
    expect(emu.mintedTokens).toHaveLength(3);
    expect(emu.requests.map((q) => q.method)).toEqual(['POST', 'GET']);
    expect(emu.requests[1]?.headers.authorization).toBe(`Bearer ${emu.mintedTokens[2]}`);
  });

  it('replace a cached token the API refuses with 401 (revoked) once, and carry on', async () => {
    const c = await connect({ SYNQLY_ORG_TOKEN: emu.orgToken });
    ok(await c.call('query_tickets', target()));
    emu.reset(); // revokes every minted token, keeps the seeded ids
    const r = await c.call('query_tickets', target());
    ok(r);
    expect(emu.requests.map((q) => `${q.method} ${q.path}`)).toEqual([
      'GET /v1/ticketing/tickets',
      `POST /v1/tokens/${ids().account}/${ids().integrations.ticketing}`,
      'GET /v1/ticketing/tickets',
    ]);
    expect(emu.mintedTokens).toHaveLength(1);
  });

  it('are used instead of SYNQLY_INTEGRATION_TOKEN when ids are given', async () => {
    ok(await mcp.call('query_tickets', target()));
    expect(emu.requests.map((q) => q.headers.authorization)).toEqual([
      orgAuth(),
      `Bearer ${emu.mintedTokens[0]}`,
    ]);
  });

  it('never appear in results, failing calls included', async () => {
    const c = await connect({ SYNQLY_ORG_TOKEN: emu.orgToken });
    const results: CallToolResult[] = [];
    results.push(await c.call('query_tickets', target()));
    const minted = emu.mintedTokens[0] ?? '';
    expect(minted.length).toBeGreaterThan(20);
    results.push(
      await c.call('update_ticket', {
        ...target(),
        ticketId: 'NOPE-1',
        operations: [{ op: 'remove', path: '/x' }],
      }),
    );
    emu.inject({
      fault: {
        kind: 'status',
        status: 400,
        body: { message: `bad token ${minted}`, status: 400, remediation: `use ${minted}` },
      },
      path: '/v1/ticketing/tickets',
    });
    results.push(await c.call('query_tickets', target()));
    emu.inject({ fault: { kind: 'status', status: 500 }, path: '/v1/ticketing/tickets', times: 3 });
    results.push(await c.call('create_ticket', { ...target(), name: 'x' }));
    expect(results.map((r) => r.isError === true)).toEqual([false, true, true, true]);
    expect(redact(`log line ${minted}`)).toBe('log line [REDACTED]');
    expect(textOf(results[2] as CallToolResult)).toMatch(
      /bad token \[REDACTED\][\s\S]*remediation: use \[REDACTED\]/,
    );
    for (const r of results) expect(JSON.stringify(r)).not.toContain(minted);
  });

  it('a missing token names the env var to set', async () => {
    const onlyInt = await connect({ SYNQLY_INTEGRATION_TOKEN: emu.integrationToken });
    const r1 = await onlyInt.call('query_tickets', target());
    expect(r1.isError).toBe(true);
    expect(textOf(r1)).toMatch(/needs SYNQLY_ORG_TOKEN, which syn-mcp uses to mint an integration token/);
    const onlyOrg = await connect({ SYNQLY_ORG_TOKEN: emu.orgToken });
    const r2 = await onlyOrg.call('query_tickets', {});
    expect(r2.isError).toBe(true);
    expect(textOf(r2)).toMatch(/pass accountId and integrationId .* or set SYNQLY_INTEGRATION_TOKEN/);
    const half = await mcp.call('query_tickets', { accountId: ids().account });
    expect(textOf(half)).toMatch(/integrationId: required together with the other id/);
    expect(emu.requests).toHaveLength(0);
  });

  it('a refused mint says the organization token (used to mint) was refused', async () => {
    const c = await connect({ SYNQLY_ORG_TOKEN: 'synqly-org-not-a-real-token-000' });
    const r = await c.call('query_tickets', target());
    expect(r.isError).toBe(true);
    const text = textOf(r);
    expect(text).toMatch(/HTTP 401\)[\s\S]*message: Invalid or revoked token/);
    expect(text).toMatch(/SYNQLY_ORG_TOKEN \(used to mint an integration token\)/);
    expect(emu.requests).toHaveLength(1);
  });

  it('a refused minted token (403) names the minted integration token', async () => {
    const c = await connect({ SYNQLY_ORG_TOKEN: emu.orgToken });
    emu.inject({
      fault: {
        kind: 'status',
        status: 403,
        body: { message: 'Token lacks permission', status: 403, remediation: 'Check the integration.' },
      },
      path: '/v1/ticketing/tickets',
    });
    const r = await c.call('query_tickets', target());
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(
      /The key in the integration token minted with SYNQLY_ORG_TOKEN for account .*, integration .* is not allowed/,
    );
    expect(textOf(r)).toMatch(/remediation: Check the integration\./);
  });

  it('an unknown integration is a 404 from the mint, naming list_integrations', async () => {
    const r = await mcp.call('query_tickets', { accountId: ids().account, integrationId: 'nope' });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(
      /list valid ones with `list_accounts` and `list_integrations`[\s\S]*Integration not found/,
    );
  });
});

describe('connector writes name the integration they went to', () => {
  const ticketing = () => ({ accountId: ids().account, integrationId: ids().integrations.ticketing });

  it('without ids, look the configured token up with the org token first, then name it; the look-up is cached', async () => {
    const out = ok(await mcp.call('create_ticket', { name: 'Rotate keys' }));
    const [tokens, integrations, write] = emu.requests;
    expect(tokens).toMatchObject({ method: 'GET', path: '/v1/tokens' });
    expect(tokens?.headers.authorization).toBe(orgAuth());
    expect(integrations).toMatchObject({
      method: 'GET',
      path: '/v1/integrations',
      query: { filter: `id[eq]${ids().integrations.siem}` },
    });
    expect(write).toMatchObject({ method: 'POST', path: '/v1/ticketing/tickets' });
    expect(write?.headers.authorization).toBe(intAuth());
    expect(out.integration).toEqual(configured());
    expect(JSON.stringify(out)).not.toContain(emu.integrationToken);
    emu.requests.length = 0;
    ok(await mcp.call('delete_file', { path: 'reports/summary.txt' }));
    expect(emu.requests.map((r) => r.path)).toEqual(['/v1/storage/files/reports/summary.txt']);
    // Held for five minutes by the view's clock, then looked up again.
    emu.requests.length = 0;
    clock.advance(5 * 60_000 + 1);
    ok(await mcp.call('create_ticket', { name: 'Rotate keys again' }));
    expect(emu.requests.map((r) => r.path)).toEqual([
      '/v1/tokens',
      '/v1/integrations',
      '/v1/ticketing/tickets',
    ]);
  });

  it('with ids, name the integration given and look nothing up', async () => {
    const out = ok(
      await mcp.call('update_ticket', {
        ...ticketing(),
        ticketId: 'SBX-1',
        operations: [{ op: 'replace', path: '/status', value: 'Done' }],
      }),
    );
    expect(out.integration).toEqual({ ...ticketing(), chosen_by: 'arguments' });
    expect(emu.requests.some((r) => r.method === 'GET' && r.path === '/v1/tokens')).toBe(false);
  });

  it.each([
    ['create_ticket', { name: 'x' }],
    ['update_ticket', { ticketId: 'SBX-1', operations: [{ op: 'replace', path: '/status', value: 'Done' }] }],
    ['upload_file', { path: 'a.txt', content: 'x' }],
    ['delete_file', { path: 'reports/summary.txt' }],
    ['disable_identity_user', { userId: 'u-1002' }],
    ['enable_identity_user', { userId: 'u-1002' }],
  ])(
    '%s without ids and without the org token is refused before anything is sent, saying why',
    async (tool, args) => {
      const onlyInt = await connect({ SYNQLY_INTEGRATION_TOKEN: emu.integrationToken });
      const r = await onlyInt.call(tool, args);
      expect(r.isError).toBe(true);
      expect(textOf(r)).toMatch(
        /^Refused, nothing was sent: without accountId and integrationId this write would go to the integration SYNQLY_INTEGRATION_TOKEN belongs to, and syn-mcp cannot tell which one that is: the token does not say, and SYNQLY_ORG_TOKEN/,
      );
      expect(textOf(r)).toMatch(/list_accounts, list_integrations/);
      expect(emu.requests).toHaveLength(0);
      // Reads still work with the integration token alone.
      ok(await onlyInt.call('query_tickets', { limit: 1 }));
    },
  );

  it('refuses when the configured token is not among the tokens the org token lists', async () => {
    const c = await connect({
      SYNQLY_ORG_TOKEN: emu.orgToken,
      SYNQLY_INTEGRATION_TOKEN: 'synqly-int-unknown-0000000000',
    });
    const r = await c.call('create_ticket', { name: 'x' });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/SYNQLY_INTEGRATION_TOKEN is not among the tokens SYNQLY_ORG_TOKEN can list/);
    expect(emu.requests.map((q) => q.path)).toEqual(['/v1/tokens']);
  });

  it('refuses, naming the failure, when the look-up itself fails', async () => {
    emu.inject({
      fault: { kind: 'status', status: 403, body: { message: 'Forbidden', status: 403 } },
      path: '/v1/tokens',
    });
    const r = await mcp.call('disable_identity_user', { userId: 'u-1002' });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(
      /looking it up with SYNQLY_ORG_TOKEN failed: Synqly refused the credential \(HTTP 403\)/,
    );
    expect(emu.requests.some((q) => q.path.startsWith('/v1/identity'))).toBe(false);
  });
});

describe('connector reads name the integration that answered', () => {
  const reads: [string, Json][] = [
    ['query_tickets', { limit: 1 }],
    ['query_siem_events', { limit: 1 }],
    ['query_identity_audit_log', { limit: 1 }],
    ['list_identity_users', { limit: 1 }],
    ['list_storage_files', { path: 'reports' }],
    ['download_file', { path: 'reports/summary.txt' }],
  ];

  it("without ids, name the configured token's integration, looked up once after the first read", async () => {
    emu.siemPendingPolls = 0;
    for (const [tool, args] of reads) {
      const out = ok(await mcp.call(tool, args));
      expect(out.integration, tool).toEqual(configured());
    }
    expect(emu.requests.map((r) => r.path).slice(0, 3)).toEqual([
      '/v1/ticketing/tickets',
      '/v1/tokens',
      '/v1/integrations',
    ]);
    expect(emu.requests.filter((r) => r.path === '/v1/tokens')).toHaveLength(1);
  });

  it('with ids, name the integration given and look nothing up', async () => {
    const ticketing = { accountId: ids().account, integrationId: ids().integrations.ticketing };
    const out = ok(await mcp.call('query_tickets', { ...ticketing, limit: 1 }));
    expect(out.integration).toEqual({ ...ticketing, chosen_by: 'arguments' });
    expect(emu.requests.some((r) => r.path === '/v1/tokens')).toBe(false);
  });

  it('without ids and without the org token, still answer and say the integration cannot be named', async () => {
    emu.siemPendingPolls = 0;
    const onlyInt = await connect({ SYNQLY_INTEGRATION_TOKEN: emu.integrationToken });
    for (const [tool, args] of reads) {
      const out = ok(await onlyInt.call(tool, args));
      expect(out.integration, tool).toEqual({
        chosen_by: 'SYNQLY_INTEGRATION_TOKEN',
        unknown_because: expect.stringMatching(
          /^the integration SYNQLY_INTEGRATION_TOKEN belongs to answered, and syn-mcp cannot tell which one that is: the token does not say, and SYNQLY_ORG_TOKEN[\s\S]*is not set\. Naming it, or reading a named integration, needs SYNQLY_ORG_TOKEN\.$/,
        ),
      });
    }
  });

  it('say why when the look-up fails, and keep the answer', async () => {
    emu.inject({
      fault: { kind: 'status', status: 403, body: { message: 'Forbidden', status: 403 } },
      path: '/v1/tokens',
    });
    const out = ok(await mcp.call('query_tickets', { limit: 1 }));
    expect(out.items).toHaveLength(1);
    expect((out.integration as Json).accountId).toBeUndefined();
    expect((out.integration as Json).unknown_because).toMatch(
      /looking it up with SYNQLY_ORG_TOKEN failed: Synqly refused the credential \(HTTP 403\)[\s\S]* Pass accountId and integrationId \(list_accounts, list_integrations\) to read a named integration\.$/,
    );
  });
});

describe('filters and time windows', () => {
  it('a filter on a field the tool does not have is an error naming the valid fields; nothing is sent', async () => {
    const r = await mcp.call('query_tickets', { filter: ['state[eq]open'] });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toBe(
      'Invalid arguments: filter: query_tickets cannot filter on "state". Valid fields for query_tickets: id, name, summary, status, priority, project, issue_type, creator, assignee, contact, tags, due_date, created_at, updated_at.',
    );
    const op = await mcp.call('list_accounts', { filter: ['name[contains]acme'] });
    expect(textOf(op)).toMatch(/unknown operator "contains".*Operators: eq, ne, gt, gte, lt, lte, like, in/);
    const order = await mcp.call('list_integrations', { order: ['colour[desc]'] });
    expect(textOf(order)).toMatch(
      /cannot order by "colour\[desc\]".*Valid fields for list_integrations: id, name/,
    );
    expect(emu.requests).toHaveLength(0);
  });

  it('the filter argument documents its operators and fields', async () => {
    const tools = (await mcp.client.listTools()).tools;
    const filterOf = (name: string) =>
      (
        tools.find((t) => t.name === name)?.inputSchema.properties?.filter as
          | { description?: string }
          | undefined
      )?.description ?? '';
    expect(filterOf('query_tickets')).toMatch(/op: eq ne gt gte lt lte like in/);
    expect(filterOf('query_tickets')).toMatch(/Fields: id, name, summary, status/);
    expect(filterOf('query_siem_events')).toMatch(/src_endpoint\.ip/);
    expect(filterOf('list_tokens')).toMatch(/owner_type/);
  });

  it('a known field filters upstream as before', async () => {
    const out = ok(await mcp.call('query_tickets', { filter: ['status[eq]In Progress'] }));
    expect(theCall().query).toMatchObject({ filter: 'status[eq]In Progress' });
    expect((out.items as Json[]).map((t) => t.id)).toEqual(['SBX-2']);
  });

  it('query_siem_events: since "1h" is a time[gte] filter one hour back; an absolute window bounds the events', async () => {
    const before = Date.now();
    ok(await mcp.call('query_siem_events', { since: '1h', filter: ['status[eq]Failure'] }));
    const sent = [emu.requests[0]?.query.filter].flat();
    expect(sent[0]).toBe('status[eq]Failure');
    const at = Date.parse(String(sent[1]).replace(/^time\[gte\]/, ''));
    expect(at).toBeGreaterThanOrEqual(before - 3_600_000);
    expect(at).toBeLessThanOrEqual(Date.now() - 3_600_000);
    emu.requests.length = 0;
    // Seeded events are 60, 53, 46, 39, 32 and 25 minutes old on the emulator's clock.
    const window = ok(
      await mcp.call('query_siem_events', {
        since: new Date(clock.now() - 50 * 60_000).toISOString(),
        until: new Date(clock.now() - 30 * 60_000).toISOString(),
      }),
    );
    expect((window.items as Json[]).map((e) => (e.metadata as Json).uid)).toEqual(
      expect.arrayContaining(['evt-1002', 'evt-1003', 'evt-1004']),
    );
    expect(window.items).toHaveLength(3);
    const bad = await mcp.call('query_identity_audit_log', { since: 'yesterday' });
    expect(textOf(bad)).toMatch(/since: "yesterday" is not a time/);
  });

  it('query_identity_audit_log takes the same window', async () => {
    const out = ok(
      await mcp.call('query_identity_audit_log', {
        since: new Date(clock.now() - 70 * 60_000).toISOString(),
      }),
    );
    expect((out.items as Json[]).map((e) => (e.metadata as Json).uid).sort()).toEqual(['audit-2003']);
  });
});

describe('connector tools', () => {
  it('say in accountId what omitting both ids means, and that a write is then refused if that integration is unknown', async () => {
    const tools = (await mcp.client.listTools()).tools;
    for (const name of [
      'create_ticket',
      'update_ticket',
      'upload_file',
      'delete_file',
      'enable_identity_user',
      'disable_identity_user',
      'create_notification',
    ]) {
      const tool = tools.find((t) => t.name === name);
      expect(
        (tool?.inputSchema.properties?.accountId as { description?: string } | undefined)?.description,
        name,
      ).toBe("From list_accounts; omit both for the configured token's integration (refused if unknown).");
    }
    for (const name of ['query_tickets', 'query_siem_events', 'list_storage_files', 'download_file']) {
      const tool = tools.find((t) => t.name === name);
      expect(
        (tool?.inputSchema.properties?.accountId as { description?: string } | undefined)?.description,
        name,
      ).toBe("From list_accounts; omit both for the configured token's integration.");
    }
  });
});
