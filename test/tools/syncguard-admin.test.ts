import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/sandbox/common/clock.js';
import { createSyncGuardEmulator, type SyncGuardEmulator } from '../../src/sandbox/syncguard/index.js';
import { connectInProcess, type InProcess, jsonOf, textOf } from '../helpers/in-process.js';

const JWT = 'eyJhbGciOiJIUzI1NiJ9.test-jwt-for-syncguard.sig';
const clock = new ManualClock(Date.parse('2025-03-26T08:14:22Z'));
let emulator: SyncGuardEmulator;
let mcp: InProcess;
let baseUrl: string;

beforeAll(async () => {
  emulator = createSyncGuardEmulator({ clock, jwt: JWT });
  baseUrl = await emulator.listen();
});
beforeEach(async () => {
  emulator.reset();
  clock.set(Date.parse('2025-03-26T08:14:22Z'));
  mcp = await connectInProcess({
    SYNCGUARD_API_KEY: emulator.apiKey,
    SYNCGUARD_BASE_URL: baseUrl,
    SYNCGUARD_JWT: JWT,
  });
  emulator.requests.length = 0;
});
afterEach(async () => {
  await mcp.close();
  emulator.clearFaults();
});
afterAll(() => emulator.close());

const last = () => {
  const r = emulator.requests.at(-1);
  if (!r) throw new Error('no upstream request');
  return r;
};
type Sc = Record<string, unknown>;
const sc = (r: { structuredContent?: unknown }) => r.structuredContent as Sc;

async function openIncident(
  eventType = 'auth_failed',
  tenantId = 'acme-corp',
  integrationKey = 'payments-service',
) {
  const r = await mcp.call('send_event', { integrationKey, eventType, tenantId, errorCode: '401' });
  return sc(r).incidentId as string;
}

describe('toolsets', () => {
  it('offers the admin tools only with the admin toolset', async () => {
    const byDefault = await connectInProcess(
      { SYNCGUARD_API_KEY: emulator.apiKey, SYNCGUARD_BASE_URL: baseUrl },
      [],
    );
    try {
      const names = (await byDefault.client.listTools()).tools.map((t) => t.name);
      expect(names).toEqual(
        expect.arrayContaining([
          'send_event',
          'list_incidents',
          'get_incident',
          'list_events',
          'list_patterns',
        ]),
      );
      for (const admin of [
        'rotate_api_key',
        'set_alert_channel',
        'create_tenant',
        'update_workspace',
        'create_workspace',
      ]) {
        expect(names).not.toContain(admin);
      }
    } finally {
      await byDefault.close();
    }
    const names = (await mcp.client.listTools()).tools.map((t) => t.name);
    expect(names).toContain('rotate_api_key');
    expect(names).toContain('create_workspace');
  });

  it('offers create_workspace only when SYNCGUARD_JWT is set', async () => {
    const noJwt = await connectInProcess({ SYNCGUARD_API_KEY: emulator.apiKey, SYNCGUARD_BASE_URL: baseUrl });
    try {
      const names = (await noJwt.client.listTools()).tools.map((t) => t.name);
      expect(names).toContain('rotate_api_key');
      expect(names).not.toContain('create_workspace');
    } finally {
      await noJwt.close();
    }
  });

  it('marks the destructive tools', async () => {
    const tools = (await mcp.client.listTools()).tools;
    const destructive = tools.filter((t) => t.annotations?.destructiveHint).map((t) => t.name);
    expect(destructive.sort()).toEqual(['deactivate_tenant', 'remove_alert_channel', 'rotate_api_key']);
  });
});

