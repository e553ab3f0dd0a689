import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/sandbox/common/clock.js';
import { createSynapEmulator, type SynapEmulator } from '../../src/sandbox/synap/index.js';
import { createSynchronexEmulator, type SynchronexEmulator } from '../../src/sandbox/synchronex/index.js';
import { toPublishedSchema } from '../../src/schema.js';
import type { AnyToolDef } from '../../src/tool.js';
import { synapToolsets } from '../../tools/synap/index.js';
import { synchronexToolsets } from '../../tools/synchronex/index.js';
import { connectInProcess, type InProcess, jsonOf, textOf } from '../helpers/in-process.js';

const registry = [...synapToolsets, ...synchronexToolsets];
const clock = new ManualClock(Date.UTC(2025, 5, 1, 9, 0, 0));
let synap: SynapEmulator;
let sx: SynchronexEmulator;
let env: Record<string, string>;
let mcp: InProcess;

interface Hit {
  source: string;
  id?: string;
  text: string;
  type?: string;
  score?: number;
}
interface Found {
  items: Hit[];
  errors?: Array<{ source: string; message: string }>;
  note?: string;
  synap_scope?: string;
}

beforeAll(async () => {
  synap = createSynapEmulator({ clock });
  sx = createSynchronexEmulator({ clock });
  env = {
    SYNAP_API_KEY: synap.apiKey,
    SYNAP_BASE_URL: await synap.listen(),
    SYNCHRONEX_API_KEY: sx.apiKey,
    SYNCHRONEX_BASE_URL: await sx.listen(),
  };
  mcp = await connectInProcess(env, ['--toolsets', 'all'], { maxRetries: 0 }, registry);
  await mcp.client.listTools();
});
afterAll(async () => {
  await mcp.close();
  await synap.close();
  await sx.close();
});
beforeEach(() => {
  synap.reset();
  sx.reset();
});
afterEach(() => {
  synap.clearFaults();
  sx.clearFaults();
});

async function ok(
  name: string,
  args: Record<string, unknown>,
  on: InProcess = mcp,
): Promise<Record<string, unknown>> {
  const result = await on.call(name, args);
  if (result.isError) throw new Error(`${name} failed: ${textOf(result)}`);
  return result.structuredContent as Record<string, unknown>;
}

async function search(args: Record<string, unknown>, on: InProcess = mcp): Promise<Found> {
  const result = await on.call('search_memory', args);
  if (result.isError) throw new Error(`search_memory failed: ${textOf(result)}`);
  expect(jsonOf(result)).toEqual(result.structuredContent);
  return result.structuredContent as unknown as Found;
}

/** Stores a Synap memory through the tools and waits for the ingestion (two status polls). */
async function remember(args: Record<string, unknown>): Promise<string[]> {
  const added = await ok('add_memory', args);
  await ok('get_memory_status', { ingestion_id: added.ingestion_id });
  const done = await ok('get_memory_status', { ingestion_id: added.ingestion_id });
  return done.memory_ids as string[];
}

async function seedBoth(): Promise<void> {
  await remember({ document: 'The team prefers Postgres for new services.' });
  await ok('create_decision', { decision: 'Use Postgres for billing', product_name: 'billing' });
  synap.requests.length = 0;
  sx.requests.length = 0;
}

