import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSyncGuardEmulator, type SyncGuardEmulator } from '../../src/sandbox/syncguard/index.js';
import { connectInProcess, type InProcess, jsonOf, textOf } from '../helpers/in-process.js';

let emulator: SyncGuardEmulator;
let mcp: InProcess;
let baseUrl: string;

beforeAll(async () => {
  emulator = createSyncGuardEmulator();
  baseUrl = await emulator.listen();
  mcp = await connectInProcess(
    { SYNCGUARD_API_KEY: emulator.apiKey, SYNCGUARD_BASE_URL: baseUrl },
    ['--toolsets', 'all'],
    { maxRetries: 2 },
  );
});
afterAll(async () => {
  await mcp.close();
  await emulator.close();
});
beforeEach(() => {
  emulator.reset();
  emulator.requests.length = 0;
});
afterEach(() => emulator.clearFaults());

const last = () => {
  const r = emulator.requests.at(-1);
  if (!r) throw new Error('no upstream request');
  return r;
};

describe('send_event', () => {
  it('sends exactly the documented request and returns the documented fields', async () => {
    const args = {
      integrationKey: 'payments-service',
      eventType: 'token_refresh_failed',
      tenantId: 'acme-corp',
      errorCode: '401',
      rawPayload: { endpoint: '/v2/token', attemptNumber: 3 },
    };
    const result = await mcp.call('send_event', args);
    expect(result.isError).toBeFalsy();
    expect(emulator.requests).toHaveLength(1);
    const req = last();
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/api/v1/events');
    expect(req.query).toEqual({});
    expect(req.headers['x-api-key']).toBe(emulator.apiKey);
    expect(req.headers.authorization).toBeUndefined();
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.body).toEqual(args);
    expect(result.structuredContent).toMatchObject({
      incidentStatus: 'Open',
      patternId: 'auth_failure',
      confidence: 'High',
      isNewIncident: true,
      affectedTenants: ['acme-corp'],
    });
    const sc = result.structuredContent as { eventId: string; incidentId: string };
    expect(sc.eventId).toMatch(/\S/);
    expect(sc.incidentId).toMatch(/\S/);
    expect(jsonOf(result)).toEqual(result.structuredContent);
  });

  it('omits optional fields the model did not give', async () => {
    await mcp.call('send_event', { integrationKey: 'crm', eventType: 'webhook_failed', tenantId: 't1' });
    expect(last().body).toEqual({ integrationKey: 'crm', eventType: 'webhook_failed', tenantId: 't1' });
  });

  it('groups a second event into the same incident and grows affectedTenants', async () => {
    const a = await mcp.call('send_event', {
      integrationKey: 'crm',
      eventType: 'webhook_failed',
      tenantId: 'acme',
    });
    const b = await mcp.call('send_event', {
      integrationKey: 'crm',
      eventType: 'webhook_failed',
      tenantId: 'beta',
    });
    const first = a.structuredContent as { incidentId: string };
    expect(b.structuredContent).toMatchObject({
      incidentId: first.incidentId,
      isNewIncident: false,
      patternId: 'webhook_failure_spike',
      affectedTenants: ['acme', 'beta'],
    });
  });

  it('refuses bad arguments before anything is sent', async () => {
    const result = await mcp.call('send_event', { integrationKey: 'crm', eventType: 'x', extra: 1 });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/tenantId/);
    expect(textOf(result)).toMatch(/unknown field\(s\) extra/);
    expect(emulator.requests).toHaveLength(0);
  });

  it('is not replayed after a 500 (a write is never sent twice)', async () => {
    emulator.inject({ fault: { kind: 'status', status: 500 }, times: 5 });
    const result = await mcp.call('send_event', {
      integrationKey: 'crm',
      eventType: 'webhook_failed',
      tenantId: 't',
    });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/SyncGuard is unavailable \(HTTP 500\)/);
    expect(textOf(result)).toMatch(/may or may not have been applied/);
    expect(emulator.requests).toHaveLength(1);
  });

  it('reports the documented 429 with retryAfterSeconds and does not replay the POST', async () => {
    emulator.rateLimit({ retryAfterSeconds: 43, times: 3 });
    const result = await mcp.call('send_event', {
      integrationKey: 'crm',
      eventType: 'webhook_failed',
      tenantId: 't',
    });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/rate limit reached \(HTTP 429\).*Retry after 43 s/);
    expect(result._meta).toEqual({ retryAfterSeconds: 43 });
    expect(result.structuredContent).toBeUndefined();
    expect(emulator.requests).toHaveLength(1);
  });

  it('names the env var on a 401 and never shows the key', async () => {
    const mcpBad = await connectInProcess({
      SYNCGUARD_API_KEY: 'sg_wrongwrongwrong',
      SYNCGUARD_BASE_URL: baseUrl,
    });
    try {
      const result = await mcpBad.call('send_event', {
        integrationKey: 'crm',
        eventType: 'auth_failed',
        tenantId: 't',
      });
      expect(result.isError).toBe(true);
      expect(textOf(result)).toMatch(/HTTP 401/);
      expect(textOf(result)).toMatch(/SYNCGUARD_API_KEY/);
      expect(textOf(result)).not.toContain('sg_wrongwrongwrong');
    } finally {
      await mcpBad.close();
    }
  });

  it('turns the validation envelope (errorCode 4) into field errors', async () => {
    emulator.inject({
      fault: {
        kind: 'status',
        status: 400,
        body: { isSuccess: false, errorCode: 4, message: 'tenantId is required.' },
      },
    });
    const result = await mcp.call('send_event', {
      integrationKey: 'crm',
      eventType: 'auth_failed',
      tenantId: 't',
    });
    expect(textOf(result)).toMatch(
      /rejected the request \(HTTP 400\)[\s\S]*message: tenantId is required\.?\nfields: tenantId/,
    );
    expect(textOf(result)).toMatch(/code: 4/);
  });

  it('says an answer without eventId or incidentId leaves the outcome unknown, and not to resend', async () => {
    const args = { integrationKey: 'crm', eventType: 'auth_failed', tenantId: 't' };
    for (const data of [{}, null]) {
      emulator.inject({
        method: 'POST',
        path: '/events',
        fault: { kind: 'status', status: 200, body: { isSuccess: true, data } },
      });
      const result = await mcp.call('send_event', args);
      expect(result.isError).toBeFalsy();
      expect(result.structuredContent).toMatchObject({
        eventId: null,
        incidentId: null,
        isNewIncident: false,
      });
      const note = String((result.structuredContent as { note?: unknown }).note);
      expect(note).toMatch(/accepted the event \(HTTP 200\) but its answer did not say what became of it/);
      expect(note).toMatch(/Do not send it again/);
      expect(note).toMatch(/list_incidents with integrationKey "crm"/);
      expect(jsonOf(result)).toEqual(result.structuredContent);
    }
    expect(emulator.requests).toHaveLength(2);
  });

  it('reports an event SyncGuard stored without an incident as matching no pattern, with no note', async () => {
    const result = await mcp.call('send_event', {
      integrationKey: 'crm',
      eventType: 'something_unheard_of',
      tenantId: 't',
    });
    const sc = result.structuredContent as Record<string, unknown>;
    expect(sc.eventId).toMatch(/\S/);
    expect(sc.incidentId).toBeNull();
    expect(sc).not.toHaveProperty('note');
  });

  it('survives a malformed upstream body', async () => {
    emulator.inject({ fault: { kind: 'malformed' } });
    const result = await mcp.call('send_event', {
      integrationKey: 'crm',
      eventType: 'auth_failed',
      tenantId: 't',
    });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/could not be read/);
  });
});

