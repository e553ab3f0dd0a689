import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/sandbox/common/clock.js';
import { createSynapEmulator, type SynapEmulator } from '../../src/sandbox/synap/index.js';
import { synapToolsets } from '../../tools/synap/index.js';
import { synchronexToolsets } from '../../tools/synchronex/index.js';
import { jumpingClock } from '../helpers/clock.js';
import { connectInProcess, type InProcess, jsonOf, textOf } from '../helpers/in-process.js';

const registry = [...synapToolsets, ...synchronexToolsets];
const START = Date.UTC(2025, 5, 1, 9, 0, 0);
const clock = new ManualClock(START);
let emulator: SynapEmulator;
let mcp: InProcess;

beforeAll(async () => {
  emulator = createSynapEmulator({ clock });
  const url = await emulator.listen();
  mcp = await connectInProcess(
    { SYNAP_API_KEY: emulator.apiKey, SYNAP_BASE_URL: url },
    ['--toolsets', 'all'],
    { maxRetries: 0 },
    registry,
  );
  // Primes the SDK Client's output-schema validators: every result below is checked against them.
  await mcp.client.listTools();
});
afterAll(async () => {
  await mcp.close();
  await emulator.close();
});
beforeEach(() => {
  clock.set(START);
  emulator.reset();
  emulator.errorStyle = 'docs';
});
afterEach(() => emulator.clearFaults());

const last = () => {
  const r = emulator.requests.at(-1);
  if (!r) throw new Error('no upstream request');
  return r;
};

async function ok(name: string, args: Record<string, unknown>): Promise<Record<string, unknown>> {
  const result = await mcp.call(name, args);
  if (result.isError) throw new Error(`${name} failed: ${textOf(result)}`);
  expect(jsonOf(result)).toEqual(result.structuredContent);
  return result.structuredContent as Record<string, unknown>;
}

/** add_memory then two status polls (the emulator completes an ingestion at its second poll). */
async function remember(args: Record<string, unknown>): Promise<string[]> {
  const added = await ok('add_memory', args);
  await ok('get_memory_status', { ingestion_id: added.ingestion_id });
  const done = await ok('get_memory_status', { ingestion_id: added.ingestion_id });
  expect(done.status).toBe('completed');
  return done.memory_ids as string[];
}

describe('add_memory', () => {
  it('POSTs /api/v1/memories/create with exactly the given fields and returns the queued ingestion', async () => {
    const args = {
      document: 'User: I prefer aisle seats.',
      document_type: 'ai-chat-conversation',
      document_id: 'chat-42',
      document_created_at: '2025-05-30T10:00:00Z',
      user_id: 'u-1',
      customer_id: 'c-1',
      mode: 'fast',
      metadata: { channel: 'web' },
    };
    const sc = await ok('add_memory', args);
    expect(emulator.requests).toHaveLength(1);
    const req = last();
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/api/v1/memories/create');
    expect(req.query).toEqual({});
    expect(req.headers.authorization).toBe(`Bearer ${emulator.apiKey}`);
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.body).toEqual(args);
    expect(sc).toEqual({
      ingestion_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      document_id: 'chat-42',
      status: 'queued',
      queued_at: '2025-06-01T09:00:00.000Z',
    });
  });

  it('sends only what the model gave, and accepts an object document', async () => {
    await ok('add_memory', { document: 'Refund window is 30 days.' });
    expect(last().body).toEqual({ document: 'Refund window is 30 days.' });
    await ok('add_memory', { document: { policy: 'refunds', days: 30 }, document_type: 'document' });
    expect(last().body).toEqual({ document: { policy: 'refunds', days: 30 }, document_type: 'document' });
  });

  it('reports a duplicate document_id (409) with the X-Correlation-Id kept', async () => {
    await ok('add_memory', { document: 'a b c', document_id: 'dup' });
    const result = await mcp.call('add_memory', { document: 'again', document_id: 'dup' });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(
      /Synap: conflict \(HTTP 409\)[\s\S]*message: document_id dup already exists/,
    );
    // The request id is the X-Correlation-ID syn-mcp sent for this call, echoed by Synap.
    const sent = last().headers['x-correlation-id'];
    expect(sent).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(textOf(result)).toMatch(/code: CONFLICT\nrequest id: [0-9a-f-]{36}/);
    expect(textOf(result)).toContain(`request id: ${sent}`);
  });

  it('shows the B2B scope rule as a field error', async () => {
    const result = await mcp.call('add_memory', { document: 'x y z', user_id: 'u-1' });
    expect(textOf(result)).toMatch(
      /rejected the request \(HTTP 400\)[\s\S]*message: customer_id: required with user_id on a B2B instance\.?\nfields: customer_id/,
    );
  });

  it('refuses unknown arguments before sending anything', async () => {
    const result = await mcp.call('add_memory', { document: 'x', scope: 'user' });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/unknown field\(s\) scope/);
    expect(emulator.requests).toHaveLength(0);
  });
});

