import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/sandbox/common/clock.js';
import { createSyncGuardEmulator, type SyncGuardEmulator } from '../../src/sandbox/syncguard/index.js';
import { connectInProcess, type InProcess, textOf } from '../helpers/in-process.js';

const clock = new ManualClock(Date.UTC(2026, 0, 10, 9, 0, 0));
let emulator: SyncGuardEmulator;
let mcp: InProcess;

interface Page {
  items: Array<{ id: string; integrationKey: string; status: string; openedAt: string }>;
  nextCursor?: string;
  note?: string;
}

beforeAll(async () => {
  emulator = createSyncGuardEmulator({ clock });
  const baseUrl = await emulator.listen();
  mcp = await connectInProcess(
    { SYNCGUARD_API_KEY: emulator.apiKey, SYNCGUARD_BASE_URL: baseUrl },
    ['--toolsets', 'all'],
    { maxRetries: 0 },
  );
});
afterAll(async () => {
  await mcp.close();
  await emulator.close();
});
beforeEach(() => {
  emulator.reset();
});

async function list(args: Record<string, unknown>): Promise<Page> {
  const r = await mcp.call('list_incidents', args);
  if (r.isError) throw new Error(textOf(r));
  return r.structuredContent as unknown as Page;
}

async function incident(integrationKey: string): Promise<string> {
  const r = await mcp.call('send_event', {
    integrationKey,
    eventType: 'auth_failed',
    tenantId: 't',
    errorCode: '401',
  });
  return (r.structuredContent as { incidentId: string }).incidentId;
}

/** crm opened at T0 and resolved; billing opened at T0+4 min (and failing again at T0+8); erp opened at T0+8; now T0+9. */
async function seed(): Promise<void> {
  const crm = await incident('crm');
  await mcp.call('resolve_incident', { id: crm });
  clock.advance(4 * 60_000);
  await incident('billing');
  clock.advance(4 * 60_000);
  await incident('billing');
  await incident('erp');
  clock.advance(60_000);
  emulator.requests.length = 0;
}
const minutesAgo = (m: number) => new Date(clock.now() - m * 60_000).toISOString();

const incidentOf = (id: string, integrationKey: string, status: string) => ({
  id,
  integrationKey,
  status,
  openedAt: minutesAgo(1),
});

/** The next GET /incidents is answered with this one page of `items`, whatever it asked. */
function answerIncidents(items: unknown[]): void {
  emulator.inject({
    method: 'GET',
    path: '/incidents',
    fault: {
      kind: 'status',
      status: 200,
      body: { isSuccess: true, data: { items, page: 1, pageSize: 25, totalCount: items.length } },
    },
  });
}