describe('list_incidents', () => {
  async function seed() {
    await mcp.call('send_event', {
      integrationKey: 'crm',
      eventType: 'auth_failed',
      tenantId: 'a',
      errorCode: '401',
    });
    await mcp.call('send_event', { integrationKey: 'billing', eventType: 'request_timeout', tenantId: 'b' });
    await mcp.call('send_event', { integrationKey: 'erp', eventType: 'sync_failed', tenantId: 'c' });
    emulator.requests.length = 0;
  }

  it('sends only the default page size when called without arguments and returns summaries', async () => {
    await seed();
    const result = await mcp.call('list_incidents', {});
    const req = last();
    expect(req.method).toBe('GET');
    expect(req.path).toBe('/api/v1/incidents');
    // Sent so that a bare-array page (api-notes §8.2) tells a full page from the last one.
    expect(req.query).toEqual({ pageSize: '25' });
    expect(req.headers['x-api-key']).toBe(emulator.apiKey);
    expect(req.body).toBeUndefined();
    const sc = result.structuredContent as { items: Array<Record<string, unknown>>; nextCursor?: string };
    expect(sc.items).toHaveLength(3);
    expect(sc.nextCursor).toBeUndefined();
    for (const item of sc.items) {
      expect(item).toMatchObject({ status: 'Open' });
      expect(item.id).toEqual(expect.any(String));
      expect(item).not.toHaveProperty('affectedTenants');
      expect(item).not.toHaveProperty('workspaceId');
    }
  });

  it('passes the documented filters as query parameters', async () => {
    await seed();
    await mcp.call('list_incidents', { status: ['closed'], integrationKey: 'crm', chronic: true });
    expect(last().query).toEqual({
      status: 'closed',
      integrationKey: 'crm',
      chronic: 'true',
      pageSize: '25',
    });
    await mcp.call('list_incidents', { chronic: false });
    expect(last().query).toEqual({ pageSize: '25' });
  });

  it('pages with an opaque cursor through page/pageSize', async () => {
    await seed();
    const p1 = await mcp.call('list_incidents', { pageSize: 2 });
    expect(last().query).toEqual({ pageSize: '2' });
    const s1 = p1.structuredContent as { items: Array<{ id: string }>; nextCursor?: string };
    expect(s1.items).toHaveLength(2);
    expect(typeof s1.nextCursor).toBe('string');
    const p2 = await mcp.call('list_incidents', { cursor: s1.nextCursor });
    expect(last().query).toEqual({ page: '2', pageSize: '2' });
    const s2 = p2.structuredContent as { items: Array<{ id: string }>; nextCursor?: string };
    expect(s2.items).toHaveLength(1);
    expect(s2.nextCursor).toBeUndefined();
    const ids = [...s1.items, ...s2.items].map((i) => i.id);
    expect(new Set(ids).size).toBe(3);
  });

  it('refuses a cursor from another tool', async () => {
    const bogus = Buffer.from(JSON.stringify({ t: 'list_events', s: { page: 2 } })).toString('base64url');
    const result = await mcp.call('list_incidents', { cursor: bogus });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/cursor/);
    expect(emulator.requests).toHaveLength(0);
  });

  it('retries a GET after a 503 and succeeds', async () => {
    emulator.inject({ fault: { kind: 'status', status: 503 }, times: 1 });
    const result = await mcp.call('list_incidents', {});
    expect(result.isError).toBeFalsy();
    expect(emulator.requests).toHaveLength(2);
  });
});