describe('incident reads', () => {
  it('get_incident: GET /incidents/{id} with the affected tenants', async () => {
    const id = await openIncident();
    await mcp.call('send_event', {
      integrationKey: 'payments-service',
      eventType: 'auth_failed',
      tenantId: 'beta-ltd',
    });
    emulator.requests.length = 0;
    const r = await mcp.call('get_incident', { id });
    expect(last()).toMatchObject({
      method: 'GET',
      path: `/api/v1/incidents/${id}`,
      query: {},
      body: undefined,
    });
    expect(last().headers['x-api-key']).toBe(emulator.apiKey);
    expect(sc(r)).toMatchObject({
      id,
      status: 'Open',
      eventCount: 2,
      tenantCount: 2,
      patternId: 'auth_failure',
    });
    const tenants = sc(r).affectedTenants as Array<Sc>;
    expect(tenants.map((t) => t.tenantName).sort()).toEqual(['acme-corp', 'beta-ltd']);
    expect(typeof sc(r).workspaceId).toBe('string');
  });

  it('list_events: GET /events?incidentId=… paged', async () => {
    const id = await openIncident();
    await openIncident('auth_failed', 'beta-ltd');
    emulator.requests.length = 0;
    const r = await mcp.call('list_events', { incidentId: id, pageSize: 1 });
    expect(last()).toMatchObject({
      method: 'GET',
      path: '/api/v1/events',
      query: { incidentId: id, pageSize: '1' },
    });
    expect((sc(r).items as Sc[])[0]).toMatchObject({
      incidentId: id,
      eventType: 'auth_failed',
      errorCode: '401',
    });
    const next = await mcp.call('list_events', { incidentId: id, cursor: sc(r).nextCursor });
    expect(last().query).toEqual({ incidentId: id, page: '2', pageSize: '1' });
    expect(sc(next).nextCursor).toBeUndefined();
  });

  it('list_patterns: the twelve patterns in priority order', async () => {
    const r = await mcp.call('list_patterns', {});
    expect(last()).toMatchObject({ method: 'GET', path: '/api/v1/patterns', query: {} });
    const items = sc(r).items as Sc[];
    expect(items).toHaveLength(12);
    expect(items[0]).toMatchObject({ id: 'auth_failure', priority: 1, isEnabled: true });
    expect(items.at(-1)).toMatchObject({ id: 'quota_exceeded', priority: 12 });
  });

  it('list_patterns reads a wrapped list; a timeline answer without a list is an error, not "no entries"', async () => {
    emulator.inject({
      path: '/patterns',
      fault: {
        kind: 'status',
        status: 200,
        body: { isSuccess: true, data: { items: [{ id: 'auth_failure', priority: 1 }] } },
      },
    });
    const patterns = await mcp.call('list_patterns', {});
    expect((sc(patterns).items as Sc[]).map((p) => p.id)).toEqual(['auth_failure']);
    const id = await openIncident();
    emulator.inject({
      path: `/incidents/${id}/timeline`,
      fault: { kind: 'status', status: 200, body: { isSuccess: true, data: { transitions: 'hidden' } } },
    });
    const timeline = await mcp.call('get_incident_timeline', { id });
    expect(timeline.isError).toBe(true);
    expect(textOf(timeline)).toMatch(/SyncGuard answered the timeline request with an object, not a list/);
  });

  it('stats and trends are read from the workspace endpoints', async () => {
    const id = await openIncident();
    clock.advance(60_000);
    await mcp.call('resolve_incident', { id });
    emulator.requests.length = 0;
    const stats = await mcp.call('get_workspace_stats', {});
    expect(last()).toMatchObject({ method: 'GET', path: '/api/v1/workspaces/stats' });
    expect(sc(stats)).toMatchObject({ openIncidents: 0, mttrSeconds: 60 });
    const trends = await mcp.call('get_workspace_trends', {});
    expect(last()).toMatchObject({ method: 'GET', path: '/api/v1/workspaces/trends' });
    expect(sc(trends).items).toEqual([expect.objectContaining({ patternId: 'auth_failure' })]);
  });
});

