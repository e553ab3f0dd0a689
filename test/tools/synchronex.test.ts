import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig, secretsOf } from '../../src/config.js';
import { HttpClient } from '../../src/http/client.js';
import { registerSecret } from '../../src/http/redact.js';
import { createLogger } from '../../src/log.js';
import { ManualClock } from '../../src/sandbox/common/clock.js';
import { createSynchronexEmulator, type SynchronexEmulator } from '../../src/sandbox/synchronex/index.js';
import { createServer } from '../../src/server.js';
import { createApiViews } from '../../src/services.js';
import { selectTools } from '../../src/toolsets.js';
import { synapToolsets } from '../../tools/synap/index.js';
import { synchronexToolsets } from '../../tools/synchronex/index.js';
import { connectInProcess, type InProcess, jsonOf, textOf } from '../helpers/in-process.js';

const registry = [...synapToolsets, ...synchronexToolsets];
const START = Date.UTC(2025, 5, 1, 9, 0, 0);
const clock = new ManualClock(START);
const PROVIDER_KEY = 'sk-proj-BYOKtestKEY-9f8e7d6c5b4a';
let emulator: SynchronexEmulator;
let url: string;
let mcp: InProcess;

function env(key: string): Record<string, string> {
  return {
    SYNCHRONEX_API_KEY: key,
    SYNCHRONEX_BASE_URL: url,
    SYN_MCP_BYOK_ENV_ALLOWLIST: 'OPENAI_PROVIDER_KEY',
    OPENAI_PROVIDER_KEY: PROVIDER_KEY,
    NOT_ALLOWED_KEY: 'sk-should-never-be-read-0000',
  };
}

beforeAll(async () => {
  emulator = createSynchronexEmulator({ clock });
  url = await emulator.listen();
  mcp = await connectInProcess(env(emulator.apiKey), ['--toolsets', 'all'], { maxRetries: 0 }, registry);
  await mcp.client.listTools();
});
afterAll(async () => {
  await mcp.close();
  await emulator.close();
});
beforeEach(() => {
  clock.set(START);
  emulator.reset();
});
afterEach(() => emulator.clearFaults());

const last = () => {
  const r = emulator.requests.at(-1);
  if (!r) throw new Error('no upstream request');
  return r;
};

async function ok(name: string, args: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const result = await mcp.call(name, args);
  if (result.isError) throw new Error(`${name} failed: ${textOf(result)}`);
  expect(jsonOf(result)).toEqual(result.structuredContent);
  return result.structuredContent as Record<string, unknown>;
}

function expectRequest(method: string, path: string, body?: unknown, query: Record<string, string> = {}) {
  const req = last();
  expect(req.method).toBe(method);
  expect(req.path).toBe(`/api/v1${path}`);
  expect(req.query).toEqual(query);
  expect(req.headers.authorization).toBe(`Bearer ${emulator.apiKey}`);
  expect(req.body).toEqual(body);
  if (body !== undefined) expect(req.headers['content-type']).toBe('application/json');
}

describe('identity kernel', () => {
  it('get_identity_kernel GETs /memory/identity', async () => {
    const sc = await ok('get_identity_kernel');
    expectRequest('GET', '/memory/identity');
    expect(sc).toEqual({
      identity: {},
      products: [],
      constraints: [],
      model_preferences: {},
      injection_block: '',
      updated_at: null,
    });
  });

  it('update_identity_kernel PUTs the given fields only and the kernel persists', async () => {
    const args = {
      identity: { name: 'Ada', company: 'Analytical', timezone: 'Europe/London' },
      constraints: ['no paid services'],
    };
    const sc = await ok('update_identity_kernel', args);
    expectRequest('PUT', '/memory/identity', args);
    expect(sc).toMatchObject({ ...args, updated_at: '2025-06-01T09:00:00.000Z' });
    const again = await ok('get_identity_kernel');
    expect(again.injection_block).toMatch(/^Identity: name=Ada, company=Analytical/);
  });

  it('update_identity_kernel with nothing to change sends nothing', async () => {
    const result = await mcp.call('update_identity_kernel', {});
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/at least one of identity/);
    expect(emulator.requests).toHaveLength(0);
  });

  it('shapes an unpublished body from the fields present: extra fields kept, misfits dropped, arrays wrapped', async () => {
    emulator.inject({
      fault: {
        kind: 'status',
        status: 200,
        body: { injection_block: 'You are helping Ada.', identity: 'Ada', tier: 'pro' },
      },
    });
    expect(await ok('get_identity_kernel')).toEqual({ injection_block: 'You are helping Ada.', tier: 'pro' });
    emulator.inject({ fault: { kind: 'status', status: 200, body: [{ name: 'Ada' }] } });
    expect(await ok('get_identity_kernel')).toEqual({ items: [{ name: 'Ada' }] });
  });
});