describe('list_incidents statuses', () => {
  it('["all"] reads the active incidents and then the closed ones (SyncGuard takes one status per request)', async () => {
    await seed();
    const page = await list({ status: ['all'] });
    expect(emulator.requests.map((r) => r.query)).toEqual([
      { pageSize: '25' },
      { status: 'closed', pageSize: '25' },
    ]);
    expect(page.items.map((i) => [i.integrationKey, i.status])).toEqual([
      ['erp', 'Open'],
      ['billing', 'Open'],
      ['crm', 'Closed'],
    ]);
    expect(page.nextCursor).toBeUndefined();
  });

  it('several statuses page through each query in turn with one cursor', async () => {
    await seed();
    const first = await list({ status: ['open', 'closed'], pageSize: 1 });
    expect(emulator.requests.map((r) => r.query)).toEqual([{ status: 'open', pageSize: '1' }]);
    expect(first.items.map((i) => i.integrationKey)).toEqual(['erp']);
    emulator.requests.length = 0;
    const second = await list({ status: ['open', 'closed'], cursor: first.nextCursor });
    expect(emulator.requests.map((r) => r.query)).toEqual([
      { status: 'open', page: '2', pageSize: '1' },
      { status: 'closed', pageSize: '1' },
    ]);
    expect(second.items.map((i) => i.integrationKey)).toEqual(['billing', 'crm']);
    expect(second.nextCursor).toBeUndefined();
    const closedOnly = await list({ status: ['closed'] });
    expect(emulator.requests.at(-1)?.query).toEqual({ status: 'closed', pageSize: '25' });
    expect(closedOnly.items.map((i) => i.integrationKey)).toEqual(['crm']);
  });

  it('leaves out, and says so, incidents a filter SyncGuard did not apply should have excluded', async () => {
    // SyncGuard documents `status=closed` only (api-notes §3): an API that ignores `status=recovering` or
    // `integrationKey` answers the active incidents of every integration.
    answerIncidents([
      incidentOf('a', 'crm', 'Open'),
      incidentOf('b', 'crm', 'Recovering'),
      incidentOf('c', 'erp', 'Recovering'),
    ]);
    const page = await list({ status: ['recovering'], integrationKey: 'crm' });
    expect(emulator.requests.map((r) => r.query)).toEqual([
      { status: 'recovering', integrationKey: 'crm', pageSize: '25' },
    ]);
    expect(page.items.map((i) => i.id)).toEqual(['b']);
    expect(page.note).toBe(
      'SyncGuard returned 2 incident(s) whose status, integrationKey or chronic flag is not what was asked (it did not apply that filter); syn-mcp left them out.',
    );
    // When SyncGuard applies the filters, nothing is left out and nothing is said.
    await seed();
    const honest = await list({ status: ['open'], integrationKey: 'billing' });
    expect(honest.items.map((i) => i.integrationKey)).toEqual(['billing']);
    expect(honest.note).toBeUndefined();
  });

  it('["all"] keeps an incident whose status is none of the documented three, and says nothing of a filter', async () => {
    answerIncidents([incidentOf('p', 'crm', 'Paused')]);
    const page = await list({ status: ['all'] });
    expect(emulator.requests.map((r) => r.query)).toEqual([
      { pageSize: '25' },
      { status: 'closed', pageSize: '25' },
    ]);
    expect(page.items.map((i) => [i.id, i.status])).toEqual([['p', 'Paused']]);
    expect(page.note).toBeUndefined();
  });

  it('refuses a status that is not one of the lifecycle states, before sending', async () => {
    const r = await mcp.call('list_incidents', { status: ['resolved'] });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/status/);
    const lone = await mcp.call('list_incidents', { status: 'closed' });
    expect(lone.isError).toBe(true);
    expect(textOf(lone)).toMatch(/status: Invalid input: expected array, received string/);
    expect(emulator.requests).toHaveLength(0);
  });
});

describe('list_incidents time window', () => {
  it('keeps incidents opened in the window and says that syn-mcp filtered, not SyncGuard', async () => {
    await seed();
    const since = minutesAgo(6);
    const page = await list({ status: ['all'], since });
    expect(page.items.map((i) => i.integrationKey)).toEqual(['erp', 'billing']);
    expect(page.note).toBe(
      `SyncGuard cannot filter incidents by time: syn-mcp kept those opened or reopened since ${since}, from the pages it read.`,
    );
    // The API got no time parameter: nothing pretends SyncGuard filtered.
    for (const r of emulator.requests) expect(Object.keys(r.query)).not.toContain('since');
    const until = await list({ status: ['all'], until: minutesAgo(6) });
    expect(until.items.map((i) => i.integrationKey)).toEqual(['crm']);
  });

  it('reads on past pages with no match instead of answering an empty page', async () => {
    await seed();
    const since = minutesAgo(2);
    const page = await list({ status: ['all'], since, pageSize: 1 });
    expect(page.items.map((i) => i.integrationKey)).toEqual(['erp']);
    const rest = await list({ status: ['all'], since, cursor: page.nextCursor });
    expect(rest.items).toEqual([]);
    expect(rest.nextCursor).toBeUndefined();
    expect(rest.note).toMatch(/^SyncGuard cannot filter incidents by time/);
  });

  it('"1h" is an age and a bad time is refused', async () => {
    const ok = await mcp.call('list_incidents', { since: '1h' });
    expect(ok.isError).toBeFalsy();
    const bad = await mcp.call('list_incidents', { since: 'last week' });
    expect(textOf(bad)).toMatch(/since: "last week" is not a time/);
  });
});
