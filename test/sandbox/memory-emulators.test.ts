import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/sandbox/common/clock.js';
import { createSynapEmulator, type SynapEmulator } from '../../src/sandbox/synap/index.js';
import { createSynchronexEmulator, type SynchronexEmulator } from '../../src/sandbox/synchronex/index.js';

interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

async function call(
  base: string,
  method: string,
  path: string,
  opts: { key?: string | undefined; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.key !== undefined) headers.authorization = `Bearer ${opts.key}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${base}${path}`, {
    method,
    headers,
    body: opts.body === undefined ? null : JSON.stringify(opts.body),
  });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
  };
}

describe('Synap emulator', () => {
  const START = Date.UTC(2025, 5, 1, 12, 0, 0);
  const clock = new ManualClock(START);
  let emu: SynapEmulator;
  let base: string;
  const synap = (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
    call(base, method, path, { key: emu.apiKey, body, ...(headers ? { headers } : {}) });

  beforeAll(async () => {
    emu = createSynapEmulator({ clock, rateLimitPerMinute: 1000 });
    base = await emu.listen();
  });
  afterAll(() => emu.close());
  beforeEach(() => {
    clock.set(START);
    emu.reset();
  });
  afterEach(() => {
    emu.errorStyle = 'docs';
  });

  async function ingest(body: Record<string, unknown>): Promise<string[]> {
    const created = await synap('POST', '/api/v1/memories/create', body);
    expect(created.status).toBe(201);
    const id = String(created.body.ingestion_id);
    await synap('GET', `/api/v1/memories/status/${id}`);
    const done = await synap('GET', `/api/v1/memories/status/${id}`);
    expect(done.body.status).toBe('completed');
    return done.body.memory_ids as string[];
  }

  it('refuses a missing or wrong key with 401, with X-Correlation-Id and rate-limit headers', async () => {
    const none = await call(base, 'GET', '/api/v1/memories/x');
    expect(none.status).toBe(401);
    expect(none.body).toEqual({ error: 'Missing bearer token', code: 'UNAUTHORIZED', details: {} });
    expect(none.headers.get('x-correlation-id')).toMatch(/^req_[0-9a-f-]{36}$/);
    expect(none.headers.get('x-ratelimit-limit')).toBe('1000');
    const wrong = await call(base, 'GET', '/api/v1/memories/x', { key: 'synap_nope' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.code).toBe('CREDENTIAL_INVALID');
  });

  it('echoes the caller X-Correlation-ID and counts requests in the minute window', async () => {
    const a = await synap('GET', '/v1/credits/balance', undefined, { 'x-correlation-id': 'corr-own-1' });
    expect(a.headers.get('x-correlation-id')).toBe('corr-own-1');
    const b = await synap('GET', '/v1/credits/balance');
    expect(Number(b.headers.get('x-ratelimit-remaining'))).toBe(
      Number(a.headers.get('x-ratelimit-remaining')) - 1,
    );
    expect(Number(b.headers.get('x-ratelimit-reset'))).toBe(
      Math.floor(Date.UTC(2025, 5, 1, 12, 1, 0) / 1000),
    );
  });

  it('answers 429 RATE_LIMITED with Retry-After past the per-minute limit', async () => {
    const small = createSynapEmulator({ clock, rateLimitPerMinute: 2 });
    const url = await small.listen();
    try {
      for (let i = 0; i < 2; i++) {
        expect((await call(url, 'GET', '/v1/credits/balance', { key: small.apiKey })).status).toBe(200);
      }
      const limited = await call(url, 'GET', '/v1/credits/balance', { key: small.apiKey });
      expect(limited.status).toBe(429);
      expect(limited.body).toMatchObject({ code: 'RATE_LIMITED', details: { retry_after: 60 } });
      expect(limited.headers.get('retry-after')).toBe('60');
      expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
      clock.advance(60_000);
      expect((await call(url, 'GET', '/v1/credits/balance', { key: small.apiKey })).status).toBe(200);
    } finally {
      await small.close();
    }
  });

  it('queues an ingestion that completes at the second status poll and extracts typed memories', async () => {
    const created = await synap('POST', '/api/v1/memories/create', {
      document: 'User: I prefer window seats. I live in Lisbon.',
      user_id: 'u1',
      customer_id: 'c1',
    });
    expect(created.body).toMatchObject({ status: 'queued', queued_at: '2025-06-01T12:00:00.000Z' });
    expect(String(created.body.document_id)).toMatch(/^doc_/);
    const id = String(created.body.ingestion_id);
    const first = await synap('GET', `/api/v1/memories/status/${id}`);
    expect(first.body).toMatchObject({ status: 'processing', memories_created: 0, completed_at: null });
    const second = await synap('GET', `/api/v1/memories/status/${id}`);
    expect(second.body).toMatchObject({ status: 'completed', memories_created: 2 });
    const [pref, fact] = second.body.memory_ids as string[];
    expect((await synap('GET', `/api/v1/memories/${pref}`)).body).toMatchObject({
      memory_type: 'preference',
      content: 'I prefer window seats.',
      source_document_id: created.body.document_id,
    });
    expect((await synap('GET', `/api/v1/memories/${fact}`)).body).toMatchObject({ memory_type: 'fact' });
  });

  it('completes an ingestion on its own once the delay has passed on the clock', async () => {
    const created = await synap('POST', '/api/v1/memories/create', { document: 'Office closes at 6pm.' });
    clock.advance(1500);
    const found = await synap('POST', '/v1/context/client/fetch', { search_query: ['office'] });
    expect((found.body.context as { facts: unknown[] }).facts).toHaveLength(1);
    const status = await synap('GET', `/api/v1/memories/status/${String(created.body.ingestion_id)}`);
    expect(status.body.status).toBe('completed');
  });

  it('accepts the docs path POST /v1/memories too, and refuses a duplicate document_id with 409', async () => {
    expect((await synap('POST', '/v1/memories', { document: 'x y z', document_id: 'd-1' })).status).toBe(201);
    const dup = await synap('POST', '/api/v1/memories/create', { document: 'again', document_id: 'd-1' });
    expect(dup.status).toBe(409);
    expect(dup.body).toEqual({
      error: 'document_id d-1 already exists',
      code: 'CONFLICT',
      details: { document_id: 'd-1' },
    });
  });

  it('validates in both envelopes: docs 400 INVALID_INPUT with fields, FastAPI 422 detail list', async () => {
    const docs = await synap('POST', '/api/v1/memories/create', { document: 'hi there', user_id: 'u1' });
    expect(docs.status).toBe(400);
    expect(docs.body).toEqual({
      error: 'customer_id: required with user_id on a B2B instance',
      code: 'INVALID_INPUT',
      details: { fields: { customer_id: ['required with user_id on a B2B instance'] } },
    });
    emu.errorStyle = 'fastapi';
    const fast = await synap('POST', '/api/v1/memories/create', { document_type: 'pdf' });
    expect(fast.status).toBe(422);
    expect(fast.body).toEqual({
      detail: [
        { loc: ['body', 'document'], msg: 'field required (a string or an object)', type: 'value_error' },
      ],
    });
    const missing = await synap('GET', '/api/v1/memories/nope');
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ detail: 'Memory nope not found' });
  });

  it('updates with replace, append and smart-merge, then deletes', async () => {
    const [id] = await ingest({ document: 'Favourite colour is blue.' });
    const path = `/api/v1/memories/${id}`;
    expect(
      (await synap('PATCH', path, { document: 'Also likes green.', merge_strategy: 'append' })).body,
    ).toMatchObject({
      content: 'Favourite colour is blue. Also likes green.',
      updated_at: '2025-06-01T12:00:00.000Z',
    });
    expect((await synap('PATCH', path, { document: 'likes green' })).body).toMatchObject({
      content: 'Favourite colour is blue. Also likes green.',
    });
    expect((await synap('PATCH', path, { document: 'Red.', merge_strategy: 'replace' })).body).toMatchObject({
      content: 'Red.',
    });
    expect((await synap('PATCH', path, { merge_strategy: 'replace' })).status).toBe(400);
    expect((await synap('DELETE', path)).body).toEqual({
      memory_id: id,
      deleted_at: '2025-06-01T12:00:00.000Z',
    });
    expect((await synap('GET', path)).status).toBe(404);
  });

  it('context fetch really searches the stored memories by query words and scope', async () => {
    await ingest({
      document: 'Alice prefers vegetarian food. Alice works at Acme.',
      user_id: 'alice',
      customer_id: 'acme',
    });
    await ingest({ document: 'Bob prefers steak.', user_id: 'bob', customer_id: 'acme' });
    await ingest({ document: 'Acme prefers invoices by email.', customer_id: 'acme' });
    await ingest({ document: 'Support hours are 9 to 5.' });

    const alice = await synap('POST', '/v1/context/user/fetch', {
      search_query: ['food preferences'],
      user_id: 'alice',
      customer_id: 'acme',
    });
    const ctx = alice.body.context as Record<string, Array<Record<string, unknown>>>;
    expect(ctx.preferences?.map((p) => p.content)).toEqual(['Alice prefers vegetarian food.']);
    expect(ctx.facts).toEqual([]);
    expect(alice.body.ttl_seconds).toBe(300);

    const all = await synap('POST', '/v1/context/user/fetch', { user_id: 'alice', customer_id: 'acme' });
    const allCtx = all.body.context as Record<string, unknown[]>;
    expect([...(allCtx.facts ?? []), ...(allCtx.preferences ?? [])]).toHaveLength(2);

    const customer = await synap('POST', '/v1/context/customer/fetch', {
      search_query: ['invoices'],
      customer_id: 'acme',
    });
    expect(
      (customer.body.context as Record<string, Array<{ content: string }>>).preferences?.[0]?.content,
    ).toBe('Acme prefers invoices by email.');
    const client = await synap('POST', '/v1/context/client/fetch', { search_query: ['prefers'] });
    expect(client.body.context).toEqual({
      facts: [],
      preferences: [],
      episodes: [],
      emotions: [],
      temporal_events: [],
    });

    const onlyFacts = await synap('POST', '/v1/context/user/fetch', {
      user_id: 'alice',
      customer_id: 'acme',
      types: ['facts'],
      max_results: 1,
    });
    const f = onlyFacts.body.context as Record<string, unknown[]>;
    expect(f.facts).toHaveLength(1);
    expect(f.preferences).toEqual([]);

    expect((await synap('POST', '/v1/context/user/fetch', { user_id: 'alice' })).status).toBe(400);
    expect(
      (await synap('POST', '/v1/context/user/fetch', { customer_id: 'acme', max_results: 51 })).status,
    ).toBe(400);
    expect((await synap('POST', '/v1/context/everyone/fetch', {})).status).toBe(404);
  });

  it('on B2C stores under the user scope whichever id comes, for created memories and user messages alike', async () => {
    const b2c = createSynapEmulator({ clock, isolation: 'b2c' });
    const b2cBase = await b2c.listen();
    const send = (path: string, body: unknown) => call(b2cBase, 'POST', path, { key: b2c.apiKey, body });
    try {
      const created = await send('/api/v1/memories/create', {
        document: 'Dana prefers trains.',
        customer_id: 'dana',
      });
      const id = String(created.body.ingestion_id);
      for (let i = 0; i < 2; i++)
        await call(b2cBase, 'GET', `/api/v1/memories/status/${id}`, { key: b2c.apiKey });
      await send('/v1/conversations/messages', {
        conversation_id: 'cv-b2c',
        role: 'user',
        content: 'Dana prefers window seats.',
        customer_id: 'dana',
      });
      const user = await send('/v1/context/user/fetch', { user_id: 'dana', search_query: ['prefers'] });
      const prefs = (user.body.context as Record<string, Array<{ content: string }>>).preferences ?? [];
      expect(prefs.map((p) => p.content).sort()).toEqual([
        'Dana prefers trains.',
        'Dana prefers window seats.',
      ]);
      // B2C has no customer scope: api-notes §4 documents no error for fetching it, only that nothing is
      // stored there, so the fetch answers an empty context.
      const customer = await send('/v1/context/customer/fetch', { customer_id: 'dana' });
      expect(customer.status).toBe(200);
      expect(Object.values(customer.body.context as Record<string, unknown[]>).flat()).toEqual([]);
    } finally {
      await b2c.close();
    }
  });

  it('records messages, recalls them at conversation scope, and compacts (409 unless forced)', async () => {
    const rec = await synap('POST', '/v1/conversations/messages', {
      conversation_id: 'conv-1',
      role: 'user',
      content: 'I feel stressed about the Friday deadline.',
      user_id: 'u1',
      customer_id: 'c1',
    });
    expect(rec.body).toMatchObject({ conversation_id: 'conv-1', recorded_at: '2025-06-01T12:00:00.000Z' });
    expect(String(rec.body.message_id)).toMatch(/^msg_/);
    expect(String(rec.body.session_id)).toMatch(/^sess_/);
    await synap('POST', '/v1/conversations/messages', {
      conversation_id: 'conv-1',
      role: 'assistant',
      content: 'Noted.',
    });

    const conv = await synap('POST', '/v1/context/conversation/fetch', {
      conversation_id: 'conv-1',
      search_query: ['deadline'],
    });
    const emotions = (conv.body.context as Record<string, Array<Record<string, unknown>>>).emotions;
    expect(emotions?.[0]).toMatchObject({
      emotion_type: 'stressed',
      context: 'I feel stressed about the Friday deadline.',
    });
    expect((conv.body.conversation_context as { recent_messages: unknown[] }).recent_messages).toHaveLength(
      2,
    );

    const compacted = await synap('POST', '/v1/conversations/compact', {
      conversation_id: 'conv-1',
      strategy: 'aggressive',
    });
    // The SDK: compact "returns immediately with an in-progress status"; the status read follows it.
    expect(compacted.status).toBe(202);
    expect(compacted.body).toMatchObject({
      conversation_id: 'conv-1',
      status: 'in_progress',
      strategy: 'aggressive',
      trigger_type: 'manual',
    });
    expect(String(compacted.body.compaction_id)).toMatch(/^cmp_/);
    const status = () => synap('GET', '/v1/conversations/conv-1/compaction/status');
    expect((await status()).body).toMatchObject({ status: 'in_progress', completed_at: null });
    expect((await status()).body).toMatchObject({ status: 'completed', messages_compacted: 2 });
    expect((await synap('GET', '/v1/conversations/nope/compaction/status')).status).toBe(404);
    expect((await synap('POST', '/v1/conversations/compact', { conversation_id: 'conv-1' })).status).toBe(
      409,
    );
    expect(
      (await synap('POST', '/v1/conversations/compact', { conversation_id: 'conv-1', force: true })).status,
    ).toBe(202);
    expect((await synap('POST', '/v1/conversations/compact', { conversation_id: 'nope' })).status).toBe(404);
    expect(
      (await synap('POST', '/v1/conversations/messages', { conversation_id: 'c', role: 'bot', content: 'x' }))
        .status,
    ).toBe(400);
  });

  it('pages the credit ledger with page/page_size in the documented envelope', async () => {
    for (let i = 0; i < 3; i++) await synap('POST', '/api/v1/memories/create', { document: `note ${i}` });
    const p1 = await synap('GET', '/v1/credits/ledger?page=1&page_size=2');
    expect(p1.body).toMatchObject({ page: 1, page_size: 2, total: 3, total_pages: 2 });
    expect(p1.body.data).toHaveLength(2);
    const p2 = await synap('GET', '/v1/credits/ledger?page=2&page_size=2');
    expect(p2.body.data).toHaveLength(1);
    expect((await synap('GET', '/v1/credits/ledger?page_size=101')).status).toBe(400);
    const sdkForm = await synap('GET', '/v1/credits/ledger?limit=2&offset=0');
    expect(sdkForm.body).toMatchObject({ total: 3, limit: 2, offset: 0 });
  });

  it('answers injected status faults in its envelope with the correlation and rate-limit headers', async () => {
    emu.inject({ fault: { kind: 'status', status: 500 }, path: '/api/v1/memories/create' });
    const failed = await synap('POST', '/api/v1/memories/create', { document: 'x' });
    expect(failed.status).toBe(500);
    expect(failed.body).toEqual({ error: 'Internal Server Error.', code: 'INTERNAL_ERROR', details: {} });
    expect(failed.headers.get('x-correlation-id')).toMatch(/^req_/);
    expect(failed.headers.get('x-ratelimit-limit')).toBe('1000');
    emu.rateLimit({ retryAfterSeconds: 7 });
    const limited = await synap('GET', '/v1/credits/balance');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect(limited.body).toMatchObject({ code: 'RATE_LIMITED', details: { retry_after: 7 } });
  });
});