describe('resolve_incident', () => {
  it('POSTs /incidents/{id}/resolve with no body and returns the closed incident', async () => {
    const sent = await mcp.call('send_event', {
      integrationKey: 'crm',
      eventType: 'auth_failed',
      tenantId: 'a',
    });
    const { incidentId } = sent.structuredContent as { incidentId: string };
    emulator.requests.length = 0;
    const result = await mcp.call('resolve_incident', { id: incidentId });
    const req = last();
    expect(req.method).toBe('POST');
    expect(req.path).toBe(`/api/v1/incidents/${incidentId}/resolve`);
    expect(req.body).toBeUndefined();
    expect(req.headers['content-type']).toBeUndefined();
    expect(req.headers['x-api-key']).toBe(emulator.apiKey);
    expect(result.structuredContent).toMatchObject({
      resolved: true,
      id: incidentId,
      incident: { status: 'Closed' },
    });
    const open = await mcp.call('list_incidents', {});
    expect((open.structuredContent as { items: unknown[] }).items).toHaveLength(0);
  });

  it('reports as resolved only an incident SyncGuard returns closed (any case), naming any other status', async () => {
    for (const [status, resolved] of [
      ['Open', false],
      ['Recovering', false],
      ['closed', true],
      ['CLOSED', true],
    ] as const) {
      emulator.inject({
        method: 'POST',
        path: '/incidents/inc-1/resolve',
        fault: { kind: 'status', status: 200, body: { isSuccess: true, data: { id: 'inc-1', status } } },
      });
      const result = await mcp.call('resolve_incident', { id: 'inc-1' });
      expect(result.structuredContent).toMatchObject({ resolved, id: 'inc-1', incident: { status } });
      expect((result.structuredContent as { note?: unknown }).note, status).toBe(
        resolved
          ? undefined
          : `SyncGuard's answer shows the incident in status ${status}, not Closed: not resolved.`,
      );
    }
  });

  it("says when the answer does not show the incident's status, instead of reporting it resolved", async () => {
    for (const fault of [
      { kind: 'status' as const, status: 204 },
      { kind: 'status' as const, status: 200, body: { isSuccess: true, data: null } },
      { kind: 'status' as const, status: 200, body: { isSuccess: true, data: { id: 'inc-1' } } },
    ]) {
      emulator.inject({ method: 'POST', path: '/incidents/inc-1/resolve', fault });
      const result = await mcp.call('resolve_incident', { id: 'inc-1' });
      expect(result.isError, textOf(result)).toBeFalsy();
      expect(result.structuredContent).toMatchObject({ resolved: true, id: 'inc-1' });
      expect((result.structuredContent as { note?: unknown }).note).toBe(
        `SyncGuard accepted the resolve (HTTP ${fault.status}) but its answer did not show the incident's ` +
          'status: resolved above is what was asked, not confirmed. get_incident shows the incident as SyncGuard holds it.',
      );
    }
  });

  it('says how to find a valid id on a 404', async () => {
    const result = await mcp.call('resolve_incident', { id: 'no-such-incident' });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/not found \(HTTP 404\).*list_incidents/);
  });

  it('encodes the id as one path segment and refuses traversal', async () => {
    await mcp.call('resolve_incident', { id: 'a/b?c' });
    expect(last().path).toBe('/api/v1/incidents/a%2Fb%3Fc/resolve');
    emulator.requests.length = 0;
    const result = await mcp.call('resolve_incident', { id: '..' });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/not a valid id/);
    expect(emulator.requests).toHaveLength(0);
  });
});