describe('search_memory', () => {
  it('queries both services with their documented requests and merges one labelled list', async () => {
    await seedBoth();
    const found = await search({ query: 'postgres' });
    const synapReq = synap.requests[0];
    expect(synapReq).toMatchObject({
      method: 'POST',
      path: '/v1/context/client/fetch',
      body: { search_query: ['postgres'] },
      headers: expect.objectContaining({ authorization: `Bearer ${synap.apiKey}` }),
    });
    const sxReq = sx.requests[0];
    expect(sxReq).toMatchObject({
      method: 'GET',
      path: '/api/v1/memory/search',
      query: { query: 'postgres', limit: '10' },
      headers: expect.objectContaining({ authorization: `Bearer ${sx.apiKey}` }),
    });
    expect(sxReq?.body).toBeUndefined();
    expect(found.errors).toBeUndefined();
    expect(found.items).toEqual([
      {
        source: 'synap',
        id: expect.any(String),
        text: 'The team prefers Postgres for new services.',
        type: 'preference',
        score: 0.8,
        created_at: '2025-06-01T09:00:00.000Z',
      },
      {
        source: 'synchronex',
        id: expect.stringMatching(/^dec_/),
        text: 'Use Postgres for billing',
        type: 'decision',
        score: 1,
        product_name: 'billing',
        created_at: '2025-06-01T09:00:00.000Z',
      },
    ]);
  });

  it('finds a memory that was just added, and its id works with get_memory', async () => {
    const ids = await remember({
      document: 'Maria is allergic to peanuts.',
      user_id: 'maria',
      customer_id: 'acme',
    });
    const found = await search({
      query: 'peanut allergy',
      user_id: 'maria',
      customer_id: 'acme',
      service: 'synap',
    });
    expect(found.items).toHaveLength(1);
    expect(found.items[0]).toMatchObject({
      source: 'synap',
      id: ids[0],
      text: 'Maria is allergic to peanuts.',
    });
    const memory = await ok('get_memory', { memory_id: found.items[0]?.id });
    expect(memory.content).toBe('Maria is allergic to peanuts.');
    // Not visible at another scope.
    expect((await search({ query: 'peanut', service: 'synap' })).items).toEqual([]);
  });

  it('picks the Synap scope from the ids: user_id → user, customer_id → customer, else client', async () => {
    await search({ query: 'q', user_id: 'u', customer_id: 'c', service: 'synap' });
    expect(synap.requests.at(-1)).toMatchObject({
      path: '/v1/context/user/fetch',
      body: { search_query: ['q'], user_id: 'u', customer_id: 'c' },
    });
    await search({ query: 'q', customer_id: 'c', service: 'synap' });
    expect(synap.requests.at(-1)).toMatchObject({
      path: '/v1/context/customer/fetch',
      body: { search_query: ['q'], customer_id: 'c' },
    });
    expect(sx.requests).toHaveLength(0);
  });

  it('passes limit to both services and caps the merged list', async () => {
    await remember({ document: 'Alpha uses Redis. Beta uses Redis too. Gamma uses Redis as well.' });
    for (const p of ['a', 'b', 'c'])
      await ok('create_decision', { decision: `Cache ${p} in Redis`, product_name: p });
    synap.requests.length = 0;
    sx.requests.length = 0;
    const found = await search({ query: 'redis', limit: 3 });
    expect(synap.requests[0]?.body).toEqual({ search_query: ['redis'], max_results: 3 });
    expect(sx.requests[0]?.query).toEqual({ query: 'redis', limit: '3' });
    expect(found.items.map((i) => i.source)).toEqual(['synap', 'synchronex', 'synap']);
    // Six came back, three are shown, and Synap's answer was full: the note says both, not a silent cut.
    expect(found.note).toMatch(/3 more results the services returned were left out to keep to limit 3\./);
    expect(found.note).toMatch(/Synap returned 3 memories, its cap \(limit 3\): more may match/);
    expect(found.note).toMatch(
      /Synchronex returned 3 results, its cap \(limit 3\): more may match and were not returned; raise limit \(at most 50\) or narrow the search\./,
    );
    const roomy = await search({ query: 'redis', limit: 10 });
    expect(roomy.items).toHaveLength(6);
    expect(roomy.note).not.toMatch(/left out|its cap/);
  });

  it('says when Synchronex came back full at the limit syn-mcp sends by default, or says itself it cut', async () => {
    for (let i = 1; i <= 11; i++)
      await ok('create_decision', { decision: `Cache ${i} in Redis`, product_name: 'p' });
    sx.requests.length = 0;
    const found = await search({ query: 'redis', service: 'synchronex' });
    expect(sx.requests[0]?.query).toEqual({ query: 'redis', limit: '10' });
    expect(found.items).toHaveLength(10);
    expect(found.note).toMatch(
      /^Synchronex returned 10 results, its cap \(the default syn-mcp sends of 10, as limit was not given\): more may match/,
    );
    const all = await search({ query: 'redis', service: 'synchronex', limit: 12 });
    expect(all.items).toHaveLength(11);
    expect(all.note).toBeUndefined();
    // Fewer than the limit, but the answer itself says more matched.
    const body = { results: [{ id: 'dec_1', text: 'Cache 1 in Redis' }], count: 1, total: 4 };
    sx.inject({ path: '/memory/search', fault: { kind: 'status', status: 200, body } });
    const cut = await search({ query: 'redis', service: 'synchronex' });
    expect(cut.note).toBe(
      'Synchronex returned 1 results and its answer says more matched (total: 4): narrow the search.',
    );
  });

  it('counts every memory Synap returned against its cap, those without text to show included', async () => {
    const context = {
      facts: [
        { id: 'm1', content: 'Redis is the cache.' },
        { id: 'm2', content: 'Redis runs on port 6380.' },
      ],
      preferences: [],
      episodes: [{ id: 'm3', occurred_at: '2025-05-01T00:00:00Z' }],
      emotions: [],
      temporal_events: [],
    };
    synap.inject({ fault: { kind: 'status', status: 200, body: { context } } });
    const found = await search({ query: 'redis', limit: 3, service: 'synap' });
    expect(found.items.map((i) => i.id)).toEqual(['m1', 'm2']);
    expect(found.note).toMatch(/Synap returned 3 memories, its cap \(limit 3\): more may match/);
  });

  it('an id-less search says it searched the client scope only and how to reach a customer memory', async () => {
    await remember({ document: 'Acme renews its contract in March.', customer_id: 'acme' });
    const plain = await search({ query: 'contract renews', service: 'synap' });
    // The emulator stores per scope like Synap: a customer memory is not in the client scope.
    expect(synap.requests.at(-1)?.path).toBe('/v1/context/client/fetch');
    expect(plain.items).toEqual([]);
    expect(plain.synap_scope).toBe('client');
    expect(plain.note).toMatch(/client scope only/);
    expect(plain.note).toMatch(/user or a customer were NOT searched/);
    expect(plain.note).toMatch(/customer_id alone/);
    const scoped = await search({ query: 'contract renews', customer_id: 'acme' });
    expect(synap.requests.at(-1)?.path).toBe('/v1/context/customer/fetch');
    expect(scoped.synap_scope).toBe('customer');
    expect(scoped.items.filter((i) => i.source === 'synap').map((i) => i.text)).toEqual([
      'Acme renews its contract in March.',
    ]);
    expect(scoped.note).toMatch(/customer scope of customer_id acme/);
    expect(scoped.note).not.toMatch(/Nothing matched/);
  });

  it('on B2C says, in descriptions and notes, that either id was stored as the user, and following it finds it', async () => {
    const b2c = createSynapEmulator({ clock, isolation: 'b2c' });
    const on = await connectInProcess(
      { ...env, SYNAP_BASE_URL: await b2c.listen(), SYNAP_API_KEY: b2c.apiKey },
      ['--toolsets', 'all'],
      { maxRetries: 0 },
      registry,
    );
    try {
      const { tools } = await on.client.listTools();
      const described = (name: string) => tools.find((t) => t.name === name)?.description ?? '';
      expect(described('add_memory')).toMatch(
        /on B2C, either id → that user \(search with that id as user_id\)/,
      );
      expect(described('search_memory')).toMatch(
        /customer_id alone → that customer \(B2B only; on B2C pass either id as user_id\)/,
      );
      const added = await ok(
        'add_memory',
        { document: 'Acme renews its contract in March.', customer_id: 'acme' },
        on,
      );
      for (let i = 0; i < 2; i++) await ok('get_memory_status', { ingestion_id: added.ingestion_id }, on);
      const plain = await search({ query: 'contract renews', service: 'synap' }, on);
      expect(plain.items).toEqual([]);
      expect(plain.note).toMatch(/on B2C either id was stored as the user's, so pass it as user_id\./);
      // What the old advice said to do: customer_id alone, which on B2C searches a scope nothing is stored at;
      // the note then says to pass that id as user_id.
      const customer = await search({ query: 'contract renews', customer_id: 'acme', service: 'synap' }, on);
      expect(customer.items).toEqual([]);
      expect(customer.note).toMatch(
        /on B2C what was stored under customer_id alone is the user's, so pass that id as user_id\./,
      );
      const found = await search({ query: 'contract renews', user_id: 'acme', service: 'synap' }, on);
      expect(found.items.map((i) => i.text)).toEqual(['Acme renews its contract in March.']);
    } finally {
      await on.close();
      await b2c.close();
    }
  });

  it('returns the other service results with a clear error entry when Synchronex fails', async () => {
    await seedBoth();
    sx.inject({ fault: { kind: 'status', status: 500 }, path: '/memory/search', times: 2 });
    const found = await search({ query: 'postgres' });
    expect(found.items.map((i) => i.source)).toEqual(['synap']);
    expect(found.errors).toEqual([
      {
        source: 'synchronex',
        message: expect.stringMatching(
          /^Synchronex is unavailable \(HTTP 500\)[\s\S]*message: Internal Server Error\.?\n[\s\S]*code: INTERNAL_ERROR/,
        ),
      },
    ]);
    expect(found.note).toBe(
      'Synchronex could not be searched; these results come from the other service only. Synap searched the client scope only: memories stored without user_id and customer_id.',
    );
  });

  it('returns Synchronex results when Synap fails, naming Synap and keeping its correlation id', async () => {
    await seedBoth();
    synap.inject({ fault: { kind: 'status', status: 503 }, path: '/v1/context/client/fetch', times: 2 });
    const found = await search({ query: 'postgres' });
    expect(found.items.map((i) => i.source)).toEqual(['synchronex']);
    expect(found.errors?.[0]?.source).toBe('synap');
    expect(found.errors?.[0]?.message).toMatch(
      /^Synap is unavailable \(HTTP 503\)\. Retrying later is safe\.[\s\S]*message: Service Unavailable\.?\n[\s\S]*request id: [0-9a-f-]{36}/,
    );
    // The request id is the X-Correlation-ID syn-mcp sent for this call, echoed by Synap.
    expect(found.errors?.[0]?.message).toContain(
      `request id: ${synap.requests.at(-1)?.headers['x-correlation-id']}`,
    );
    expect(found.note).toMatch(/^Synap could not be searched/);
  });

  it('is an error result when every service fails', async () => {
    synap.inject({ fault: { kind: 'status', status: 500 } });
    sx.rateLimit({ retryAfterSeconds: 30 });
    const result = await mcp.call('search_memory', { query: 'anything' });
    expect(result.isError).toBe(true);
    expect(result.structuredContent).toBeUndefined();
    expect(textOf(result)).toMatch(/every memory service failed/);
    expect(textOf(result)).toMatch(/Synap: Synap is unavailable \(HTTP 500\)/);
    expect(textOf(result)).toMatch(
      /Synchronex: Synchronex rate limit reached \(HTTP 429\).*Retry after 30 s/,
    );
  });

  it('with service set, a failure of that service is the error itself', async () => {
    sx.rateLimit({ retryAfterSeconds: 12 });
    const result = await mcp.call('search_memory', { query: 'x', service: 'synchronex' });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/^Synchronex rate limit reached \(HTTP 429\)/);
    expect(result._meta).toEqual({ retryAfterSeconds: 12 });
    expect(synap.requests).toHaveLength(0);
  });

  it('queries the two services concurrently', async () => {
    synap.inject({ fault: { kind: 'delay', ms: 800 } });
    let settled = false;
    const pending = mcp.call('search_memory', { query: 'x' }).finally(() => {
      settled = true;
    });
    // Synap is asked first; Synchronex must be asked while Synap is still answering.
    for (let i = 0; i < 60 && sx.requests.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(sx.requests).toHaveLength(1);
    expect(synap.requests).toHaveLength(1);
    expect(settled).toBe(false);
    expect((await pending).isError).toBeFalsy();
  });

  it('is offered with only one memory service configured, and queries only that one', async () => {
    const only = await connectInProcess(
      { SYNCHRONEX_API_KEY: sx.apiKey, SYNCHRONEX_BASE_URL: env.SYNCHRONEX_BASE_URL ?? '' },
      ['--toolsets', 'default'],
      { maxRetries: 0 },
      registry,
    );
    try {
      const names = (await only.client.listTools()).tools.map((t) => t.name);
      expect(names).toContain('search_memory');
      expect(names).not.toContain('fetch_context');
      await ok('create_decision', { decision: 'Adopt Rust', product_name: 'core' });
      const found = await search({ query: 'rust' }, only);
      expect(found).toEqual({
        items: [expect.objectContaining({ source: 'synchronex', text: 'Adopt Rust' })],
      });
      expect(synap.requests).toHaveLength(0);
      const named = await only.call('search_memory', { query: 'rust', service: 'synap' });
      expect(named.isError).toBe(true);
      expect(textOf(named)).toBe('Synap is not configured: set SYNAP_API_KEY.');
    } finally {
      await only.close();
    }
  });

  it('shapes an unknown Synchronex search body from the fields present', async () => {
    sx.inject({
      fault: {
        kind: 'status',
        status: 200,
        body: {
          hits: [
            { id: 12, content: 'Kernel note', relevance: 0.4 },
            { uuid: 'x', extra: true },
          ],
          total: 2,
        },
      },
    });
    const found = await search({ query: 'kernel', service: 'synchronex' });
    expect(found.items).toEqual([
      { source: 'synchronex', id: '12', text: 'Kernel note', score: 0.4 },
      { source: 'synchronex', text: '{"uuid":"x","extra":true}' },
    ]);
  });
});

describe('memory toolsets', () => {
  const byName = new Map<string, AnyToolDef>();
  for (const ts of registry) for (const t of ts.tools) byName.set(t.name, t);
  const tools = [...byName.values()];

  it('list search_memory in both default memory toolsets, writes and admin opt-in', () => {
    const ts = Object.fromEntries(registry.map((t) => [t.name, t]));
    expect(ts.synap?.tools.map((t) => t.name)).toContain('search_memory');
    expect(ts.synchronex?.tools.map((t) => t.name)).toContain('search_memory');
    expect(byName.get('search_memory')?.services).toEqual(['synap', 'synchronex']);
    for (const name of ['synap', 'synchronex']) expect(ts[name]?.default).toBe(true);
    for (const name of ['synap_write', 'synap_admin', 'synchronex_write', 'synchronex_admin']) {
      expect(ts[name]?.default, name).toBe(false);
    }
    for (const name of ['synap', 'synchronex']) {
      for (const t of ts[name]?.tools ?? []) expect(t.annotations.readOnlyHint, t.name).toBe(true);
    }
    for (const name of ['synap_write', 'synchronex_write']) {
      for (const t of ts[name]?.tools ?? []) expect(t.annotations.readOnlyHint, t.name).toBe(false);
    }
    expect(ts.synap_admin?.tools.map((t) => t.name)).toEqual(['delete_memory']);
    expect(ts.synchronex_admin?.tools.map((t) => t.name).sort()).toEqual([
      'create_byok_credential',
      'delete_byok_credential',
      'delete_decision',
      'import_mif',
      'list_byok_credentials',
    ]);
    expect(tools).toHaveLength(28);
  });

  it.each(tools.map((t) => [t.name, t] as const))('%s follows the tool conventions', (_name, tool) => {
    expect(tool.name).toMatch(/^[a-z0-9_]{1,48}$/);
    expect(tool.title).toMatch(tool.services[0] === 'synap' ? /^Synap · / : /^Synchronex · /);
    expect(tool.description.length).toBeGreaterThan(60);
    expect(tool.description.length).toBeLessThan(1024);
    if (tool.annotations.readOnlyHint) expect(tool.annotations.destructiveHint).toBe(false);
    if (tool.name.startsWith('delete_')) expect(tool.annotations.destructiveHint).toBe(true);
    for (const list of [tool.listTool ?? []].flat()) expect(byName.has(list), list).toBe(true);
    const input = toPublishedSchema(tool.input, 'input');
    expect(input.anyOf).toBeUndefined();
    const text = JSON.stringify(input);
    expect(text).not.toContain('"$ref"');
    expect(text).not.toContain('"format"');
    for (const [field, schema] of Object.entries(
      (input.properties ?? {}) as Record<string, { description?: string }>,
    )) {
      expect(typeof schema.description, `${tool.name}.${field}`).toBe('string');
    }
    const walk = (n: unknown): void => {
      if (typeof n !== 'object' || n === null) return;
      const node = n as Record<string, unknown>;
      if (node.type === 'object' && node.properties) expect(node.additionalProperties).toBe(false);
      for (const v of Object.values(node)) walk(v);
    };
    walk(input);
  });
});
