import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/sandbox/common/clock.js';
import { createSynqlyEmulator, type SynqlyEmulator } from '../../src/sandbox/synqly/index.js';

const clock = new ManualClock(Date.UTC(2026, 2, 1, 9, 0, 0));
let emu: SynqlyEmulator;
let base: string;

beforeAll(async () => {
  emu = createSynqlyEmulator({ clock });
  base = await emu.listen();
});
afterAll(async () => {
  await emu.close();
});
beforeEach(() => {
  emu.reset();
});

type Json = Record<string, unknown>;

async function call(
  method: string,
  path: string,
  token: string | undefined,
  init: { json?: unknown; body?: string | FormData; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: Json; headers: Headers; raw: Buffer }> {
  const headers: Record<string, string> = { ...init.headers };
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  let body: string | FormData | undefined = init.body;
  if (init.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(init.json);
  }
  const res = await fetch(`${base}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
  const raw = Buffer.from(await res.arrayBuffer());
  let parsed: Json = {};
  if ((res.headers.get('content-type') ?? '').includes('json') && raw.length > 0) {
    parsed = JSON.parse(raw.toString('utf8')) as Json;
  }
  return { status: res.status, body: parsed, headers: res.headers, raw };
}

const ids = () => emu.ids;

describe('two token kinds', () => {
  it('listens at the host root: paths start /v1', () => {
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(emu.url).toBe(base);
  });

  it('accepts the organization token on Management paths and answers the result envelope', async () => {
    const res = await call('GET', '/v1/accounts', emu.orgToken);
    expect(res.status).toBe(200);
    const result = res.body.result as Json[];
    expect(result.map((a) => a.name)).toEqual(['acme', 'sandbox']);
    expect(res.body.cursor).toBeUndefined();
  });

  it('refuses an integration token on a Management path with a 403 Problem', async () => {
    const res = await call('GET', '/v1/accounts', emu.integrationToken);
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({
      status: 403,
      instance: '/v1/accounts',
      message: 'Integration tokens cannot be used with the Management API',
      type: 'https://docs.synqly.com/problems/forbidden',
    });
    expect(res.body.remediation).toMatch(/organization token/);
    expect(Number.isNaN(Date.parse(String(res.body.occurred_at)))).toBe(false);
    expect(res.body.cause).toEqual([
      expect.objectContaining({ message: 'Integration tokens cannot be used with the Management API' }),
    ]);
  });

  it('refuses the organization token on a Connector path with a 403 Problem', async () => {
    const res = await call('GET', '/v1/ticketing/tickets', emu.orgToken);
    expect(res.status).toBe(403);
    expect(res.body.message).toBe('Organization tokens cannot be used with the Connector API');
    expect(res.body.remediation).toMatch(/integration token/);
  });

  it('answers 401 for a missing or unknown token', async () => {
    const missing = await call('GET', '/v1/siem/events', undefined);
    expect(missing.status).toBe(401);
    expect(missing.body.message).toBe('Missing bearer token');
    const unknown = await call('GET', '/v1/accounts', 'not-a-token-at-all');
    expect(unknown.status).toBe(401);
    expect(unknown.body.message).toBe('Invalid or revoked token');
  });

  it('answers unknown paths with a 404 Problem and wrong methods with 405', async () => {
    expect((await call('GET', '/v1/nope', emu.orgToken)).status).toBe(404);
    const wrong = await call('PUT', '/v1/accounts', emu.orgToken);
    expect(wrong.status).toBe(405);
    expect(wrong.body.status).toBe(405);
  });
});

describe('integration tokens minted with a TTL', () => {
  const mintPath = () => `/v1/tokens/${ids().account}/${ids().integrations.ticketing}`;

  it('mints a token (default 10 minutes) that works on the Connector API until it expires', async () => {
    const res = await call('POST', mintPath(), emu.orgToken, { json: {} });
    expect(res.status).toBe(200);
    const token = res.body.result as Json;
    expect(typeof token.secret).toBe('string');
    expect(token.expires).toBe(new Date(clock.now() + 10 * 60_000).toISOString());
    expect(token.permissions).toMatchObject({
      resources: { integrations: { ids: [ids().integrations.ticketing] } },
    });
    expect(emu.mintedTokens).toEqual([token.secret]);
    const secret = String(token.secret);
    expect((await call('GET', '/v1/ticketing/tickets', secret)).status).toBe(200);
    expect((await call('GET', '/v1/accounts', secret)).status).toBe(403);
    clock.advance(10 * 60_000);
    const expired = await call('GET', '/v1/ticketing/tickets', secret);
    expect(expired.status).toBe(401);
    expect(expired.body.message).toBe('Token expired');
    expect(expired.body.remediation).toMatch(/POST \/v1\/tokens/);
  });

  it('honours token_ttl and name, and lists the adhoc token (with its secrets, as the API does)', async () => {
    const res = await call('POST', mintPath(), emu.orgToken, { json: { name: 'ci', token_ttl: '30s' } });
    const secret = String((res.body.result as Json).secret);
    expect((res.body.result as Json).expires).toBe(new Date(clock.now() + 30_000).toISOString());
    const list = await call('GET', '/v1/tokens', emu.orgToken);
    const adhoc = (list.body.result as Json[]).find((t) => t.name === 'ci');
    expect(adhoc).toMatchObject({ token_type: 'adhoc', owner_type: 'integration', token_ttl: '30s' });
    expect(JSON.stringify(adhoc)).toContain(secret);
    clock.advance(31_000);
    expect((await call('GET', '/v1/ticketing/tickets', secret)).status).toBe(401);
  });

  it('refuses a bad token_ttl (400, context.parameter) and unknown ids (404)', async () => {
    const bad = await call('POST', mintPath(), emu.orgToken, { json: { token_ttl: 'soon' } });
    expect(bad.status).toBe(400);
    expect(bad.body.context).toEqual({ parameter: { id: 'token_ttl', location: 'body', value: 'soon' } });
    expect(bad.body.remediation).toMatch(/duration/);
    const missing = await call('POST', `/v1/tokens/${ids().account}/nope`, emu.orgToken, { json: {} });
    expect(missing.status).toBe(404);
    expect(missing.body.message).toBe('Integration not found');
  });

  it('an integration token cannot mint', async () => {
    expect((await call('POST', mintPath(), emu.integrationToken, { json: {} })).status).toBe(403);
  });

  it('deleting an integration revokes its tokens', async () => {
    const res = await call('POST', mintPath(), emu.orgToken, { json: {} });
    const secret = String((res.body.result as Json).secret);
    const del = await call(
      'DELETE',
      `/v1/integrations/${ids().account}/${ids().integrations.ticketing}`,
      emu.orgToken,
    );
    expect(del.status).toBe(204);
    expect((await call('GET', '/v1/ticketing/tickets', secret)).status).toBe(401);
  });
});

describe('Management lists page with limit + start_after', () => {
  it('pages accounts by name', async () => {
    for (const name of ['beta', 'delta', 'gamma']) {
      expect((await call('POST', '/v1/accounts', emu.orgToken, { json: { name } })).status).toBe(200);
    }
    const first = await call('GET', '/v1/accounts?limit=2&total=true', emu.orgToken);
    expect((first.body.result as Json[]).map((a) => a.name)).toEqual(['acme', 'beta']);
    expect(first.body.total).toBe(5);
    const second = await call('GET', '/v1/accounts?limit=2&start_after=beta', emu.orgToken);
    expect((second.body.result as Json[]).map((a) => a.name)).toEqual(['delta', 'gamma']);
    const third = await call('GET', '/v1/accounts?limit=2&start_after=gamma', emu.orgToken);
    expect((third.body.result as Json[]).map((a) => a.name)).toEqual(['sandbox']);
  });

  it('adds a cursor when managementCursor is on', async () => {
    emu.managementCursor = true;
    const first = await call('GET', '/v1/accounts?limit=1', emu.orgToken);
    expect(first.body.cursor).toBe('acme');
    const second = await call('GET', '/v1/accounts?limit=1&cursor=acme', emu.orgToken);
    expect((second.body.result as Json[]).map((a) => a.name)).toEqual(['sandbox']);
    expect(second.body.cursor).toBe('');
  });

  it('filters and orders', async () => {
    const res = await call('GET', '/v1/integrations?filter=category[eq]siem', emu.orgToken);
    expect((res.body.result as Json[]).map((i) => i.name)).toEqual(['splunk']);
    const desc = await call('GET', '/v1/accounts?order=name[desc]', emu.orgToken);
    expect((desc.body.result as Json[]).map((a) => a.name)).toEqual(['sandbox', 'acme']);
    const bad = await call('GET', '/v1/accounts?filter=name', emu.orgToken);
    expect(bad.status).toBe(400);
    expect(bad.body.context).toMatchObject({ parameter: { id: 'filter', location: 'query' } });
  });

  it('refuses a filter or order on a field the records lack, naming the valid fields (not an empty list)', async () => {
    const typo = await call('GET', '/v1/ticketing/tickets?filter=state[eq]open', emu.integrationToken);
    expect(typo.status).toBe(400);
    expect(typo.body.message).toBe('Invalid filter');
    expect(typo.body.remediation).toMatch(/^Use one of: id, name, summary, status, priority/);
    const order = await call('GET', '/v1/accounts?order=colour[desc]', emu.orgToken);
    expect(order.status).toBe(400);
    expect(order.body.remediation).toMatch(/environment/);
    // A time window compares instants, whatever the ISO spelling.
    const events = await call(
      'GET',
      `/v1/siem/events?filter=${encodeURIComponent(`time[gte]${new Date(clock.now() - 50 * 60_000).toISOString().replace('.000Z', 'Z')}`)}`,
      emu.integrationToken,
    );
    expect(events.status).toBe(200);
  });

  it('refuses a duplicate account name with 409 and a non-JSON body with 415', async () => {
    const dup = await call('POST', '/v1/accounts', emu.orgToken, { json: { name: 'sandbox' } });
    expect(dup.status).toBe(409);
    const text = await call('POST', '/v1/accounts', emu.orgToken, {
      body: 'name=x',
      headers: { 'content-type': 'text/plain' },
    });
    expect(text.status).toBe(415);
  });

  it('creates an integration with its token pair; the access token works on the Connector API', async () => {
    const res = await call('POST', `/v1/integrations/${ids().account}`, emu.orgToken, {
      json: { name: 'jira2', provider_config: { type: 'ticketing_jira', url: 'https://x.atlassian.net' } },
    });
    expect(res.status).toBe(200);
    const result = res.body.result as { integration: Json; token: { access: Json; refresh: Json } };
    expect(result.integration).toMatchObject({
      name: 'jira2',
      category: 'ticketing',
      provider_type: 'ticketing_jira',
    });
    expect((await call('GET', '/v1/ticketing/tickets', String(result.token.access.secret))).status).toBe(200);
    const missing = await call('POST', `/v1/integrations/${ids().account}`, emu.orgToken, {
      json: { name: 'x' },
    });
    expect(missing.status).toBe(400);
    expect(missing.body.message).toBe('provider_config is required');
  });
});

describe('Connector queries', () => {
  it('answers a new SIEM query PENDING first, then COMPLETE with the same cursor', async () => {
    const first = await call('GET', '/v1/siem/events?limit=4', emu.integrationToken);
    expect(first.body).toMatchObject({ result: [], status: 'PENDING' });
    const cursor = String(first.body.cursor);
    expect(cursor).not.toBe('');
    const done = await call('GET', `/v1/siem/events?limit=4&cursor=${cursor}`, emu.integrationToken);
    expect(done.body.status).toBe('COMPLETE');
    expect(done.body.result).toHaveLength(4);
    const next = await call(
      'GET',
      `/v1/siem/events?limit=4&cursor=${String(done.body.cursor)}`,
      emu.integrationToken,
    );
    expect(next.body.status).toBe('COMPLETE');
    expect(next.body.result).toHaveLength(2);
    expect(next.body.cursor).toBe('');
  });

  it('keeps a query PENDING for siemPendingPolls answers; 0 completes at once', async () => {
    emu.siemPendingPolls = 3;
    let res = await call('GET', '/v1/siem/events', emu.integrationToken);
    const cursor = String(res.body.cursor);
    const statuses = [res.body.status];
    for (let i = 0; i < 3; i++) {
      res = await call('GET', `/v1/siem/events?cursor=${cursor}`, emu.integrationToken);
      statuses.push(res.body.status);
    }
    expect(statuses).toEqual(['PENDING', 'PENDING', 'PENDING', 'COMPLETE']);
    emu.siemPendingPolls = 0;
    const now = await call('GET', '/v1/siem/events?filter=status[eq]Failure', emu.integrationToken);
    expect(now.body.status).toBe('COMPLETE');
    expect((now.body.result as Json[]).every((e) => e.status === 'Failure')).toBe(true);
  });

  it('pages tickets with an opaque cursor', async () => {
    const first = await call('GET', '/v1/ticketing/tickets?limit=1', emu.integrationToken);
    expect((first.body.result as Json[]).map((t) => t.id)).toEqual(['SBX-1']);
    const second = await call(
      'GET',
      `/v1/ticketing/tickets?limit=1&cursor=${String(first.body.cursor)}`,
      emu.integrationToken,
    );
    expect((second.body.result as Json[]).map((t) => t.id)).toEqual(['SBX-2']);
    expect(second.body.cursor).toBe('');
    expect((await call('GET', '/v1/ticketing/tickets?cursor=%%%', emu.integrationToken)).status).toBe(400);
  });

  it('creates tickets (name required) and applies JSON Patch', async () => {
    const created = await call('POST', '/v1/ticketing/tickets', emu.integrationToken, {
      json: { name: 'New', priority: 'LOW', tags: ['a'] },
    });
    const ticket = created.body.result as Json;
    expect(ticket).toMatchObject({
      id: 'SBX-3',
      name: 'New',
      summary: 'New',
      priority: 'LOW',
      status: 'To Do',
    });
    const patched = await call('PATCH', '/v1/ticketing/tickets/SBX-3', emu.integrationToken, {
      json: [
        { op: 'replace', path: '/status', value: 'Done' },
        { op: 'add', path: '/tags/-', value: 'b' },
        { op: 'remove', path: '/priority' },
      ],
    });
    expect(patched.body.result).toMatchObject({ status: 'Done', tags: ['a', 'b'] });
    expect((patched.body.result as Json).priority).toBeUndefined();
    const noName = await call('POST', '/v1/ticketing/tickets', emu.integrationToken, {
      json: { summary: 'x' },
    });
    expect(noName.status).toBe(400);
    expect(noName.body.context).toMatchObject({ parameter: { id: 'name' } });
    const readOnly = await call('PATCH', '/v1/ticketing/tickets/SBX-3', emu.integrationToken, {
      json: [{ op: 'replace', path: '/id', value: 'X' }],
    });
    expect(readOnly.status).toBe(400);
  });

  it('disables and enables identity users', async () => {
    const off = await call('POST', '/v1/identity/users/u-1002/actions/disable', emu.integrationToken);
    expect(off.status).toBe(204);
    const users = await call('GET', '/v1/identity/users?filter=uid[eq]u-1002', emu.integrationToken);
    expect((users.body.result as Json[])[0]?.status).toBe('SUSPENDED');
    expect(
      (await call('POST', '/v1/identity/users/nobody/actions/enable', emu.integrationToken)).status,
    ).toBe(404);
  });
});

describe('multipart storage', () => {
  it('stores a single part named file and serves the bytes back', async () => {
    const form = new FormData();
    const bytes = Buffer.from([0, 1, 2, 250, 251]);
    form.append('file', new Blob([bytes], { type: 'application/x-demo' }), 'd.bin');
    const up = await call('POST', '/v1/storage/files/data/d%20e.bin', emu.integrationToken, { body: form });
    expect(up.status).toBe(204);
    const recorded = emu.requests.at(-1)?.body as { form: Json[] };
    expect(recorded.form).toEqual([
      { name: 'file', filename: 'd.bin', type: 'application/x-demo', size: 5, content: bytes },
    ]);
    const down = await call('GET', '/v1/storage/files/data/d%20e.bin', emu.integrationToken);
    expect(down.status).toBe(200);
    expect(down.headers.get('content-type')).toBe('application/x-demo');
    expect(down.raw.equals(bytes)).toBe(true);
    const encodedSlash = await call('GET', '/v1/storage/files/data%2Fd%20e.bin', emu.integrationToken);
    expect(encodedSlash.raw.equals(bytes)).toBe(true);
    const list = await call('GET', '/v1/storage/folders/data', emu.integrationToken);
    expect(list.body).toEqual({ result: [{ path: 'data/d e.bin' }], cursor: '' });
    expect((await call('DELETE', '/v1/storage/files/data/d%20e.bin', emu.integrationToken)).status).toBe(204);
    expect((await call('GET', '/v1/storage/files/data/d%20e.bin', emu.integrationToken)).status).toBe(404);
  });

  it('refuses a JSON upload (415), two parts or a wrong part name (400), and .. segments (400)', async () => {
    const json = await call('POST', '/v1/storage/files/a.txt', emu.integrationToken, { json: { file: 'x' } });
    expect(json.status).toBe(415);
    const two = new FormData();
    two.append('file', new Blob(['a']), 'a');
    two.append('file', new Blob(['b']), 'b');
    expect((await call('POST', '/v1/storage/files/a.txt', emu.integrationToken, { body: two })).status).toBe(
      400,
    );
    const named = new FormData();
    named.append('upload', new Blob(['a']), 'a');
    const wrong = await call('POST', '/v1/storage/files/a.txt', emu.integrationToken, { body: named });
    expect(wrong.status).toBe(400);
    expect(wrong.body.message).toMatch(/single file part named "file"/);
    const dots = await call('GET', '/v1/storage/files/a/%2E%2E%2Fb', emu.integrationToken);
    expect(dots.status).toBe(400);
  });
});

describe('faults and reset', () => {
  it('injects a 429 with Retry-After as a Problem body', async () => {
    emu.inject({ fault: { kind: 'status', status: 429, retryAfter: '7' }, path: '/v1/accounts' });
    const res = await call('GET', '/v1/accounts', emu.orgToken);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    expect(res.body).toMatchObject({ status: 429, instance: '/v1/accounts' });
    expect((await call('GET', '/v1/accounts', emu.orgToken)).status).toBe(200);
  });

  it('records requests and reset() restores the seeded state', async () => {
    await call('DELETE', `/v1/accounts/${ids().otherAccount}`, emu.orgToken);
    expect(emu.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      `DELETE /v1/accounts/${ids().otherAccount}`,
    ]);
    emu.reset();
    expect(emu.requests).toEqual([]);
    expect(((await call('GET', '/v1/accounts', emu.orgToken)).body.result as Json[]).length).toBe(2);
  });
});