describe('the incident lifecycle through the tools (seed 002 timeline)', () => {
  it('opens, recovers, reopens during recovery, recovers, closes — with the documented reasons', async () => {
    const id = await openIncident('auth_failed');
    clock.advance(5 * 60_000); // 08:19:22 Recovering
    expect(sc(await mcp.call('get_incident', { id })).status).toBe('Recovering');
    clock.set(Date.parse('2025-03-26T08:21:05Z'));
    await openIncident('auth_failed');
    clock.set(Date.parse('2025-03-26T08:36:05Z')); // 08:26:05 Recovering, 08:36:05 Closed
    const timeline = await mcp.call('get_incident_timeline', { id });
    expect(last()).toMatchObject({ method: 'GET', path: `/api/v1/incidents/${id}/timeline` });
    expect(sc(timeline)).toEqual({
      id,
      entries: [
        {
          fromStatus: null,
          toStatus: 'Open',
          reason: 'Pattern matched: auth_failure',
          occurredAt: '2025-03-26T08:14:22Z',
        },
        {
          fromStatus: 'Open',
          toStatus: 'Recovering',
          reason: 'No events for 5 min',
          occurredAt: '2025-03-26T08:19:22Z',
        },
        {
          fromStatus: 'Recovering',
          toStatus: 'Open',
          reason: 'New event during recovery',
          occurredAt: '2025-03-26T08:21:05Z',
        },
        {
          fromStatus: 'Open',
          toStatus: 'Recovering',
          reason: 'No events for 5 min',
          occurredAt: '2025-03-26T08:26:05Z',
        },
        {
          fromStatus: 'Recovering',
          toStatus: 'Closed',
          reason: 'Stable for 10 min',
          occurredAt: '2025-03-26T08:36:05Z',
        },
      ],
    });
  });

  it('reopens the same incident within the cooldown and turns chronic at the third reopen', async () => {
    const id = await openIncident();
    for (let reopen = 1; reopen <= 3; reopen++) {
      clock.advance(15 * 60_000); // recovering after 5, closed after 15
      expect(sc(await mcp.call('get_incident', { id })).status).toBe('Closed');
      clock.advance(60_000);
      const r = await mcp.call('send_event', {
        integrationKey: 'payments-service',
        eventType: 'auth_failed',
        tenantId: 'x',
      });
      expect(sc(r)).toMatchObject({ incidentId: id, isNewIncident: false });
      expect(sc(await mcp.call('get_incident', { id }))).toMatchObject({
        reopenCount: reopen,
        isChronic: reopen >= 3,
      });
    }
    const chronic = await mcp.call('list_incidents', { chronic: true });
    expect((sc(chronic).items as Sc[]).map((i) => i.id)).toEqual([id]);
  });

  it('opens a new incident after the cooldown', async () => {
    const id = await openIncident();
    clock.advance(15 * 60_000 + 15 * 60_000 + 1000);
    const again = await openIncident();
    expect(again).not.toBe(id);
  });
});