describe('get_memory_status', () => {
  it('GETs /api/v1/memories/status/{id} and follows the ingestion to completion', async () => {
    const added = await ok('add_memory', {
      document: 'I love jazz. I work at Acme.',
      user_id: 'u',
      customer_id: 'c',
    });
    const first = await ok('get_memory_status', { ingestion_id: added.ingestion_id });
    const req = last();
    expect(req.method).toBe('GET');
    expect(req.path).toBe(`/api/v1/memories/status/${String(added.ingestion_id)}`);
    expect(req.body).toBeUndefined();
    expect(req.headers.authorization).toBe(`Bearer ${emulator.apiKey}`);
    expect(first).toMatchObject({
      status: 'processing',
      memories_created: 0,
      memory_ids: [],
      completed_at: null,
    });
    const second = await ok('get_memory_status', { ingestion_id: added.ingestion_id });
    expect(second).toMatchObject({
      ingestion_id: added.ingestion_id,
      document_id: added.document_id,
      status: 'completed',
      memories_created: 2,
      started_at: '2025-06-01T09:00:00.000Z',
      completed_at: '2025-06-01T09:00:00.000Z',
      error_message: null,
    });
  });

  it('reports an unknown ingestion id (404) with its code', async () => {
    const result = await mcp.call('get_memory_status', { ingestion_id: 'nope' });
    expect(textOf(result)).toMatch(
      /not found \(HTTP 404\)\. Check the id[\s\S]*message: Ingestion nope not found[\s\S]*code: INGESTION_NOT_FOUND/,
    );
  });
});