describe('product state', () => {
  it('update_product_state POSTs /memory/product/{name}/state, get_product_state reads it back', async () => {
    const body = {
      status: 'beta',
      what_works: ['stdio transport'],
      what_is_blocked: ['HTTP auth'],
      open_questions: ['pricing?'],
      next_session_starts_here: 'Write the README table',
    };
    const sc = await ok('update_product_state', { name: 'syn mcp/v1', ...body });
    expectRequest('POST', '/memory/product/syn%20mcp%2Fv1/state', body);
    expect(sc).toMatchObject({ name: 'syn mcp/v1', ...body });
    const read = await ok('get_product_state', { name: 'syn mcp/v1' });
    expectRequest('GET', '/memory/product/syn%20mcp%2Fv1/state');
    expect(read).toMatchObject(body);
  });

  it('404 says where product names come from', async () => {
    const result = await mcp.call('get_product_state', { name: 'ghost' });
    expect(textOf(result)).toMatch(
      /not found \(HTTP 404\).*get_identity_kernel[\s\S]*message: No state recorded for product ghost/,
    );
    expect(textOf(result)).toMatch(/code: NOT_FOUND/);
  });

  it('accepts a string where the docs may send one (what_works as text)', async () => {
    emulator.inject({
      fault: { kind: 'status', status: 200, body: { name: 'p', what_works: 'everything' } },
    });
    expect(await ok('get_product_state', { name: 'p' })).toEqual({ name: 'p', what_works: 'everything' });
  });
});