describe('patterns and workspace', () => {
  it('update_pattern: PATCH /patterns/{id} with only the given fields; a threshold opens silently', async () => {
    const r = await mcp.call('update_pattern', {
      id: 'auth_failure',
      thresholdCount: 3,
      thresholdWindowSeconds: 300,
    });
    expect(last()).toMatchObject({
      method: 'PATCH',
      path: '/api/v1/patterns/auth_failure',
      body: { thresholdCount: 3, thresholdWindowSeconds: 300 },
    });
    expect(sc(r)).toMatchObject({ id: 'auth_failure', thresholdCount: 3, thresholdWindowSeconds: 300 });
    await mcp.call('set_alert_channel', {
      provider: 'slack',
      config: { webhookUrl: 'https://hooks.slack.com/services/T/B/x' },
    });
    emulator.alerts.length = 0;
    await openIncident();
    expect(emulator.alerts).toHaveLength(0);
    await openIncident();
    await openIncident();
    expect(emulator.alerts.map((a) => a.kind)).toContain('opened');
  });

  it('update_pattern refuses an empty change and disables a pattern', async () => {
    const empty = await mcp.call('update_pattern', { id: 'auth_failure' });
    expect(empty.isError).toBe(true);
    expect(emulator.requests).toHaveLength(0);
    await mcp.call('update_pattern', { id: 'auth_failure', isEnabled: false });
    expect(last().body).toEqual({ isEnabled: false });
    const r = await mcp.call('send_event', {
      integrationKey: 'k',
      eventType: 'auth_failed',
      tenantId: 't',
      errorCode: '401',
    });
    expect(sc(r).patternId).not.toBe('auth_failure');
  });

  it('set_alert_channel confirms the channel from the answer, and says so when the answer shows none', async () => {
    const args = { provider: 'slack', config: { webhookUrl: 'https://hooks.slack.com/services/T/B/x' } };
    const shown = await mcp.call('set_alert_channel', args);
    expect(sc(shown)).toEqual({
      provider: 'slack',
      isEnabled: true,
      configuredFields: ['webhookUrl'],
      confirmed: true,
    });
    // Answers that show no channel: an empty 204, a JSON null, and data null.
    for (const fault of [
      { kind: 'status' as const, status: 204 },
      { kind: 'status' as const, status: 202, body: null },
      { kind: 'status' as const, status: 200, body: { isSuccess: true, data: null } },
    ]) {
      emulator.inject({ method: 'PUT', path: '/workspaces/me/channels/slack', fault });
      const result = await mcp.call('set_alert_channel', { ...args, isEnabled: false });
      expect(result.isError, textOf(result)).toBeFalsy();
      expect(sc(result)).toMatchObject({
        provider: 'slack',
        isEnabled: false,
        configuredFields: ['webhookUrl'],
        confirmed: false,
      });
      expect(String(sc(result).note)).toMatch(
        new RegExp(
          `accepted the slack channel \\(HTTP ${fault.status}\\) but its answer did not show the channel: the fields above are what was sent, not confirmed\\. get_workspace lists`,
        ),
      );
      expect(jsonOf(result)).toEqual(result.structuredContent);
    }
  });

  it('update_workspace and update_pattern name the changes an answer does not show, never filling them in', async () => {
    const cases = [
      {
        tool: 'update_workspace',
        args: { name: 'On-call', recoveryWindowSeconds: 120 },
        method: 'PATCH',
        path: '/workspaces/me',
        partial: { name: 'On-call' },
        check: 'get_workspace',
      },
      {
        tool: 'update_pattern',
        args: { id: 'auth_failure', isEnabled: false, thresholdCount: 3 },
        method: 'PATCH',
        path: '/patterns/auth_failure',
        partial: { id: 'auth_failure', isEnabled: false },
        check: 'list_patterns',
      },
    ];
    for (const c of cases) {
      const full = Object.keys(c.args).filter((k) => k !== 'id');
      for (const [fault, unshown] of [
        [{ kind: 'status' as const, status: 204 }, full],
        [{ kind: 'status' as const, status: 200, body: { isSuccess: true, data: null } }, full],
        [{ kind: 'status' as const, status: 200, body: { isSuccess: true, data: c.partial } }, full.slice(1)],
      ] as const) {
        emulator.inject({ method: c.method, path: c.path, fault });
        const result = await mcp.call(c.tool, c.args);
        expect(result.isError, textOf(result)).toBeFalsy();
        const out = sc(result);
        for (const k of unshown) expect(out, `${c.tool} ${k}`).not.toHaveProperty(k);
        // A pattern answer without its id gets the id sent, and says so.
        const idSent = c.tool === 'update_pattern' && !('body' in fault && fault.body.data);
        expect(String(out.note)).toBe(
          `SyncGuard accepted the change (HTTP ${fault.status}) but its answer did not show ${unshown.join(', ')}: ` +
            `not confirmed. ${c.check} shows the ${c.tool === 'update_pattern' ? 'pattern' : 'workspace'} as SyncGuard holds it.` +
            (idSent ? " The id is the one sent: SyncGuard's answer did not show it." : ''),
        );
        if (c.tool === 'update_pattern') expect(out.id).toBe('auth_failure');
        expect(jsonOf(result)).toEqual(result.structuredContent);
      }
    }
    // An answer that shows every change but not the pattern's id: the id is the one sent, and the note says so.
    emulator.inject({
      method: 'PATCH',
      path: '/patterns/auth_failure',
      fault: { kind: 'status', status: 200, body: { isSuccess: true, data: { isEnabled: true } } },
    });
    const noId = sc(await mcp.call('update_pattern', { id: 'auth_failure', isEnabled: true }));
    expect(noId).toMatchObject({ id: 'auth_failure', isEnabled: true });
    expect(noId.note).toBe("The id is the one sent: SyncGuard's answer did not show it.");
    // The emulator's own answer shows every change: no note.
    const shown = await mcp.call('update_workspace', { closeWindowSeconds: 700 });
    expect(sc(shown)).toMatchObject({ closeWindowSeconds: 700 });
    expect(sc(shown)).not.toHaveProperty('note');
  });

  it('get_workspace / update_workspace: windows and channels without credentials', async () => {
    await mcp.call('set_alert_channel', { provider: 'opsgenie', config: { apiKey: 'og-secret-key-123456' } });
    expect(last()).toMatchObject({
      method: 'PUT',
      path: '/api/v1/workspaces/me/channels/opsgenie',
      body: { config: { apiKey: 'og-secret-key-123456' }, isEnabled: true },
    });
    const upd = await mcp.call('update_workspace', { name: 'On-call', recoveryWindowSeconds: 120 });
    expect(last()).toMatchObject({
      method: 'PATCH',
      path: '/api/v1/workspaces/me',
      body: { name: 'On-call', recoveryWindowSeconds: 120 },
    });
    expect(sc(upd)).toMatchObject({ name: 'On-call', recoveryWindowSeconds: 120 });
    const ws = await mcp.call('get_workspace', {});
    expect(last()).toMatchObject({ method: 'GET', path: '/api/v1/workspaces/me' });
    expect(sc(ws).channels).toEqual([
      { provider: 'opsgenie', isEnabled: true, configuredFields: ['apiKey'] },
    ]);
    expect(textOf(ws)).not.toContain('og-secret');
  });

  it('set_alert_channel checks the provider config before sending; remove_alert_channel deletes', async () => {
    const wrong = await mcp.call('set_alert_channel', {
      provider: 'pagerduty',
      config: { webhookUrl: 'https://x' },
    });
    expect(wrong.isError).toBe(true);
    expect(textOf(wrong)).toMatch(/pagerduty needs exactly config\.routingKey/);
    expect(emulator.requests).toHaveLength(0);
    await mcp.call('set_alert_channel', {
      provider: 'pagerduty',
      config: { routingKey: 'R01ABC' },
      isEnabled: false,
    });
    expect(last().body).toEqual({ config: { routingKey: 'R01ABC' }, isEnabled: false });
    const del = await mcp.call('remove_alert_channel', { provider: 'pagerduty' });
    expect(last()).toMatchObject({
      method: 'DELETE',
      path: '/api/v1/workspaces/me/channels/pagerduty',
      body: undefined,
    });
    expect(sc(del)).toEqual({ removed: true, provider: 'pagerduty' });
    const again = await mcp.call('remove_alert_channel', { provider: 'pagerduty' });
    expect(textOf(again)).toMatch(/HTTP 404.*get_workspace/);
  });
});