describe('get_memory', () => {
  it('GETs /api/v1/memories/{id} and returns the memory', async () => {
    const [id] = await remember({ document: 'Prefers tea over coffee.' });
    const sc = await ok('get_memory', { memory_id: id });
    expect(last().method).toBe('GET');
    expect(last().path).toBe(`/api/v1/memories/${id}`);
    expect(sc).toEqual({
      memory_id: id,
      memory_type: 'preference',
      content: 'Prefers tea over coffee.',
      confidence: 0.8,
      category: 'general',
      subcategory: null,
      created_at: '2025-06-01T09:00:00.000Z',
      updated_at: null,
      source_document_id: expect.stringMatching(/^doc_/),
    });
  });

  it('404 names fetch_context and keeps the correlation id; ids are one encoded segment', async () => {
    const result = await mcp.call('get_memory', { memory_id: 'a/b' });
    expect(last().path).toBe('/api/v1/memories/a%2Fb');
    expect(textOf(result)).toMatch(/not found \(HTTP 404\).*fetch_context[\s\S]*request id: [0-9a-f-]{36}/);
    expect(textOf(result)).toContain(`request id: ${last().headers['x-correlation-id']}`);
  });

  it('reads the FastAPI {detail} envelope too', async () => {
    emulator.errorStyle = 'fastapi';
    const result = await mcp.call('get_memory', { memory_id: 'gone' });
    expect(textOf(result)).toMatch(/not found \(HTTP 404\)[\s\S]*message: Memory gone not found/);
  });

  it('turns a 429 into retryAfterSeconds and names the wait', async () => {
    emulator.rateLimit({ retryAfterSeconds: 5 });
    const result = await mcp.call('get_memory', { memory_id: 'm' });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(
      /Synap rate limit reached \(HTTP 429\).*Retry after 5 s[\s\S]*request id: [0-9a-f-]{36}/,
    );
    expect(textOf(result)).toContain(`request id: ${last().headers['x-correlation-id']}`);
    expect(result._meta).toEqual({ retryAfterSeconds: 5 });
  });

  it('a 402 says the account is out of credits, in either error style', async () => {
    for (const style of ['docs', 'fastapi'] as const) {
      emulator.errorStyle = style;
      emulator.inject({ fault: { kind: 'status', status: 402 } });
      const result = await mcp.call('get_memory', { memory_id: 'm' });
      expect(textOf(result)).toMatch(
        /^Synap refused this: the account is out of credits \(HTTP 402\); the key in SYNAP_API_KEY works\. Tell the user to add credits to the account; changing the key or retrying will not help until then\./,
      );
    }
  });

  it('names SYNAP_API_KEY on a 401 and never shows the key', async () => {
    const bad = await connectInProcess(
      { SYNAP_API_KEY: 'synap_wrong_key_123', SYNAP_BASE_URL: emulator.url },
      ['--toolsets', 'all'],
      { maxRetries: 0 },
      registry,
    );
    try {
      const result = await bad.call('get_memory', { memory_id: 'm' });
      expect(textOf(result)).toMatch(/HTTP 401.*SYNAP_API_KEY/);
      expect(textOf(result)).not.toContain('synap_wrong_key_123');
    } finally {
      await bad.close();
    }
  });
});

describe('update_memory', () => {
  it('PATCHes /api/v1/memories/{id} with the body minus the id and returns the updated memory', async () => {
    const [id] = await remember({ document: 'Lives in Porto.' });
    clock.advance(1000);
    const sc = await ok('update_memory', {
      memory_id: id,
      document: 'Lives in Lisbon since 2024.',
      merge_strategy: 'replace',
      metadata: { corrected_by: 'agent' },
    });
    const req = last();
    expect(req.method).toBe('PATCH');
    expect(req.path).toBe(`/api/v1/memories/${id}`);
    expect(req.body).toEqual({
      document: 'Lives in Lisbon since 2024.',
      merge_strategy: 'replace',
      metadata: { corrected_by: 'agent' },
    });
    expect(sc).toMatchObject({
      memory_id: id,
      content: 'Lives in Lisbon since 2024.',
      updated_at: '2025-06-01T09:00:01.000Z',
    });
  });
});

describe('delete_memory', () => {
  it('DELETEs /api/v1/memories/{id}', async () => {
    const [id] = await remember({ document: 'Temporary note here.' });
    const sc = await ok('delete_memory', { memory_id: id });
    expect(last().method).toBe('DELETE');
    expect(last().path).toBe(`/api/v1/memories/${id}`);
    expect(last().body).toBeUndefined();
    expect(sc).toEqual({ memory_id: id, deleted_at: '2025-06-01T09:00:00.000Z' });
    expect((await mcp.call('get_memory', { memory_id: id })).isError).toBe(true);
  });

  it('a retry that finds it gone after a lost answer says the first attempt probably deleted it', async () => {
    const retrying = await connectInProcess(
      { SYNAP_API_KEY: emulator.apiKey, SYNAP_BASE_URL: emulator.url },
      ['--toolsets', 'all'],
      { maxRetries: 1 },
      registry,
      'syn-mcp-tests',
      jumpingClock(),
    );
    try {
      const [id] = await remember({ document: 'Temporary note here.' });
      emulator.inject({ fault: { kind: 'lost-answer' }, method: 'DELETE' });
      const result = await retrying.call('delete_memory', { memory_id: id });
      const deletes = emulator.requests.filter((r) => r.method === 'DELETE');
      expect(deletes).toHaveLength(2);
      expect(emulator.memories.has(String(id))).toBe(false);
      expect(result.isError).toBe(true);
      expect(textOf(result)).toMatch(
        /not found \(HTTP 404\) when syn-mcp sent this DELETE again, after an earlier attempt that may have reached Synap lost its answer\. It is not there now, and most likely that earlier attempt deleted it \(syn-mcp cannot tell this from an id that never existed\)\./,
      );
      expect(textOf(result)).not.toMatch(/Check the id/);
      // A 404 with no earlier attempt that could have landed is still plain "not found".
      const missing = await retrying.call('delete_memory', { memory_id: String(id) });
      expect(textOf(missing)).toMatch(/Synap: not found \(HTTP 404\)\. Check the id; list valid ones/);
    } finally {
      await retrying.close();
    }
  });
});

