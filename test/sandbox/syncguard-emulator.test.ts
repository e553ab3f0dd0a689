import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/sandbox/common/clock.js';
import {
  createSyncGuardEmulator,
  DEFAULT_SANDBOX_API_KEY,
  type SyncGuardEmulator,
} from '../../src/sandbox/syncguard/index.js';

interface Envelope<T> {
  isSuccess: boolean;
  errorCode?: number;
  statusCode?: number;
  message: string | null;
  data: T;
}

interface Answer<T> {
  status: number;
  headers: Headers;
  body: Envelope<T>;
}

interface EventAnswer {
  eventId: string;
  incidentId: string | null;
  incidentStatus: string | null;
  patternId: string | null;
  confidence: string | null;
  isNewIncident: boolean;
  affectedTenants: string[];
}

interface Incident {
  id: string;
  status: string;
  confidence: string;
  openedAt: string;
  recoveringAt: string | null;
  closedAt: string | null;
  reopenedAt: string | null;
  reopenCount: number;
  eventCount: number;
  tenantCount: number;
  isChronic: boolean;
  affectedTenants: Array<{ tenantId: string; tenantName: string; eventCount: number }>;
}

interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  totalCount: number;
}

interface Pattern {
  id: string;
  priority: number;
  isEnabled: boolean;
  thresholdCount: number | null;
  thresholdWindowSeconds: number | null;
}

interface Tenant {
  id: string;
  externalId: string;
  name: string;
  isActive: boolean;
}

const T0 = Date.parse('2025-03-26T08:14:22Z');
const MIN = 60_000;

let clock: ManualClock;
let emu: SyncGuardEmulator;
let base: string;

beforeEach(async () => {
  clock = new ManualClock(T0);
  emu = createSyncGuardEmulator({ clock });
  base = await emu.listen();
});

afterEach(async () => {
  await emu.close();
});

interface CallOptions {
  body?: unknown;
  rawBody?: string;
  key?: string | null;
  headers?: Record<string, string>;
}