describe('tenants', () => {
  it('create, list, deactivate and activate with the documented requests', async () => {
    const created = await mcp.call('create_tenant', { externalId: 'acme-corp', name: 'Acme Corp' });
    expect(last()).toMatchObject({
      method: 'POST',
      path: '/api/v1/tenants',
      body: { externalId: 'acme-corp', name: 'Acme Corp' },
    });
    const id = sc(created).id as string;
    expect(sc(created)).toMatchObject({ externalId: 'acme-corp', name: 'Acme Corp', isActive: true });
    const dup = await mcp.call('create_tenant', { externalId: 'acme-corp' });
    expect(textOf(dup)).toMatch(/conflict \(HTTP 409\)/);

    const list = await mcp.call('list_tenants', {});
    expect(last()).toMatchObject({ method: 'GET', path: '/api/v1/tenants', query: {} });
    expect((sc(list).items as Sc[]).map((t) => t.id)).toEqual([id]);

    const off = await mcp.call('deactivate_tenant', { id });
    expect(last()).toMatchObject({ method: 'DELETE', path: `/api/v1/tenants/${id}`, body: undefined });
    expect(sc(off)).toMatchObject({ id, isActive: false });
    const on = await mcp.call('activate_tenant', { id });
    expect(last()).toMatchObject({ method: 'POST', path: `/api/v1/tenants/${id}/activate` });
    expect(sc(on)).toMatchObject({ id, isActive: true });
  });
});