describe('fetch_context', () => {
  it('POSTs /v1/context/{scope}/fetch with the ContextFetch fields and returns the trimmed buckets', async () => {
    await remember({
      document: 'Prefers email over phone. Works night shifts.',
      user_id: 'u-9',
      customer_id: 'c-9',
    });
    const args = {
      scope: 'user',
      search_query: ['email contact'],
      max_results: 5,
      types: ['all'],
      mode: 'fast',
      user_id: 'u-9',
      customer_id: 'c-9',
      include_profile: true,
    };
    const sc = await ok('fetch_context', args);
    const req = last();
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/v1/context/user/fetch');
    expect(req.headers.authorization).toBe(`Bearer ${emulator.apiKey}`);
    const { scope: _scope, ...body } = args;
    expect(req.body).toEqual(body);
    expect(sc).toMatchObject({
      scope: 'user',
      facts: [],
      episodes: [],
      emotions: [],
      temporal_events: [],
      ttl_seconds: 300,
      profile: { user_id: 'u-9', customer_id: 'c-9', memory_count: 2 },
    });
    const prefs = sc.preferences as Array<Record<string, unknown>>;
    expect(prefs).toHaveLength(1);
    expect(prefs[0]).toEqual({
      id: expect.any(String),
      content: 'Prefers email over phone.',
      category: 'general',
      strength: 0.8,
      confidence: 0.8,
      extracted_at: '2025-06-01T09:00:00.000Z',
    });
  });

  it('says which scope it searched, and that a client fetch does not see a customer memory', async () => {
    await remember({ document: 'Acme renews its contract in March.', customer_id: 'acme' });
    const client = await ok('fetch_context', { scope: 'client', search_query: ['contract'] });
    expect(client.facts).toEqual([]);
    expect(client.note).toMatch(/^Synap searched the client scope only/);
    expect(client.note).toMatch(
      /user or a customer were NOT searched: pass user_id .* or on B2B customer_id alone/,
    );
    const customer = await ok('fetch_context', {
      scope: 'customer',
      customer_id: 'acme',
      search_query: ['contract'],
    });
    expect((customer.facts as unknown[]).length + (customer.temporal_events as unknown[]).length).toBe(1);
    expect(customer.note).toBe(
      'Synap searched the customer scope of customer_id acme: memories stored with that customer_id and no user_id only.',
    );
    const nobody = await ok('fetch_context', { scope: 'customer', customer_id: 'globex' });
    expect(nobody.note).toMatch(
      /add user_id, or omit customer_id for client-scope memories; on B2C what was stored under customer_id alone is the user's, so pass that id as user_id\./,
    );
  });

  it('says when the answer is full at the max_results cap, default 10, and more may match', async () => {
    const sentences = Array.from({ length: 11 }, (_, i) => `Office ${i + 1} is in the north wing.`);
    expect(await remember({ document: sentences.join(' ') })).toHaveLength(11);
    const count = (sc: Record<string, unknown>) =>
      ['facts', 'preferences', 'episodes', 'emotions', 'temporal_events'].reduce(
        (n, k) => n + (sc[k] as unknown[]).length,
        0,
      );
    const byDefault = await ok('fetch_context', { scope: 'client', search_query: ['office'] });
    expect(last().body).toEqual({ search_query: ['office'] });
    expect(count(byDefault)).toBe(10);
    expect(byDefault.note).toMatch(
      /Synap returned 10 memories, its cap \(Synap's default of 10, as max_results was not given\): more may match and were not returned; raise max_results \(at most 50\)/,
    );
    const all = await ok('fetch_context', { scope: 'client', search_query: ['office'], max_results: 20 });
    expect(count(all)).toBe(11);
    expect(all.note).toBe(
      'Synap searched the client scope only: memories stored without user_id and customer_id.',
    );
    const two = await ok('fetch_context', { scope: 'client', search_query: ['office'], max_results: 2 });
    expect(count(two)).toBe(2);
    expect(two.note).toMatch(/Synap returned 2 memories, its cap \(max_results 2\): more may match/);
    // An answer holding more than the cap asked is not called "its cap", yet more may still match.
    const fact = (i: number) => ({ id: `f${i}`, content: `Office ${i} is north.`, confidence: 0.9 });
    emulator.inject({
      fault: { kind: 'status', status: 200, body: { context: { facts: [fact(1), fact(2), fact(3)] } } },
      path: '/v1/context/client/fetch',
    });
    const over = await ok('fetch_context', { scope: 'client', search_query: ['office'], max_results: 2 });
    expect(count(over)).toBe(3);
    expect(over.note).toMatch(
      /Synap returned 3 memories, more than the cap asked \(max_results 2\): more may match and were not returned/,
    );
    expect(over.note).not.toMatch(/its cap/);
  });

  it('uses each scope path and refuses a scope without its id before sending', async () => {
    await ok('fetch_context', { scope: 'client' });
    expect(last().path).toBe('/v1/context/client/fetch');
    expect(last().body).toEqual({});
    await ok('fetch_context', { scope: 'conversation', conversation_id: 'cv' });
    expect(last().path).toBe('/v1/context/conversation/fetch');
    expect(last().body).toEqual({ conversation_id: 'cv' });
    emulator.requests.length = 0;
    const result = await mcp.call('fetch_context', { scope: 'customer' });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/customer_id: required when scope is customer/);
    expect(emulator.requests).toHaveLength(0);
  });

  it('reads the 422 FastAPI validation list as field errors', async () => {
    emulator.errorStyle = 'fastapi';
    const result = await mcp.call('fetch_context', { scope: 'user', user_id: 'u' });
    expect(textOf(result)).toMatch(
      /rejected the request \(HTTP 422\)[\s\S]*fields: customer_id: required for user scope on B2B/,
    );
  });

  it('reports a failed fetch as a read (safe to retry), not as a write that may have happened', async () => {
    emulator.inject({ fault: { kind: 'status', status: 500 }, path: '/v1/context/client/fetch' });
    const result = await mcp.call('fetch_context', { scope: 'client' });
    expect(textOf(result)).toMatch(
      /Synap is unavailable \(HTTP 500\).*Retrying later is safe[\s\S]*request id: [0-9a-f-]{36}/,
    );
    expect(textOf(result)).toContain(`request id: ${last().headers['x-correlation-id']}`);
    expect(textOf(result)).not.toMatch(/write/);
  });

  it('reads buckets rendered at top level (the docs rendering) as well as under context', async () => {
    emulator.inject({
      fault: {
        kind: 'status',
        status: 200,
        body: { facts: [{ id: 'f1', content: 'Top-level fact', confidence: '0.7', extra: 1 }], metadata: {} },
      },
    });
    const sc = await ok('fetch_context', { scope: 'client' });
    expect(sc.facts).toEqual([{ id: 'f1', content: 'Top-level fact', confidence: 0.7 }]);
    expect(sc.preferences).toEqual([]);
  });
});