describe('Synchronex emulator', () => {
  const clock = new ManualClock(Date.UTC(2025, 5, 1, 23, 59, 0));
  let emu: SynchronexEmulator;
  let base: string;
  const sx = (method: string, path: string, body?: unknown, key?: string) =>
    call(base, method, path, { key: key ?? emu.apiKey, body });

  beforeAll(async () => {
    emu = createSynchronexEmulator({ clock });
    base = await emu.listen();
  });
  afterAll(() => emu.close());
  beforeEach(() => emu.reset());

  it('lives under /api/v1 and accepts sx_live_ keys and sxo_ tokens only', async () => {
    expect(base).toMatch(/\/api\/v1$/);
    expect((await sx('GET', '/memory/identity')).status).toBe(200);
    expect((await sx('GET', '/memory/identity', undefined, emu.oauthToken)).status).toBe(200);
    const anon = await call(base, 'GET', '/memory/identity');
    expect(anon.status).toBe(401);
    expect(anon.body).toEqual({
      error: { code: 'UNAUTHORIZED', message: 'Missing, expired, or revoked bearer token.' },
    });
    emu.addToken('sk_other_prefix_token', ['read']);
    expect((await sx('GET', '/memory/identity', undefined, 'sk_other_prefix_token')).status).toBe(401);
  });

  it('enforces the read/write scope of each endpoint: 403 FORBIDDEN for a read-only key', async () => {
    const read = emu.readOnlyKey;
    expect(read).toMatch(/^sx_live_read/);
    expect((await sx('GET', '/memory/identity', undefined, read)).status).toBe(200);
    expect((await sx('GET', '/kernel/export', undefined, read)).status).toBe(200);
    expect((await sx('POST', '/kernel/export', {}, read)).status).toBe(200);
    const denied = await sx('POST', '/memory/decisions', { decision: 'd', product_name: 'p' }, read);
    expect(denied.status).toBe(403);
    expect(denied.body).toEqual({
      error: {
        code: 'FORBIDDEN',
        message: 'This token lacks the write scope required by POST /api/v1/memory/decisions.',
      },
    });
    for (const [method, path] of [
      ['PUT', '/memory/identity'],
      ['POST', '/memory/product/p/state'],
      ['POST', '/memory/import-mif'],
      ['POST', '/memory/consolidate'],
      ['DELETE', '/memory/decisions/x'],
      ['POST', '/ingest/p'],
      ['POST', '/byok'],
      ['DELETE', '/byok/x'],
      ['PATCH', '/scope'],
    ] as const) {
      expect((await sx(method, path, {}, read)).status, `${method} ${path}`).toBe(403);
    }
    expect(emu.decisions).toHaveLength(0);
  });

  it('maps OAuth scopes by area: decisions:* for the decision index, memory:* for the rest', async () => {
    emu.addToken('sxo_decisions_reader', ['decisions:read']);
    expect(
      (await sx('GET', '/memory/decisions/search?query=x', undefined, 'sxo_decisions_reader')).status,
    ).toBe(200);
    const other = await sx('GET', '/memory/identity', undefined, 'sxo_decisions_reader');
    expect(other.status).toBe(403);
    expect((other.body.error as { message: string }).message).toMatch(/memory:read OAuth scope/);
  });

  it('sends daily rate-limit headers and the flat 429 past the daily limit; a new UTC day resets', async () => {
    const small = createSynchronexEmulator({ clock, dailyLimit: 2 });
    const url = await small.listen();
    try {
      const a = await call(url, 'GET', '/scope', { key: small.apiKey });
      expect(a.headers.get('x-ratelimit-limit')).toBe('2');
      expect(a.headers.get('x-ratelimit-remaining')).toBe('1');
      expect(a.headers.get('x-ratelimit-reset')).toBe(String(Date.UTC(2025, 5, 2) / 1000));
      await call(url, 'GET', '/scope', { key: small.apiKey });
      const limited = await call(url, 'GET', '/scope', { key: small.apiKey });
      expect(limited.status).toBe(429);
      expect(limited.body).toEqual({
        error: 'rate_limit_exceeded',
        retry_after: 60,
        limit: 2,
        remaining: 0,
        reset_at: '2025-06-02T00:00:00.000Z',
      });
      expect(limited.headers.get('retry-after')).toBe('60');
      clock.advance(60_000);
      expect((await call(url, 'GET', '/scope', { key: small.apiKey })).status).toBe(200);
    } finally {
      clock.set(Date.UTC(2025, 5, 1, 23, 59, 0));
      await small.close();
    }
  });

  it('persists the identity kernel and product state', async () => {
    const put = await sx('PUT', '/memory/identity', {
      identity: { name: 'Ada', role: 'founder' },
      constraints: ['no paid services'],
    });
    expect(put.body).toMatchObject({
      identity: { name: 'Ada', role: 'founder' },
      constraints: ['no paid services'],
    });
    const got = await sx('GET', '/memory/identity');
    expect(got.body.injection_block).toBe('Identity: name=Ada, role=founder\nConstraints: no paid services');
    expect((await sx('PUT', '/memory/identity', { products: new Array(11).fill({}) })).status).toBe(400);

    expect((await sx('GET', '/memory/product/syn-mcp/state')).status).toBe(404);
    const created = await sx('POST', '/memory/product/syn-mcp/state', {
      status: 'beta',
      what_works: 'stdio',
    });
    expect(created.status).toBe(201);
    await sx('POST', '/memory/product/syn-mcp/state', { open_questions: ['pricing?'] });
    expect((await sx('GET', '/memory/product/syn-mcp/state')).body).toMatchObject({
      name: 'syn-mcp',
      status: 'beta',
      what_works: ['stdio'],
      open_questions: ['pricing?'],
    });
  });

  it('indexes decisions for search, deletes them, and searches memory across kinds', async () => {
    const d = await sx('POST', '/memory/decisions', {
      decision: 'Use Postgres for storage',
      product_name: 'syn-mcp',
      reasoning: 'Relational data',
      affects_products: ['docs-bot'],
    });
    expect(d.status).toBe(201);
    expect(String(d.body.id)).toMatch(/^dec_/);
    await sx('POST', '/memory/decisions', { decision: 'Ship weekly', product_name: 'docs-bot' });
    expect((await sx('POST', '/memory/decisions', { product_name: 'x' })).status).toBe(400);

    const found = await sx('GET', '/memory/decisions/search?query=postgres%20storage');
    expect((found.body.decisions as Array<{ id: string }>).map((x) => x.id)).toEqual([d.body.id]);
    const byProduct = await sx('GET', '/memory/decisions/search?product_name=docs-bot');
    expect(byProduct.body.count).toBe(2);

    await sx('POST', '/memory/product/syn-mcp/state', { status: 'storage migration blocked' });
    const mem = await sx('GET', '/memory/search?query=storage');
    expect((mem.body.results as Array<{ type: string }>).map((r) => r.type).sort()).toEqual([
      'decision',
      'product_state',
    ]);
    expect((await sx('GET', '/memory/search')).status).toBe(400);

    expect((await sx('DELETE', `/memory/decisions/${String(d.body.id)}`)).body).toEqual({
      id: d.body.id,
      deleted: true,
    });
    expect((await sx('DELETE', `/memory/decisions/${String(d.body.id)}`)).status).toBe(404);
  });

  it('exports MIF and restores it with import', async () => {
    await sx('PUT', '/memory/identity', { identity: { name: 'Ada' } });
    await sx('POST', '/memory/product/p1/state', { status: 'alpha' });
    await sx('POST', '/memory/decisions', { decision: 'Use Rust', product_name: 'p1' });
    const exported = await sx('GET', '/memory/export-mif');
    expect(exported.body).toMatchObject({
      mif_version: '1.0',
      identity_kernel: { identity: { name: 'Ada' } },
    });

    emu.reset();
    expect((await sx('GET', '/memory/product/p1/state')).status).toBe(404);
    const imported = await sx('POST', '/memory/import-mif', exported.body);
    expect(imported.body).toEqual({
      imported: { product_states: 1, decisions: 1, identity_kernel: 1 },
      status: 'completed',
    });
    const again = await sx('GET', '/memory/export-mif');
    expect({ ...again.body, exported_at: null }).toEqual({ ...exported.body, exported_at: null });
    expect((await sx('POST', '/memory/import-mif', { decisions: [] })).status).toBe(400);
  });

  it('stores BYOK keys without ever echoing them, and sets the scope', async () => {
    const key = 'sk-provider-secret-0123456789';
    const created = await sx('POST', '/byok', { service: 'openai', label: 'prod', key });
    expect(created.status).toBe(201);
    expect(JSON.stringify(created.body)).not.toContain(key);
    expect(created.body.key_preview).toBe('…6789');
    const listed = await sx('GET', '/byok');
    expect(JSON.stringify(listed.body)).not.toContain(key);
    expect(emu.byok[0]?.key).toBe(key);
    expect((await sx('POST', '/byok', { service: 'openai', label: 'x' })).status).toBe(400);

    expect((await sx('PATCH', '/scope', {})).status).toBe(400);
    expect((await sx('PATCH', '/scope', { workspace_id: 'ws_1' })).body).toEqual({
      workspace_id: 'ws_1',
      scope: 'workspace',
    });
    expect((await sx('PATCH', '/scope', { workspace_id: null })).body).toEqual({
      workspace_id: null,
      scope: 'personal',
    });
  });

  it('summarises AI costs over days, per product, and answers injected faults in its envelope', async () => {
    const week = await sx('GET', '/ai/costs?days=7');
    expect(week.body).toMatchObject({ days: 7, requests: 3, total_cost_usd: 0.58 });
    const product = await sx('GET', '/ai/costs/docs-bot?days=30');
    expect(product.body).toMatchObject({ product: 'docs-bot', requests: 2 });
    expect((await sx('GET', '/ai/costs/unknown')).status).toBe(404);

    emu.inject({ fault: { kind: 'status', status: 500 }, path: '/memory/identity' });
    const failed = await sx('GET', '/memory/identity');
    expect(failed.status).toBe(500);
    expect(failed.body).toEqual({ error: { code: 'INTERNAL_ERROR', message: 'Internal Server Error.' } });
    expect(failed.headers.get('x-ratelimit-limit')).toBe('10000');
    emu.rateLimit({ retryAfterSeconds: 30 });
    const limited = await sx('GET', '/scope');
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ error: 'rate_limit_exceeded', retry_after: 30, remaining: 0 });
  });
});