async function call<T = unknown>(method: string, path: string, opts: CallOptions = {}): Promise<Answer<T>> {
  const headers: Record<string, string> = { ...opts.headers };
  const key = opts.key === undefined ? emu.apiKey : opts.key;
  if (key !== null) headers['X-Api-Key'] = key;
  let body: string | undefined;
  if (opts.rawBody !== undefined) body = opts.rawBody;
  else if (opts.body !== undefined) body = JSON.stringify(opts.body);
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(`${base}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Envelope<T> };
}

async function send(
  eventType: string,
  tenantId = 'acme-corp',
  errorCode?: string,
  integrationKey = 'payments-service',
): Promise<EventAnswer> {
  const body = { integrationKey, eventType, tenantId, ...(errorCode === undefined ? {} : { errorCode }) };
  const answer = await call<EventAnswer>('POST', '/events', { body });
  expect(answer.status).toBe(200);
  return answer.body.data;
}

async function incident(id: string | null): Promise<Incident> {
  const answer = await call<Incident>('GET', `/incidents/${id ?? 'missing'}`);
  expect(answer.status).toBe(200);
  return answer.body.data;
}

describe('auth and envelope', () => {
  it('answers 401 with the envelope for a missing or wrong key', async () => {
    const missing = await call('GET', '/incidents', { key: null });
    expect(missing.status).toBe(401);
    expect(missing.body).toEqual({
      isSuccess: false,
      errorCode: 1,
      message: 'X-Api-Key header is required.',
    });
    const wrong = await call('GET', '/incidents', { key: 'sg_0123456789abcdef' });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({ isSuccess: false, errorCode: 1, message: 'Invalid API key.' });
  });

  it('uses the documented default key shape and the success envelope', async () => {
    expect(emu.apiKey).toBe(DEFAULT_SANDBOX_API_KEY);
    expect(emu.apiKey).toMatch(/^sg_[0-9a-f]{48}$/);
    expect(emu.url).toBe(base);
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1$/);
    const me = await call<Record<string, unknown>>('GET', '/workspaces/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ isSuccess: true, errorCode: 0, message: null });
    expect(me.body.data).toMatchObject({
      name: 'Sandbox',
      apiKeyPrefix: emu.apiKey.slice(0, 10),
      isActive: true,
      recoveryWindowSeconds: 300,
      closeWindowSeconds: 600,
      cooldownWindowSeconds: 900,
      channels: [],
    });
  });

  it('requires the JWT (not the API key) on POST /workspaces and gives the new workspace its own data', async () => {
    const withKey = await call('POST', '/workspaces', { body: { name: 'My Team' } });
    expect(withKey.status).toBe(401);
    expect(withKey.body.errorCode).toBe(1);
    const headers = { Authorization: `Bearer ${emu.jwt}` };
    const missingName = await call('POST', '/workspaces', { key: null, headers, body: {} });
    expect(missingName.status).toBe(400);
    expect(missingName.body).toEqual({ isSuccess: false, errorCode: 4, message: 'name is required.' });
    const created = await call<{ workspace: Record<string, unknown>; apiKey: string }>(
      'POST',
      '/workspaces',
      {
        key: null,
        headers,
        body: { name: 'My Team' },
      },
    );
    expect(created.status).toBe(200);
    const { workspace, apiKey } = created.body.data;
    expect(apiKey).toMatch(/^sg_[0-9a-f]{48}$/);
    expect(workspace).toEqual({
      id: expect.any(String),
      name: 'My Team',
      apiKeyPrefix: apiKey.slice(0, 10),
      isActive: true,
    });
    await send('auth_failed');
    const theirs = await call<Page<Incident>>('GET', '/incidents', { key: apiKey });
    expect(theirs.body.data.totalCount).toBe(0);
    const mine = await call<Page<Incident>>('GET', '/incidents');
    expect(mine.body.data.totalCount).toBe(1);
  });

  it('answers 404 for unknown routes and unknown ids, 400 errorCode 4 for malformed JSON', async () => {
    const route = await call('GET', '/nope');
    expect(route.status).toBe(404);
    expect(route.body).toMatchObject({ isSuccess: false, errorCode: 2 });
    const wrongMethod = await call('DELETE', '/incidents');
    expect(wrongMethod.status).toBe(404);
    const id = await call('GET', '/incidents/does-not-exist');
    expect(id.status).toBe(404);
    expect(id.body).toEqual({
      isSuccess: false,
      errorCode: 2,
      message: 'Incident does-not-exist not found.',
    });
    const bad = await call('POST', '/events', { rawBody: '{"integrationKey": ' });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ isSuccess: false, errorCode: 4 });
  });

  it('sends application/json; charset=utf-8 on every answer', async () => {
    emu.rateLimit({ retryAfterSeconds: 1 });
    const answers = [
      await call('GET', '/patterns'),
      await call('GET', '/patterns'),
      await call('GET', '/patterns', { key: null }),
      await call('GET', '/unknown'),
      await call('POST', '/events', { body: {} }),
    ];
    expect(answers.map((a) => a.status)).toEqual([429, 200, 401, 404, 400]);
    for (const answer of answers)
      expect(answer.headers.get('content-type')).toBe('application/json; charset=utf-8');
  });
});

describe('validation', () => {
  it.each([
    [{ eventType: 'auth_failed', tenantId: 't' }, 'integrationKey is required.'],
    [{ integrationKey: 'k', tenantId: 't' }, 'eventType is required.'],
    [{ integrationKey: 'k', eventType: 'auth_failed' }, 'tenantId is required.'],
    [{ integrationKey: '  ', eventType: 'auth_failed', tenantId: 't' }, 'integrationKey is required.'],
    [{ integrationKey: 7, eventType: 'auth_failed', tenantId: 't' }, 'integrationKey must be a string.'],
    [
      { integrationKey: 'k', eventType: 'auth_failed', tenantId: 't', errorCode: 401 },
      'errorCode must be a string.',
    ],
    [
      { integrationKey: 'k', eventType: 'x', tenantId: 't', rawPayload: [1] },
      'rawPayload must be a JSON object.',
    ],
  ])('POST /events %j → 400 %s', async (body, message) => {
    const answer = await call('POST', '/events', { body });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ isSuccess: false, errorCode: 4, message });
  });

  it('rejects a missing body and bad paging parameters with errorCode 4 naming the field', async () => {
    const noBody = await call('POST', '/events');
    expect(noBody.body).toEqual({ isSuccess: false, errorCode: 4, message: 'Request body is required.' });
    for (const query of [
      'pageSize=0',
      'pageSize=101',
      'pageSize=abc',
      'page=0',
      'status=weird',
      'chronic=maybe',
    ]) {
      const answer = await call('GET', `/incidents?${query}`);
      expect(answer.status).toBe(400);
      expect(answer.body.errorCode).toBe(4);
      expect(answer.body.message).toContain(query.split('=')[0]);
    }
  });
});

describe('classification', () => {
  it('reproduces the quick start: token_refresh_failed + 401 opens an auth_failure incident, High', async () => {
    const data = await send('token_refresh_failed', 'acme-corp', '401');
    expect(data).toEqual({
      eventId: expect.any(String),
      incidentId: expect.any(String),
      incidentStatus: 'Open',
      patternId: 'auth_failure',
      confidence: 'High',
      isNewIncident: true,
      affectedTenants: ['acme-corp'],
    });
    expect(data.eventId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it.each([
    ['auth_failed', '401', 'auth_failure', 'High'],
    ['auth_failed', '500', 'auth_failure', 'Medium'],
    ['something_else', 'TOKEN_EXPIRED', 'auth_failure', 'Medium'],
    ['AUTH_FAILED', undefined, 'auth_failure', 'Medium'],
    ['webhook_failed', '503', 'webhook_failure_spike', 'High'],
    ['webhook_timeout', undefined, 'webhook_failure_spike', 'High'],
    ['request_timeout', undefined, 'timeout_spike', 'High'],
    ['throttled', '429', 'rate_limit_exceeded', 'High'],
    ['service_unavailable', '503', 'server_error_spike', 'High'],
    ['circuit_open', undefined, 'service_unavailable', 'Medium'],
    ['anything', 'Circuit_Open', 'service_unavailable', 'Medium'],
    ['connection_refused', 'ECONNREFUSED', 'connection_failure', 'High'],
    ['sync_failed', 'data_mismatch', 'data_sync_failure', 'High'],
    ['tls_error', undefined, 'ssl_certificate_error', 'Medium'],
    ['storage_full', 'storage_full', 'quota_exceeded', 'High'],
    ['payload_invalid', '401', 'auth_failure', 'Medium'],
  ])('%s / %s → %s (%s)', async (eventType, errorCode, patternId, confidence) => {
    const data = await send(eventType, 'acme-corp', errorCode);
    expect(data).toMatchObject({ patternId, confidence, incidentStatus: 'Open', isNewIncident: true });
  });

  it('stores an event that matches nothing and opens nothing', async () => {
    const data = await send('user_logged_in', 'acme-corp', '200');
    expect(data).toEqual({
      eventId: expect.any(String),
      incidentId: null,
      incidentStatus: null,
      patternId: null,
      confidence: null,
      isNewIncident: false,
      affectedTenants: [],
    });
    const events = await call<Page<Record<string, unknown>>>('GET', '/events');
    expect(events.body.data.items).toEqual([
      {
        id: data.eventId,
        integrationKey: 'payments-service',
        eventType: 'user_logged_in',
        tenantId: 'acme-corp',
        errorCode: '200',
        rawPayload: null,
        incidentId: null,
        patternId: null,
        receivedAt: '2025-03-26T08:14:22Z',
      },
    ]);
    const incidents = await call<Page<Incident>>('GET', '/incidents?status=all');
    expect(incidents.body.data.totalCount).toBe(0);
  });

  it('skips a disabled pattern and falls through to the next match', async () => {
    const patch = await call<Pattern>('PATCH', '/patterns/server_error_spike', {
      body: { isEnabled: false },
    });
    expect(patch.body.data).toMatchObject({ id: 'server_error_spike', isEnabled: false });
    const data = await send('service_unavailable', 'acme-corp', '503');
    expect(data).toMatchObject({ patternId: 'service_unavailable', confidence: 'High' });
    await call('PATCH', '/patterns/auth_failure', { body: { isEnabled: false } });
    expect((await send('auth_failed', 'acme-corp', '401')).patternId).toBeNull();
  });

  it('lists the twelve patterns in priority order with the table thresholds', async () => {
    const answer = await call<Pattern[]>('GET', '/patterns');
    const patterns = answer.body.data;
    expect(patterns.map((p) => p.id)).toEqual([
      'auth_failure',
      'webhook_failure_spike',
      'rate_limit_exceeded',
      'timeout_spike',
      'task_canceled_spike',
      'validation_failure_spike',
      'server_error_spike',
      'connection_failure',
      'service_unavailable',
      'data_sync_failure',
      'ssl_certificate_error',
      'quota_exceeded',
    ]);
    expect(patterns.map((p) => p.priority)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(patterns[0]).toEqual({
      id: 'auth_failure',
      name: 'Auth Failure',
      priority: 1,
      isEnabled: true,
      thresholdCount: null,
      thresholdWindowSeconds: null,
      eventTypes: ['token_refresh_failed', 'auth_failed'],
      errorCodes: ['401', '403', 'invalid_grant', 'token_expired'],
    });
    expect(patterns[1]).toMatchObject({ thresholdCount: 10, thresholdWindowSeconds: 300 });
    expect(patterns[7]).toMatchObject({
      id: 'connection_failure',
      thresholdCount: 3,
      thresholdWindowSeconds: 120,
    });
  });
});

describe('grouping', () => {
  it('groups events into one incident per integrationKey + pattern and grows affectedTenants', async () => {
    const first = await send('webhook_failed', 'acme-corp', '503');
    clock.advance(1000);
    const second = await send('webhook_failed', 'beta-ltd', '503');
    expect(second).toMatchObject({
      incidentId: first.incidentId,
      incidentStatus: 'Open',
      patternId: 'webhook_failure_spike',
      confidence: 'High',
      isNewIncident: false,
      affectedTenants: ['acme-corp', 'beta-ltd'],
    });
    clock.advance(1000);
    const third = await send('webhook_timeout', 'acme-corp');
    expect(third.affectedTenants).toEqual(['acme-corp', 'beta-ltd']);
    const other = await send('webhook_failed', 'acme-corp', '503', 'crm-sync');
    expect(other.isNewIncident).toBe(true);
    expect(other.incidentId).not.toBe(first.incidentId);

    const inc = await incident(first.incidentId);
    expect(Object.keys(inc).sort()).toEqual(
      [
        'id',
        'workspaceId',
        'integrationKey',
        'patternId',
        'patternName',
        'status',
        'confidence',
        'openedAt',
        'recoveringAt',
        'closedAt',
        'reopenedAt',
        'reopenCount',
        'eventCount',
        'tenantCount',
        'isChronic',
        'affectedTenants',
      ].sort(),
    );
    expect(inc).toMatchObject({
      integrationKey: 'payments-service',
      patternId: 'webhook_failure_spike',
      patternName: 'Webhook Failure Spike',
      status: 'Open',
      openedAt: '2025-03-26T08:14:22Z',
      recoveringAt: null,
      closedAt: null,
      reopenedAt: null,
      reopenCount: 0,
      eventCount: 3,
      tenantCount: 2,
      isChronic: false,
    });
    expect(inc.affectedTenants).toEqual([
      {
        tenantId: expect.any(String),
        tenantName: 'acme-corp',
        eventCount: 2,
        firstSeenAt: '2025-03-26T08:14:22Z',
        lastSeenAt: '2025-03-26T08:14:24Z',
      },
      {
        tenantId: expect.any(String),
        tenantName: 'beta-ltd',
        eventCount: 1,
        firstSeenAt: '2025-03-26T08:14:23Z',
        lastSeenAt: '2025-03-26T08:14:23Z',
      },
    ]);
    const tenants = await call<Page<Tenant>>('GET', '/tenants');
    expect(tenants.body.data.items.map((t) => t.externalId)).toEqual(['acme-corp', 'beta-ltd']);
    expect(inc.affectedTenants[0]?.tenantId).toBe(tenants.body.data.items[0]?.id);
  });
});

describe('paging and filters', () => {
  it('pages incidents newest first with the documented defaults', async () => {
    for (let i = 0; i < 30; i++) {
      await send('auth_failed', 'acme-corp', '401', `service-${i}`);
      clock.advance(1000);
    }
    const first = await call<Page<Incident & { integrationKey: string }>>('GET', '/incidents');
    expect(first.body.data).toMatchObject({ page: 1, pageSize: 25, totalCount: 30 });
    expect(first.body.data.items).toHaveLength(25);
    expect(first.body.data.items[0]?.integrationKey).toBe('service-29');
    const second = await call<Page<Incident & { integrationKey: string }>>('GET', '/incidents?page=2');
    expect(second.body.data.items.map((i) => i.integrationKey)).toEqual([
      'service-4',
      'service-3',
      'service-2',
      'service-1',
      'service-0',
    ]);
    const big = await call<Page<Incident>>('GET', '/incidents?pageSize=100');
    expect(big.body.data.items).toHaveLength(30);
    const byKey = await call<Page<Incident>>('GET', '/incidents?integrationKey=service-7');
    expect(byKey.body.data.totalCount).toBe(1);
  });

  it('pages the events of one incident', async () => {
    const opened = await send('auth_failed', 'acme-corp', '401');
    for (let i = 0; i < 4; i++) await send('auth_failed', `tenant-${i}`, '401');
    await send('auth_failed', 'acme-corp', '401', 'other-service');
    const page = await call<Page<{ incidentId: string; tenantId: string }>>(
      'GET',
      `/events?incidentId=${opened.incidentId}&page=2&pageSize=2`,
    );
    expect(page.body.data).toMatchObject({ page: 2, pageSize: 2, totalCount: 5 });
    expect(page.body.data.items.map((e) => e.tenantId)).toEqual(['tenant-1', 'tenant-0']);
    expect(page.body.data.items.every((e) => e.incidentId === opened.incidentId)).toBe(true);
    const all = await call<Page<unknown>>('GET', '/events');
    expect(all.body.data.totalCount).toBe(6);
    const unknown = await call('GET', '/events?incidentId=nope');
    expect(unknown.status).toBe(404);
  });
});

describe('resolve and timeline', () => {
  it('closes an incident manually, then refuses to resolve it again', async () => {
    const opened = await send('auth_failed', 'acme-corp', '401');
    clock.advance(60_000);
    const resolved = await call<Incident>('POST', `/incidents/${opened.incidentId}/resolve`);
    expect(resolved.status).toBe(200);
    expect(resolved.body.data).toMatchObject({ status: 'Closed', closedAt: '2025-03-26T08:15:22Z' });
    const timeline = await call<Array<Record<string, unknown>>>(
      'GET',
      `/incidents/${opened.incidentId}/timeline`,
    );
    expect(timeline.body.data).toEqual([
      {
        fromStatus: null,
        toStatus: 'Open',
        reason: 'Pattern matched: auth_failure',
        occurredAt: '2025-03-26T08:14:22Z',
      },
      {
        fromStatus: 'Open',
        toStatus: 'Closed',
        reason: 'Manually resolved',
        occurredAt: '2025-03-26T08:15:22Z',
      },
    ]);
    const again = await call('POST', `/incidents/${opened.incidentId}/resolve`);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ isSuccess: false, errorCode: 3 });
    const missing = await call('POST', '/incidents/nope/resolve');
    expect(missing.status).toBe(404);

    const active = await call<Page<Incident>>('GET', '/incidents');
    expect(active.body.data.totalCount).toBe(0);
    const closed = await call<Page<Incident>>('GET', '/incidents?status=CLOSED');
    expect(closed.body.data.items.map((i) => i.id)).toEqual([opened.incidentId]);
  });
});

describe('lifecycle (ManualClock)', () => {
  it('reproduces the seed timeline example exactly', async () => {
    const opened = await send('auth_failed', 'acme-corp', '401');
    clock.set(Date.parse('2025-03-26T08:20:00Z'));
    expect(await incident(opened.incidentId)).toMatchObject({
      status: 'Recovering',
      recoveringAt: '2025-03-26T08:19:22Z',
    });
    const recovering = await call<Page<Incident>>('GET', '/incidents?status=recovering');
    expect(recovering.body.data.totalCount).toBe(1);

    clock.set(Date.parse('2025-03-26T08:21:05Z'));
    const again = await send('auth_failed', 'beta-ltd', '401');
    expect(again).toMatchObject({
      incidentId: opened.incidentId,
      incidentStatus: 'Open',
      isNewIncident: false,
    });

    clock.set(Date.parse('2025-03-26T08:36:04Z'));
    expect((await incident(opened.incidentId)).status).toBe('Recovering');
    clock.set(Date.parse('2025-03-26T08:40:00Z'));
    const timeline = await call<unknown[]>('GET', `/incidents/${opened.incidentId}/timeline`);
    expect(timeline.body.data).toEqual([
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
    ]);
    expect(await incident(opened.incidentId)).toMatchObject({
      status: 'Closed',
      recoveringAt: '2025-03-26T08:26:05Z',
      closedAt: '2025-03-26T08:36:05Z',
      eventCount: 2,
      tenantCount: 2,
    });
  });

  it('reopens within the cooldown, becomes chronic at 3 reopens, and opens a new incident after it', async () => {
    const opened = await send('auth_failed', 'acme-corp', '401');
    for (let n = 1; n <= 3; n++) {
      clock.advance(20 * MIN); // closed 5 min ago (5 min recovery + 10 min close)
      const before = await incident(opened.incidentId);
      expect(before.status).toBe('Closed');
      const again = await send('auth_failed', n === 2 ? 'beta-ltd' : 'acme-corp', '401');
      expect(again).toMatchObject({
        incidentId: opened.incidentId,
        incidentStatus: 'Open',
        isNewIncident: false,
      });
      expect(again.affectedTenants).toEqual([n === 2 ? 'beta-ltd' : 'acme-corp']);
      const inc = await incident(opened.incidentId);
      expect(inc).toMatchObject({
        status: 'Open',
        reopenCount: n,
        isChronic: n >= 3,
        reopenedAt: new Date(clock.now()).toISOString().replace('.000Z', 'Z'),
        closedAt: null,
      });
    }
    const timeline = await call<Array<{ reason: string }>>('GET', `/incidents/${opened.incidentId}/timeline`);
    expect(timeline.body.data.at(-1)).toMatchObject({
      fromStatus: 'Closed',
      toStatus: 'Open',
      reason: 'Reopened: new event within 15 min cooldown',
    });
    const chronic = await call<Page<Incident>>('GET', '/incidents?chronic=true');
    expect(chronic.body.data.items.map((i) => i.id)).toEqual([opened.incidentId]);

    clock.advance(15 * MIN + 15 * MIN + 1000); // closed, then the whole cooldown and one second more
    const fresh = await send('auth_failed', 'acme-corp', '401');
    expect(fresh.isNewIncident).toBe(true);
    expect(fresh.incidentId).not.toBe(opened.incidentId);
    const stats = await call<Record<string, unknown>>('GET', '/workspaces/stats');
    expect(stats.body.data).toMatchObject({ openIncidents: 1, recoveringIncidents: 0, reopenRate: 0.5 });
  });

  it('builds the reasons from the configured windows', async () => {
    const patched = await call<Record<string, unknown>>('PATCH', '/workspaces/me', {
      body: { name: 'Ops', recoveryWindowSeconds: 120, closeWindowSeconds: 90, cooldownWindowSeconds: 1800 },
    });
    expect(patched.body.data).toMatchObject({
      name: 'Ops',
      recoveryWindowSeconds: 120,
      closeWindowSeconds: 90,
      cooldownWindowSeconds: 1800,
    });
    const bad = await call('PATCH', '/workspaces/me', { body: { closeWindowSeconds: -5 } });
    expect(bad.body).toEqual({
      isSuccess: false,
      errorCode: 4,
      message: 'closeWindowSeconds must be a positive integer.',
    });
    const opened = await send('auth_failed', 'acme-corp', '401');
    clock.advance(25 * MIN);
    await send('auth_failed', 'acme-corp', '401');
    const timeline = await call<Array<{ reason: string; occurredAt: string }>>(
      'GET',
      `/incidents/${opened.incidentId}/timeline`,
    );
    expect(timeline.body.data.map((e) => [e.reason, e.occurredAt])).toEqual([
      ['Pattern matched: auth_failure', '2025-03-26T08:14:22Z'],
      ['No events for 2 min', '2025-03-26T08:16:22Z'],
      ['Stable for 90 s', '2025-03-26T08:17:52Z'],
      ['Reopened: new event within 30 min cooldown', '2025-03-26T08:39:22Z'],
    ]);
  });
});

describe('thresholds and alerts', () => {
  it('opens the incident silently until the threshold is met inside the window', async () => {
    await call('PUT', '/workspaces/me/channels/slack', {
      body: { config: { webhookUrl: 'https://hooks.slack.com/services/T1/B2/secret' }, isEnabled: true },
    });
    const patch = await call<Pattern>('PATCH', '/patterns/auth_failure', {
      body: { thresholdCount: 2, thresholdWindowSeconds: 60 },
    });
    expect(patch.body.data).toMatchObject({ thresholdCount: 2, thresholdWindowSeconds: 60 });
    const first = await send('auth_failed', 'acme-corp', '401');
    expect(first).toMatchObject({ isNewIncident: true, incidentStatus: 'Open' });
    expect((await incident(first.incidentId)).status).toBe('Open');
    clock.advance(61_000);
    await send('auth_failed', 'acme-corp', '401');
    expect(emu.alerts).toEqual([]);
    clock.advance(9_000);
    await send('auth_failed', 'acme-corp', '401');
    expect(emu.alerts).toEqual([
      {
        workspaceId: expect.any(String),
        incidentId: first.incidentId,
        patternId: 'auth_failure',
        kind: 'opened',
        occurredAt: '2025-03-26T08:15:32Z',
        channels: ['slack'],
      },
    ]);
    await send('auth_failed', 'beta-ltd', '401');
    expect(emu.alerts.map((a) => a.kind)).toEqual(['opened', 'blast_radius_expanded']);
    clock.advance(20 * MIN);
    await call('GET', '/incidents');
    expect(emu.alerts.map((a) => a.kind)).toEqual(['opened', 'blast_radius_expanded', 'resolved']);
  });

  it('alerts at once without a threshold and honours the default spike threshold', async () => {
    await send('auth_failed', 'acme-corp', '401');
    expect(emu.alerts.map((a) => a.kind)).toEqual(['opened']);
    for (let i = 0; i < 9; i++) await send('webhook_failed', 'acme-corp');
    expect(emu.alerts).toHaveLength(1);
    await send('webhook_failed', 'acme-corp');
    expect(emu.alerts.map((a) => [a.kind, a.patternId])).toEqual([
      ['opened', 'auth_failure'],
      ['opened', 'webhook_failure_spike'],
    ]);
  });

  it('validates pattern patches', async () => {
    for (const [body, message] of [
      [{ thresholdCount: 0 }, 'thresholdCount must be a positive integer.'],
      [{ thresholdCount: 'x' }, 'thresholdCount must be a positive integer.'],
      [{ thresholdWindowSeconds: 1.5 }, 'thresholdWindowSeconds must be a positive integer.'],
      [{ isEnabled: 'yes' }, 'isEnabled must be a boolean.'],
      [{ thresholdCount: 5 }, 'thresholdWindowSeconds is required when thresholdCount is set.'],
    ] as const) {
      const answer = await call('PATCH', '/patterns/auth_failure', { body });
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({ isSuccess: false, errorCode: 4, message });
    }
    const cleared = await call<Pattern>('PATCH', '/patterns/webhook_failure_spike', {
      body: { thresholdCount: null, thresholdWindowSeconds: null },
    });
    expect(cleared.body.data).toMatchObject({ thresholdCount: null, thresholdWindowSeconds: null });
    const missing = await call('PATCH', '/patterns/nope', { body: { isEnabled: false } });
    expect(missing.status).toBe(404);
  });
});

describe('workspace', () => {
  it('rotates the key and the old one stops working at once', async () => {
    const oldKey = emu.apiKey;
    const rotated = await call<{ workspace: Record<string, unknown>; apiKey: string }>(
      'POST',
      '/workspaces/rotate-key',
    );
    const { apiKey, workspace } = rotated.body.data;
    expect(apiKey).toMatch(/^sg_[0-9a-f]{48}$/);
    expect(apiKey).not.toBe(oldKey);
    expect(workspace).toEqual({ id: expect.any(String), name: 'Sandbox', apiKeyPrefix: apiKey.slice(0, 10) });
    expect(emu.apiKey).toBe(apiKey);
    expect((await call('GET', '/workspaces/me', { key: oldKey })).status).toBe(401);
    expect((await call('GET', '/workspaces/me', { key: apiKey })).status).toBe(200);
  });

  it('upserts and removes channels, masking secrets and validating per provider', async () => {
    const slack = await call('PUT', '/workspaces/me/channels/slack', {
      body: { config: { webhookUrl: 'https://hooks.slack.com/services/T1/B2/secret' }, isEnabled: true },
    });
    expect(slack.body.data).toEqual({
      provider: 'slack',
      isEnabled: true,
      config: { webhookUrl: 'https://hooks.slack.com/****' },
    });
    await call('PUT', '/workspaces/me/channels/pagerduty', {
      body: { config: { routingKey: 'R01ABCDEF1234567890ABCDEF12345678' }, isEnabled: false },
    });
    const me = await call<{ channels: unknown[] }>('GET', '/workspaces/me');
    expect(me.body.data.channels).toEqual([
      { provider: 'slack', isEnabled: true, config: { webhookUrl: 'https://hooks.slack.com/****' } },
      { provider: 'pagerduty', isEnabled: false, config: { routingKey: '****5678' } },
    ]);
    expect(JSON.stringify(me.body)).not.toContain('secret');
    const badOps = await call('PUT', '/workspaces/me/channels/opsgenie', {
      body: { config: { webhookUrl: 'x' } },
    });
    expect(badOps.body).toEqual({ isSuccess: false, errorCode: 4, message: 'config.apiKey is required.' });
    const badTeams = await call('PUT', '/workspaces/me/channels/teams', {
      body: { config: { webhookUrl: 'nope' } },
    });
    expect(badTeams.body.message).toBe('config.webhookUrl must be a valid URL.');
    const badProvider = await call('PUT', '/workspaces/me/channels/email', { body: { config: {} } });
    expect(badProvider.status).toBe(400);
    expect((await call('DELETE', '/workspaces/me/channels/slack')).status).toBe(200);
    const gone = await call('DELETE', '/workspaces/me/channels/slack');
    expect(gone.status).toBe(404);
    expect(gone.body.errorCode).toBe(2);
  });

  it('computes stats and trends from the data', async () => {
    const empty = await call<Record<string, unknown>>('GET', '/workspaces/stats');
    expect(empty.body.data).toEqual({
      openIncidents: 0,
      recoveringIncidents: 0,
      mttrSeconds: null,
      reopenRate: 0,
      topPatterns: [],
    });
    clock.set(Date.parse('2025-03-24T10:00:00Z'));
    const a = await send('auth_failed', 'acme-corp', '401', 'svc-a');
    clock.advance(90_000);
    await call('POST', `/incidents/${a.incidentId}/resolve`);
    clock.set(Date.parse('2025-03-26T10:00:00Z'));
    await send('auth_failed', 'acme-corp', '401', 'svc-b');
    await send('auth_failed', 'acme-corp', '401', 'svc-c');
    await send('sync_failed', 'acme-corp', undefined, 'svc-d');
    const stats = await call<Record<string, unknown>>('GET', '/workspaces/stats');
    expect(stats.body.data).toEqual({
      openIncidents: 3,
      recoveringIncidents: 0,
      mttrSeconds: 90,
      reopenRate: 0,
      topPatterns: [
        { patternId: 'auth_failure', count: 3 },
        { patternId: 'data_sync_failure', count: 1 },
      ],
    });
    const trends = await call<
      Array<{ patternId: string; buckets: Array<{ date: string; count: number }>; trend: string }>
    >('GET', '/workspaces/trends');
    const auth = trends.body.data.find((t) => t.patternId === 'auth_failure');
    expect(auth?.buckets).toEqual([
      { date: '2025-03-20', count: 0 },
      { date: '2025-03-21', count: 0 },
      { date: '2025-03-22', count: 0 },
      { date: '2025-03-23', count: 0 },
      { date: '2025-03-24', count: 1 },
      { date: '2025-03-25', count: 0 },
      { date: '2025-03-26', count: 2 },
    ]);
    expect(auth?.trend).toBe('up');
    expect(trends.body.data.map((t) => t.patternId)).toEqual(['auth_failure', 'data_sync_failure']);
  });
});

describe('tenants', () => {
  it('creates, refuses duplicates, deactivates (events then open nothing) and re-activates', async () => {
    const created = await call<Tenant>('POST', '/tenants', {
      body: { externalId: 'acme-corp', name: 'Acme Corp' },
    });
    expect(created.body.data).toEqual({
      id: expect.any(String),
      externalId: 'acme-corp',
      name: 'Acme Corp',
      isActive: true,
      createdAt: '2025-03-26T08:14:22Z',
    });
    const dup = await call('POST', '/tenants', { body: { externalId: 'acme-corp' } });
    expect(dup.status).toBe(409);
    expect(dup.body.errorCode).toBe(3);
    const invalid = await call('POST', '/tenants', { body: { name: 'x' } });
    expect(invalid.body).toEqual({ isSuccess: false, errorCode: 4, message: 'externalId is required.' });

    const opened = await send('auth_failed', 'acme-corp', '401');
    expect((await incident(opened.incidentId)).affectedTenants[0]?.tenantName).toBe('Acme Corp');

    const id = created.body.data.id;
    const off = await call<Tenant>('DELETE', `/tenants/${id}`);
    expect(off.body.data.isActive).toBe(false);
    const ignored = await send('auth_failed', 'acme-corp', '401');
    expect(ignored).toMatchObject({ incidentId: null, patternId: null, isNewIncident: false });
    expect((await incident(opened.incidentId)).eventCount).toBe(1);

    const on = await call<Tenant>('POST', `/tenants/${id}/activate`);
    expect(on.body.data.isActive).toBe(true);
    expect((await send('auth_failed', 'acme-corp', '401')).incidentId).toBe(opened.incidentId);
    expect((await call('DELETE', '/tenants/nope')).status).toBe(404);
    const list = await call<Page<Tenant>>('GET', '/tenants?pageSize=1');
    expect(list.body.data).toMatchObject({ page: 1, pageSize: 1, totalCount: 1 });
  });
});

describe('fault injection', () => {
  it('answers the documented 429 with Retry-After, then recovers', async () => {
    emu.rateLimit({ retryAfterSeconds: 43, times: 2 });
    for (let i = 0; i < 2; i++) {
      const limited = await call('POST', '/events', {
        body: { integrationKey: 'k', eventType: 'x', tenantId: 't' },
      });
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('43');
      expect(limited.body).toEqual({
        isSuccess: false,
        statusCode: 429,
        message: 'Rate limit exceeded. Try again in 43 seconds.',
      });
    }
    expect((await call('GET', '/patterns')).status).toBe(200);
  });

  it('matches faults on method and path (with or without /api/v1, or a RegExp)', async () => {
    emu.inject({ fault: { kind: 'status', status: 503 }, method: 'post', path: '/events', times: 2 });
    emu.inject({
      fault: { kind: 'status', status: 502, body: { custom: true } },
      path: /\/incidents\/[^/]+$/,
    });
    expect((await call('GET', '/patterns')).status).toBe(200);
    const unavailable = await call('POST', '/events', { body: {} });
    expect(unavailable.status).toBe(503);
    expect(unavailable.body).toEqual({ isSuccess: false, errorCode: 5, message: 'Service Unavailable.' });
    expect((await call('POST', '/events', { body: {} })).status).toBe(503);
    expect((await call('POST', '/events', { body: {} })).status).toBe(400);
    const custom = await call('GET', '/incidents/abc');
    expect(custom.status).toBe(502);
    expect(custom.body).toEqual({ custom: true });
    emu.inject({
      fault: { kind: 'status', status: 500 },
      path: '/api/v1/patterns',
      times: Number.POSITIVE_INFINITY,
    });
    for (let i = 0; i < 3; i++) expect((await call('GET', '/patterns')).status).toBe(500);
    emu.clearFaults();
    expect((await call('GET', '/patterns')).status).toBe(200);
  });

  it('resets the connection without answering', async () => {
    emu.inject({ fault: { kind: 'reset' } });
    await expect(fetch(`${base}/patterns`, { headers: { 'X-Api-Key': emu.apiKey } })).rejects.toThrow();
    expect((await call('GET', '/patterns')).status).toBe(200);
  });

  it('answers 200 with a truncated non-JSON body', async () => {
    emu.inject({ fault: { kind: 'malformed' } });
    const res = await fetch(`${base}/patterns`, { headers: { 'X-Api-Key': emu.apiKey } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    await expect(res.json()).rejects.toThrow();
  });

  it('delays then answers normally, and drops a delayed request whose client went away', async () => {
    // The delayed request is held while a later one is answered; then it gets its normal answer.
    emu.inject({ fault: { kind: 'delay', ms: 1_000 }, path: '/patterns' });
    const order: string[] = [];
    const delayed = call<Pattern[]>('GET', '/patterns').then((a) => {
      order.push('delayed');
      return a;
    });
    expect((await call('GET', '/incidents')).status).toBe(200);
    order.push('undelayed');
    const answer = await delayed;
    expect(order).toEqual(['undelayed', 'delayed']);
    expect(answer.status).toBe(200);
    expect(answer.body.data).toHaveLength(12);

    emu.inject({ fault: { kind: 'delay', ms: 200 } });
    const body = JSON.stringify({ integrationKey: 'k', eventType: 'auth_failed', tenantId: 't' });
    await expect(
      fetch(`${base}/events`, {
        method: 'POST',
        headers: { 'X-Api-Key': emu.apiKey, 'Content-Type': 'application/json' },
        body,
        signal: AbortSignal.timeout(50),
      }),
    ).rejects.toThrow();
    // A 300 ms delay on the next request outlasts the dropped request's 200 ms timer: had the timer not been
    // cleared, the event would be stored by the time this answer arrives.
    emu.inject({ fault: { kind: 'delay', ms: 300 } });
    const events = await call<Page<unknown>>('GET', '/events');
    expect(events.body.data.totalCount).toBe(0);
    expect(emu.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
  });
});

describe('request log, reset and close', () => {
  it('records method, path, query, lowercased headers and the parsed body of every request', async () => {
    emu.rateLimit({ retryAfterSeconds: 5 });
    await call('GET', '/incidents?status=closed&tag=a&tag=b');
    const body = { integrationKey: 'k', eventType: 'auth_failed', tenantId: 't', rawPayload: { n: 1 } };
    await call('POST', '/events', { body, headers: { 'X-Trace': 'abc' } });
    await call('POST', '/events', { rawBody: '{oops' });
    expect(emu.requests).toHaveLength(3);
    expect(emu.requests[0]).toEqual({
      method: 'GET',
      path: '/api/v1/incidents',
      query: { status: 'closed', tag: ['a', 'b'] },
      headers: expect.objectContaining({ 'x-api-key': emu.apiKey }),
      body: undefined,
      at: expect.any(Number),
    });
    expect(emu.requests[1]).toMatchObject({
      method: 'POST',
      path: '/api/v1/events',
      query: {},
      headers: { 'x-trace': 'abc', 'content-type': 'application/json' },
      body,
    });
    expect(emu.requests[1]?.query).toEqual({});
    expect(emu.requests[2]?.body).toBe('{oops');
  });

  it('reset() empties the data and restores the initial key and settings', async () => {
    await send('auth_failed', 'acme-corp', '401');
    await call('POST', '/workspaces/rotate-key');
    await call('PATCH', '/patterns/auth_failure', { body: { isEnabled: false } });
    emu.inject({ fault: { kind: 'status', status: 500 }, times: Number.POSITIVE_INFINITY });
    emu.reset();
    expect(emu.apiKey).toBe(DEFAULT_SANDBOX_API_KEY);
    expect(emu.requests).toHaveLength(0);
    expect(emu.alerts).toHaveLength(0);
    expect((await call<Page<unknown>>('GET', '/incidents?status=all')).body.data.totalCount).toBe(0);
    expect((await call<Page<unknown>>('GET', '/tenants')).body.data.totalCount).toBe(0);
    expect((await call<Pattern[]>('GET', '/patterns')).body.data[0]?.isEnabled).toBe(true);
  });

  it('close() ends keep-alive connections and the server stops answering', async () => {
    const other = createSyncGuardEmulator({ apiKey: `sg_${'ab'.repeat(24)}` });
    const url = await other.listen();
    const res = await fetch(`${url}/workspaces/me`, { headers: { 'X-Api-Key': other.apiKey } });
    expect(res.status).toBe(200);
    await res.json();
    await other.close();
    expect(() => other.url).toThrow(/not listening/);
    await expect(fetch(`${url}/workspaces/me`, { headers: { 'X-Api-Key': other.apiKey } })).rejects.toThrow();
  });
});