describe('decisions', () => {
  it('create_decision POSTs /memory/decisions; search_decisions GETs the documented query; delete_decision removes', async () => {
    const args = {
      decision: 'Use Postgres for storage',
      product_name: 'syn-mcp',
      reasoning: 'Relational data, one region',
      affects_products: ['docs-bot'],
    };
    const created = await ok('create_decision', args);
    expectRequest('POST', '/memory/decisions', args);
    expect(created).toMatchObject({
      ...args,
      id: expect.stringMatching(/^dec_/),
      created_at: '2025-06-01T09:00:00.000Z',
    });

    const found = await ok('search_decisions', {
      query: 'postgres',
      product_name: 'syn-mcp',
      limit: 5,
      token_budget: 500,
    });
    expectRequest('GET', '/memory/decisions/search', undefined, {
      query: 'postgres',
      product_name: 'syn-mcp',
      limit: '5',
      token_budget: '500',
    });
    expect(found).toMatchObject({ count: 1, items: [{ id: created.id, decision: args.decision, score: 1 }] });

    const deleted = await ok('delete_decision', { id: created.id });
    expectRequest('DELETE', `/memory/decisions/${String(created.id)}`);
    expect(deleted).toEqual({ id: created.id, deleted: true });
    const missing = await mcp.call('delete_decision', { id: created.id });
    expect(textOf(missing)).toMatch(/not found \(HTTP 404\).*search_decisions/);
  });

  it('search_decisions says when the answer is full at its limit (20 sent by default) and more may match', async () => {
    for (const p of ['a', 'b', 'c'])
      await ok('create_decision', { decision: `Cache ${p} in Redis`, product_name: p });
    const two = await ok('search_decisions', { query: 'redis', limit: 2 });
    expect(two.items).toHaveLength(2);
    expect(two.note).toBe(
      'Synchronex returned 2 decisions, its cap (limit 2): more may match and were not returned; raise limit (at most 100) or narrow the search.',
    );
    const three = await ok('search_decisions', { query: 'redis', limit: 4 });
    expect(three.items).toHaveLength(3);
    expect(three.note).toBeUndefined();
    const plain = await ok('search_decisions', { query: 'redis' });
    expectRequest('GET', '/memory/decisions/search', undefined, { query: 'redis', limit: '20' });
    expect(plain.note).toBeUndefined();
    const decisions = Array.from({ length: 20 }, (_, i) => ({ id: `dec_${i}`, decision: `Cache ${i}` }));
    emulator.inject({ fault: { kind: 'status', status: 200, body: { decisions, count: 20 } } });
    expect((await ok('search_decisions', { query: 'cache' })).note).toMatch(
      /^Synchronex returned 20 decisions, its cap \(the default syn-mcp sends of 20, as limit was not given\): more may match/,
    );
  });

  it('search_decisions says when the answer says the token budget cut it', async () => {
    const body = { decisions: [{ id: 'dec_1', decision: 'Cache in Redis' }], count: 1, truncated: true };
    emulator.inject({ fault: { kind: 'status', status: 200, body } });
    const cut = await ok('search_decisions', { query: 'redis', token_budget: 40 });
    expect(cut.note).toBe(
      'Synchronex returned 1 decisions and its answer says more matched (truncated: true): token_budget 40 may have stopped it: raise token_budget or narrow the search.',
    );
    emulator.inject({ fault: { kind: 'status', status: 200, body: { ...body, truncated: false } } });
    expect((await ok('search_decisions', { query: 'redis', token_budget: 40 })).note).toBeUndefined();
  });

  it('search_decisions reads a bare array and numeric ids', async () => {
    emulator.inject({
      fault: {
        kind: 'status',
        status: 200,
        body: [{ id: 7, decision: 'Ship weekly', product_name: 'p' }, 'noise'],
      },
    });
    expect(await ok('search_decisions', { query: 'ship' })).toEqual({
      items: [{ id: '7', decision: 'Ship weekly', product_name: 'p' }],
    });
  });

  it('reports the flat 429 with its wait and does not replay the POST', async () => {
    emulator.rateLimit({ retryAfterSeconds: 30, times: 3 });
    const result = await mcp.call('create_decision', { decision: 'd', product_name: 'p' });
    expect(textOf(result)).toMatch(
      /Synchronex rate limit reached \(HTTP 429\)\. Retry after 30 s\.[\s\S]*message: rate_limit_exceeded \(daily quota resets at /,
    );
    expect(result._meta).toEqual({ retryAfterSeconds: 30 });
    expect(emulator.requests).toHaveLength(1);
  });
});

describe('MIF, consolidation, signals', () => {
  it('export_mif GETs /memory/export-mif and import_mif POSTs that document back, restoring it', async () => {
    await ok('update_identity_kernel', { identity: { name: 'Ada' } });
    await ok('create_decision', { decision: 'Use Rust', product_name: 'p1' });
    const exported = await ok('export_mif');
    expectRequest('GET', '/memory/export-mif');
    const document = exported.document as Record<string, unknown>;
    expect(document).toMatchObject({ mif_version: '1.0', decisions: [{ decision: 'Use Rust' }] });

    emulator.reset();
    const imported = await ok('import_mif', { document });
    expectRequest('POST', '/memory/import-mif', document);
    expect(imported).toMatchObject({ status: 'completed', imported: { decisions: 1 } });
    expect(emulator.decisions.map((d) => d.decision)).toEqual(['Use Rust']);
    expect(((await ok('get_identity_kernel')).identity as { name: string }).name).toBe('Ada');
  });

  it('export_mif returns a non-JSON export as text', async () => {
    emulator.inject({ fault: { kind: 'status', status: 200, body: 'mif-yaml: 1' } });
    // A JSON string body is still JSON: it comes back as text.
    expect(await ok('export_mif')).toEqual({ text: 'mif-yaml: 1' });
  });

  it('export_mif of an empty body or a bare list is an error, never an invented empty document', async () => {
    for (const [body, said] of [
      [null, 'an empty body'],
      [[{ decision: 'd' }], 'a JSON list of 1 entries'],
      [0, 'a bare JSON number'],
    ] as const) {
      emulator.inject({ fault: { kind: 'status', status: 200, body } });
      const result = await mcp.call('export_mif', {});
      expect(result.isError).toBe(true);
      expect(result.structuredContent).toBeUndefined();
      expect(textOf(result)).toContain(`Synchronex answered the MIF export with ${said}, not a MIF document`);
      expect(textOf(result)).toMatch(/do not import anything/);
    }
  });

  it('consolidate_memory POSTs /memory/consolidate with {}; ingest_project_signal POSTs the signal', async () => {
    const job = await ok('consolidate_memory');
    expectRequest('POST', '/memory/consolidate', {});
    expect(job).toMatchObject({ job_id: expect.stringMatching(/^job_/), status: 'queued' });

    const signal = { type: 'release', summary: 'v0.3 shipped with search' };
    const ack = await ok('ingest_project_signal', { project_id: 'proj 1', signal });
    expectRequest('POST', '/ingest/proj%201', signal);
    expect(ack).toMatchObject({
      id: expect.stringMatching(/^sig_/),
      status: 'accepted',
      project_id: 'proj 1',
    });
    await ok('ingest_project_signal', { project_id: 'p2' });
    expectRequest('POST', '/ingest/p2', {});
  });

  it('ingest_project_signal says a 202 was only accepted for processing, and search finds it once processed', async () => {
    const signal = { type: 'release', summary: 'v0.3 shipped with search' };
    const ack = await ok('ingest_project_signal', { project_id: 'proj', signal });
    expect(ack.note).toBe(
      'Synchronex accepted the signal for processing (HTTP 202, status: accepted); it is not stored yet, and search_memory may not find it until Synchronex has processed it. Tell the user it was sent for processing, not that it is stored.',
    );
    const signals = async () =>
      (
        (await ok('search_memory', { query: 'shipped', service: 'synchronex' })).items as Array<{
          type?: string;
        }>
      ).filter((i) => i.type === 'signal').length;
    expect(await signals()).toBe(0);
    clock.set(START + 1500);
    expect(await signals()).toBe(1);
    // Another answer is told as it is, never as stored by syn-mcp's own words.
    emulator.inject({ fault: { kind: 'status', status: 201, body: { id: 'sig_1', status: 'stored' } } });
    const stored = await ok('ingest_project_signal', { project_id: 'proj', signal });
    expect(stored.note).toBe(
      'Synchronex answered HTTP 201, status: stored; it did not say when search_memory will find the signal.',
    );
  });
});

describe('AI costs, kernel export, scope', () => {
  it('get_ai_costs GETs /ai/costs or /ai/costs/{product} with days', async () => {
    const all = await ok('get_ai_costs', { days: 7 });
    expectRequest('GET', '/ai/costs', undefined, { days: '7' });
    expect(all).toMatchObject({ days: 7, total_cost_usd: 0.58, by_product: expect.any(Array) });
    const one = await ok('get_ai_costs', { product: 'docs-bot' });
    expectRequest('GET', '/ai/costs/docs-bot');
    expect(one).toMatchObject({ product: 'docs-bot', days: 30 });
  });

  it('export_kernel GETs /kernel/export', async () => {
    await ok('update_identity_kernel', { identity: { name: 'Ada' } });
    const sc = await ok('export_kernel');
    expectRequest('GET', '/kernel/export');
    expect(sc).toMatchObject({ injection_block: 'Identity: name=Ada', format: 'synchronex-kernel' });
  });

  it('get_scope GETs /scope; set_scope PATCHes {workspace_id}, null included', async () => {
    expect(await ok('get_scope')).toEqual({ workspace_id: null, scope: 'personal' });
    expectRequest('GET', '/scope');
    expect(await ok('set_scope', { workspace_id: 'ws_team' })).toEqual({
      workspace_id: 'ws_team',
      scope: 'workspace',
    });
    expectRequest('PATCH', '/scope', { workspace_id: 'ws_team' });
    await ok('set_scope', { workspace_id: null });
    expectRequest('PATCH', '/scope', { workspace_id: null });
    const missing = await mcp.call('set_scope', {});
    expect(missing.isError).toBe(true);
    expect(textOf(missing)).toMatch(/workspace_id/);
  });

  it('reads that answer from the active scope say so in their descriptions, and cost no extra scope call', async () => {
    // Synchronex's answers do not name the workspace (api-notes §5), and set_scope switches it for the key.
    const tools = (await mcp.client.listTools()).tools;
    const described = (name: string) => tools.find((t) => t.name === name)?.description ?? '';
    for (const name of ['search_decisions', 'get_identity_kernel', 'get_product_state']) {
      expect(described(name), name).toMatch(/ Reads the active scope \(get_scope\), unnamed in answers\.$/);
    }
    // search_memory reads Synap too, whose scope comes from its ids: the line names Synchronex as its subject.
    expect(described('search_memory')).toMatch(
      / Synchronex reads the active scope \(get_scope\), unnamed in answers\.$/,
    );
    expect(described('set_scope')).toMatch(/by anyone using it \(other agents and sessions too\)/);
    await ok('set_scope', { workspace_id: 'ws_team' });
    emulator.requests.length = 0;
    await ok('search_decisions', { query: 'anything' });
    expect(emulator.requests.map((r) => r.path)).toEqual(['/api/v1/memory/decisions/search']);
  });
});

describe('scopes of the key', () => {
  it('a read-only key reads, and a write answers 403 naming SYNCHRONEX_API_KEY', async () => {
    const ro = await connectInProcess(
      env(emulator.readOnlyKey),
      ['--toolsets', 'all'],
      { maxRetries: 0 },
      registry,
    );
    try {
      expect((await ro.call('get_identity_kernel', {})).isError).toBeFalsy();
      const denied = await ro.call('create_decision', { decision: 'd', product_name: 'p' });
      expect(denied.isError).toBe(true);
      expect(textOf(denied)).toMatch(
        /Synchronex refused the credential \(HTTP 403\)[\s\S]*message: This token lacks the write scope required by POST \/api\/v1\/memory\/decisions\./,
      );
      expect(textOf(denied)).toMatch(/The key in SYNCHRONEX_API_KEY is not allowed to do this/);
      expect(textOf(denied)).toMatch(/code: FORBIDDEN/);
      expect(textOf(denied)).not.toContain(emulator.readOnlyKey);
      expect(emulator.decisions).toHaveLength(0);
    } finally {
      await ro.close();
    }
  });

  it('a 403 TIER_REQUIRED says the plan is the problem and the key works', async () => {
    const body = { error: { code: 'TIER_REQUIRED', message: 'BYOK requires the Pro tier.' } };
    emulator.inject({ fault: { kind: 'status', status: 403, body } });
    const result = await mcp.call('get_ai_costs', {});
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(
      /^Synchronex refused this for the account's plan \(HTTP 403\): the key in SYNCHRONEX_API_KEY works, but its plan or tier does not include this\. Tell the user it needs a higher plan; changing the key or retrying will not help until then\./,
    );
    expect(textOf(result)).not.toMatch(/check SYNCHRONEX_API_KEY|not allowed to do this/);
    expect(textOf(result)).toMatch(/code: TIER_REQUIRED/);
  });

  it('a bad key answers 401 naming SYNCHRONEX_API_KEY', async () => {
    const bad = await connectInProcess(
      env('sx_live_revoked_key_1'),
      ['--toolsets', 'all'],
      { maxRetries: 0 },
      registry,
    );
    try {
      const result = await bad.call('get_scope', {});
      expect(textOf(result)).toMatch(/HTTP 401.*SYNCHRONEX_API_KEY is missing, invalid or revoked/);
    } finally {
      await bad.close();
    }
  });

  it('--read-only leaves no Synchronex write tool', async () => {
    const ro = await connectInProcess(
      env(emulator.apiKey),
      ['--toolsets', 'all', '--read-only'],
      {},
      registry,
    );
    try {
      const names = (await ro.client.listTools()).tools.map((t) => t.name);
      expect(names).toContain('get_identity_kernel');
      expect(names).toContain('list_byok_credentials');
      for (const w of [
        'update_identity_kernel',
        'create_decision',
        'import_mif',
        'create_byok_credential',
        'set_scope',
      ]) {
        expect(names).not.toContain(w);
      }
    } finally {
      await ro.close();
    }
  });
});

describe('BYOK', () => {
  it('create_byok_credential sends the key read from the allowlisted env var, and never returns it', async () => {
    const result = await mcp.call('create_byok_credential', {
      service: 'openai',
      label: 'prod',
      key_env: 'OPENAI_PROVIDER_KEY',
    });
    expect(result.isError).toBeFalsy();
    expectRequest('POST', '/byok', { service: 'openai', label: 'prod', key: PROVIDER_KEY });
    expect(result.structuredContent).toEqual({
      id: expect.stringMatching(/^byok_/),
      service: 'openai',
      label: 'prod',
      created_at: '2025-06-01T09:00:00.000Z',
      key_env: 'OPENAI_PROVIDER_KEY',
    });
    expect(JSON.stringify(result)).not.toContain(PROVIDER_KEY);
    expect(JSON.stringify(result)).not.toContain(PROVIDER_KEY.slice(-4));

    const listed = await mcp.call('list_byok_credentials', {});
    expectRequest('GET', '/byok');
    expect(listed.structuredContent).toEqual({
      items: [
        { id: expect.any(String), service: 'openai', label: 'prod', created_at: '2025-06-01T09:00:00.000Z' },
      ],
    });
    expect(JSON.stringify(listed)).not.toContain(PROVIDER_KEY.slice(-4));

    const id = (result.structuredContent as { id: string }).id;
    expect(await ok('delete_byok_credential', { id })).toEqual({ id, deleted: true });
    expectRequest('DELETE', `/byok/${id}`);
  });

  it('deletes report only what Synchronex answered: a 202 or deleted: false is not deleted: true', async () => {
    for (const [tool, check] of [
      ['delete_decision', 'search_decisions'],
      ['delete_byok_credential', 'list_byok_credentials'],
    ] as const) {
      emulator.inject({ fault: { kind: 'status', status: 202, body: { id: 'x1', status: 'queued' } } });
      const accepted = await ok(tool, { id: 'x1' });
      expect(accepted).toEqual({ id: 'x1', deleted: false, note: expect.stringContaining('(HTTP 202)') });
      expect(accepted.note).toContain(`check with ${check} before telling the user it is gone`);
      emulator.inject({ fault: { kind: 'status', status: 200, body: { id: 'x1', deleted: false } } });
      expect(await ok(tool, { id: 'x1' })).toEqual({
        id: 'x1',
        deleted: false,
        note: expect.stringMatching(
          /^Synchronex answered HTTP 200 with deleted: false: the \w+ was not deleted\.$/,
        ),
      });
    }
  });

  it('create_byok_credential reports only the fields Synchronex answered, and names the ones it did not', async () => {
    emulator.inject({ fault: { kind: 'status', status: 201, body: { id: 'byok_1' } } });
    const sc = await ok('create_byok_credential', {
      service: 'openai',
      label: 'prod',
      key_env: 'OPENAI_PROVIDER_KEY',
    });
    expect(sc).toEqual({
      id: 'byok_1',
      key_env: 'OPENAI_PROVIDER_KEY',
      note: expect.stringMatching(
        /^Synchronex's answer did not include service, label: the credential it stored is not confirmed/,
      ),
    });
  });

  it('refuses a key env var outside SYN_MCP_BYOK_ENV_ALLOWLIST without reading or sending anything', async () => {
    for (const keyEnv of ['NOT_ALLOWED_KEY', 'constructor', 'PATH']) {
      const result = await mcp.call('create_byok_credential', {
        service: 'openai',
        label: 'x',
        key_env: keyEnv,
      });
      expect(result.isError).toBe(true);
      expect(textOf(result)).toMatch(/add it to SYN_MCP_BYOK_ENV_ALLOWLIST/);
      expect(textOf(result)).not.toContain('sk-should-never-be-read');
    }
    const notAName = await mcp.call('create_byok_credential', {
      service: 'openai',
      label: 'x',
      key_env: 'sk-abc 123',
    });
    expect(notAName.isError).toBe(true);
    expect(emulator.requests).toHaveLength(0);
  });

  it('keeps the key out of results and logs even when the upstream echoes it in an error', async () => {
    const lines: string[] = [];
    const config = loadConfig(['--toolsets', 'all', '--log-level', 'debug'], env(emulator.apiKey));
    for (const s of secretsOf(config)) registerSecret(s);
    const http = new HttpClient({ policy: { maxRetries: 0 } });
    const views = createApiViews(http, config);
    const server = createServer({
      tools: selectTools(registry, views.configured, config).tools,
      api: views,
      log: createLogger('debug', (line) => lines.push(line)),
      version: 'test',
      callDeadlineMs: 10_000,
      byokKeys: config.byokKeys,
    });
    try {
      emulator.inject({
        fault: {
          kind: 'status',
          status: 400,
          body: {
            error: { code: 'VALIDATION_ERROR', message: `Key ${PROVIDER_KEY} is not a valid OpenAI key` },
          },
        },
      });
      const failed = await server.call(
        'create_byok_credential',
        { service: 'openai', label: 'x', key_env: 'OPENAI_PROVIDER_KEY' },
        { signal: new AbortController().signal },
      );
      expect(failed.isError).toBe(true);
      expect(textOf(failed)).toMatch(/Key \[REDACTED\] is not a valid OpenAI key/);
      const ok2 = await server.call(
        'create_byok_credential',
        { service: 'openai', label: 'y', key_env: 'OPENAI_PROVIDER_KEY' },
        { signal: new AbortController().signal },
      );
      expect(ok2.isError).toBeFalsy();
      const everything = JSON.stringify([failed, ok2]) + lines.join('');
      expect(lines.length).toBeGreaterThan(0);
      expect(everything).not.toContain(PROVIDER_KEY);
    } finally {
      await http.close();
    }
  });
});