describe('record_conversation_message and compact_conversation', () => {
  it('POSTs /v1/conversations/messages and /v1/conversations/compact with exactly the given fields', async () => {
    const msg = {
      conversation_id: 'conv-7',
      role: 'user',
      content: 'Remind me that the launch is next week.',
      user_id: 'u-1',
      customer_id: 'c-1',
      session_id: 'sess-1',
      metadata: { client: 'ide' },
    };
    const recorded = await ok('record_conversation_message', msg);
    expect(last().method).toBe('POST');
    expect(last().path).toBe('/v1/conversations/messages');
    expect(last().body).toEqual(msg);
    expect(recorded).toEqual({
      message_id: expect.stringMatching(/^msg_/),
      conversation_id: 'conv-7',
      session_id: 'sess-1',
      recorded_at: '2025-06-01T09:00:00.000Z',
    });

    const args = { conversation_id: 'conv-7', force: true, strategy: 'balanced', target_tokens: 50 };
    const compacted = await ok('compact_conversation', args);
    expect(last().path).toBe('/v1/conversations/compact');
    expect(last().body).toEqual(args);
    expect(compacted).toMatchObject({
      compaction_id: expect.stringMatching(/^cmp_/),
      conversation_id: 'conv-7',
      status: 'in_progress',
      strategy: 'balanced',
    });
    const again = await mcp.call('compact_conversation', { conversation_id: 'conv-7' });
    expect(textOf(again)).toMatch(/conflict \(HTTP 409\)[\s\S]*message: Conversation is already compacted/);
  });

  it('a compaction Synap answers in progress (202) is reported as started, and get_compaction_status follows it', async () => {
    await ok('record_conversation_message', {
      conversation_id: 'conv-8',
      role: 'user',
      content: 'The launch moved to Thursday.',
      user_id: 'u-1',
      customer_id: 'c-1',
    });
    const started = await ok('compact_conversation', { conversation_id: 'conv-8' });
    expect(started).toMatchObject({ status: 'in_progress', estimated_completion_seconds: 2 });
    expect(started.note).toBe(
      'Synap has not finished the compaction (HTTP 202, status: in_progress): there is no summary yet. Follow it with get_compaction_status for conversation_id conv-8 (Synap estimates 2 s); tell the user it was started, not that it is done.',
    );
    expect(started).not.toHaveProperty('summary');
    const summary = async () =>
      (
        (await ok('fetch_context', { scope: 'conversation', conversation_id: 'conv-8' }))
          .conversation_context as {
          summary?: string | null;
        }
      ).summary;
    expect(await summary()).toBeFalsy();

    const first = await ok('get_compaction_status', { conversation_id: 'conv-8' });
    expect(last()).toMatchObject({ method: 'GET', path: '/v1/conversations/conv-8/compaction/status' });
    expect(first).toMatchObject({ compaction_id: started.compaction_id, status: 'in_progress' });
    expect(first.note).toMatch(/^Synap has not finished the compaction \(HTTP 200, status: in_progress\)/);
    clock.set(START + 1500);
    const done = await ok('get_compaction_status', { conversation_id: 'conv-8' });
    expect(done).toMatchObject({ status: 'completed', completed_at: '2025-06-01T09:00:01.500Z' });
    expect(done.note).toBe(
      'Synap says the compaction is completed (HTTP 200, status: completed): fetch_context with scope conversation and conversation_id conv-8 shows its summary.',
    );
    expect(await summary()).toMatch(/^The launch moved/);

    const none = await mcp.call('get_compaction_status', { conversation_id: 'conv-none' });
    expect(textOf(none)).toMatch(/not found \(HTTP 404\)/);
  });

  it('a compaction status syn-mcp does not know is reported as Synap gave it, not as started', async () => {
    for (const status of ['none', 'not_found', undefined]) {
      emulator.inject({
        fault: { kind: 'status', status: 200, body: { conversation_id: 'conv-9', status } },
        path: '/v1/conversations/conv-9/compaction/status',
      });
      const read = await ok('get_compaction_status', { conversation_id: 'conv-9' });
      const said = status === undefined ? 'HTTP 200, no status' : `HTTP 200, status: ${status}`;
      expect(read.note).toBe(
        `Synap's answer (${said}) does not say the compaction was started or is done: tell the user what Synap answered, not more; get_compaction_status for conversation_id conv-9 asks again.`,
      );
      expect(read.note).not.toMatch(/started, not|has not finished/);
    }
  });
});