describe('tenant pages and writes report what SyncGuard answered', () => {
  const tenants = (n: number) =>
    Array.from({ length: n }, (_, i) => ({ id: `t${i}`, externalId: `c${i}`, isActive: true }));

  it('list_tenants: a full bare-array page (api-notes §8.2) has a nextCursor, a short one has none', async () => {
    emulator.inject({
      path: '/tenants',
      fault: { kind: 'status', status: 200, body: { isSuccess: true, data: tenants(25) } },
    });
    const first = await mcp.call('list_tenants', {});
    expect(last().query).toEqual({ pageSize: '25' });
    expect(sc(first).items).toHaveLength(25);
    expect(sc(first).nextCursor).toEqual(expect.any(String));
    emulator.inject({
      path: '/tenants',
      fault: { kind: 'status', status: 200, body: { isSuccess: true, data: tenants(3) } },
    });
    const second = await mcp.call('list_tenants', { cursor: sc(first).nextCursor });
    expect(last().query).toEqual({ page: '2', pageSize: '25' });
    expect(sc(second).items).toHaveLength(3);
    expect(sc(second).nextCursor).toBeUndefined();
  });

  it('create_tenant reports only the tenant SyncGuard answered, and names what it did not show', async () => {
    for (const [fault, unshown] of [
      [{ kind: 'status' as const, status: 204 }, ['id', 'externalId']],
      [
        { kind: 'status' as const, status: 201, body: { isSuccess: true, data: { id: 't9' } } },
        ['externalId'],
      ],
    ] as const) {
      emulator.inject({ method: 'POST', path: '/tenants', fault });
      const r = await mcp.call('create_tenant', { externalId: 'acme-corp', name: 'Acme Corp' });
      expect(r.isError, textOf(r)).toBeFalsy();
      expect(sc(r)).not.toHaveProperty('externalId');
      expect(sc(r)).not.toHaveProperty('name');
      expect(sc(r).note).toBe(
        `SyncGuard accepted the tenant (HTTP ${fault.status}) but its answer did not show ${unshown.join(', ')}: ` +
          'the tenant it stored is not confirmed. list_tenants shows it; check there before creating it again.',
      );
    }
  });

  it("activate_tenant / deactivate_tenant say when the answer does not show the tenant's state", async () => {
    for (const [tool, method, path, asked, action] of [
      ['activate_tenant', 'POST', '/tenants/t0/activate', true, 'activation'],
      ['deactivate_tenant', 'DELETE', '/tenants/t0', false, 'deactivation'],
    ] as const) {
      for (const fault of [
        { kind: 'status' as const, status: 204 },
        {
          kind: 'status' as const,
          status: 200,
          body: { isSuccess: true, data: { id: 't0', externalId: 'c0' } },
        },
      ]) {
        emulator.inject({ method, path, fault });
        const r = await mcp.call(tool, { id: 't0' });
        expect(r.isError, textOf(r)).toBeFalsy();
        expect(sc(r)).toMatchObject({ id: 't0', isActive: asked });
        expect(sc(r).note).toBe(
          `SyncGuard accepted the ${action} (HTTP ${fault.status}) but its answer did not show the tenant's ` +
            'isActive: isActive above is what was asked, not confirmed. list_tenants shows the tenant as SyncGuard holds it.',
        );
      }
    }
  });

  it('deactivate_tenant reports the isActive of the tenant SyncGuard returns', async () => {
    emulator.inject({
      method: 'DELETE',
      path: '/tenants/t0',
      fault: { kind: 'status', status: 200, body: { isSuccess: true, data: tenants(1)[0] } },
    });
    const r = await mcp.call('deactivate_tenant', { id: 't0' });
    expect(sc(r)).toMatchObject({ id: 't0', isActive: true, tenant: { isActive: true } });
  });
});

describe('rotate_api_key', () => {
  it('shows the new key once, then the server uses it for every later call', async () => {
    const oldKey = emulator.apiKey;
    const r = await mcp.call('rotate_api_key', {});
    expect(last()).toMatchObject({ method: 'POST', path: '/api/v1/workspaces/rotate-key', body: undefined });
    expect(last().headers['x-api-key']).toBe(oldKey);
    const newKey = emulator.apiKey;
    expect(newKey).not.toBe(oldKey);
    expect(sc(r).apiKey).toBe(newKey);
    expect(textOf(r)).toContain(newKey);
    expect(sc(r).next_step).toMatch(/SYNCGUARD_API_KEY/);

    const after = await mcp.call('list_incidents', {});
    expect(after.isError).toBeFalsy();
    expect(last().headers['x-api-key']).toBe(newKey);

    // The new key is a secret from now on: an upstream that echoes it never gets it into a result.
    emulator.inject({
      fault: {
        kind: 'status',
        status: 400,
        body: { isSuccess: false, errorCode: 4, message: `bad key ${newKey}` },
      },
    });
    const echoed = await mcp.call('list_incidents', {});
    expect(textOf(echoed)).not.toContain(newKey);
    expect(textOf(echoed)).toContain('[REDACTED]');
  });
});

describe('create_workspace', () => {
  it('POSTs /workspaces with the JWT (not the API key) and shows the new key once', async () => {
    const r = await mcp.call('create_workspace', { name: 'My Team' });
    const req = last();
    expect(req).toMatchObject({ method: 'POST', path: '/api/v1/workspaces', body: { name: 'My Team' } });
    expect(req.headers.authorization).toBe(`Bearer ${JWT}`);
    expect(req.headers['x-api-key']).toBeUndefined();
    expect(sc(r)).toMatchObject({ workspace: { name: 'My Team', isActive: true } });
    expect(sc(r).apiKey).toMatch(/^sg_/);
    expect(textOf(r)).not.toContain(JWT);
  });
});
