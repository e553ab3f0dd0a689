import { PassThrough } from 'node:stream';
import { LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { recordFastStart, recordToolListing } from '../../scripts/bundle/fast-start.js';
import { Catalog } from '../../src/catalog.js';
import { loadConfig } from '../../src/config.js';
import {
  answerFor,
  configuredViews,
  type FastPlan,
  type FastStartManifest,
  listAnswerFor,
  plainInitialize,
  planFastStart,
  type ToolListing,
  toolListFrame,
} from '../../src/fast-start.js';
import { HttpClient } from '../../src/http/client.js';
import { DEFAULT_PROFILE } from '../../src/profiles.js';
import { startSandbox } from '../../src/sandbox/index.js';
import { createApiViews } from '../../src/services.js';
import type { AnyToolDef } from '../../src/tool.js';
import { selectTools } from '../../src/toolsets.js';
import { EarlyInput } from '../../src/transports/early.js';
import { TOOLSETS } from '../../tools/index.js';

/** Everything an EarlyInput emits, in order. */
function record(input: EarlyInput): string[] {
  const seen: string[] = [];
  input.on('data', (chunk: Buffer) => seen.push(`data:${chunk.toString()}`));
  input.on('end', () => seen.push('end'));
  input.on('close', () => seen.push('close'));
  input.on('error', (err: Error) => seen.push(`error:${err.message}`));
  return seen;
}

/** Resolves to what onNextLine reports (as text, or undefined). */
function firstLine(input: EarlyInput): Promise<string | undefined> {
  return new Promise((resolve) => input.onNextLine((line) => resolve(line?.toString())));
}

describe('EarlyInput', () => {
  it('holds everything until release, then hands it over in order and passes later data through', () => {
    const source = new PassThrough();
    const input = new EarlyInput(source, 1024);
    const seen = record(input);
    source.write('a\n');
    source.write('b\n');
    source.emit('end');
    expect(seen).toEqual([]);
    input.release();
    source.emit('data', Buffer.from('c\n'));
    expect(seen).toEqual(['data:a\n', 'data:b\n', 'end', 'data:c\n']);
  });

  it('reports the first non-blank line, across chunks', async () => {
    const source = new PassThrough();
    const input = new EarlyInput(source, 1024);
    const found = firstLine(input);
    source.write('\n  \r\n{"a":');
    source.write('1}\nnext\n');
    expect(await found).toBe('{"a":1}');
  });

  it('reports the lines one by one, waiting for the next, and hands every byte over on release', async () => {
    const source = new PassThrough();
    const input = new EarlyInput(source, 1024);
    const seen = record(input);
    source.write('one\n\n two');
    expect(await firstLine(input)).toBe('one');
    const second = firstLine(input);
    source.write('\nthree\n');
    expect(await second).toBe(' two');
    expect(await firstLine(input)).toBe('three');
    const fourth = firstLine(input);
    source.end();
    expect(await fourth).toBeUndefined();
    input.release();
    expect(seen).toEqual(['data:one\n\n two\nthree\n', 'end', 'close']);
  });

  it('reports no line when stdin ends first, when the line is too long, or once released', async () => {
    const ended = new PassThrough();
    const a = new EarlyInput(ended, 1024);
    const noLine = firstLine(a);
    ended.write('{"partial":');
    ended.end();
    expect(await noLine).toBeUndefined();

    const long = new PassThrough();
    const b = new EarlyInput(long, 8);
    const tooLong = firstLine(b);
    long.write('0123456789');
    expect(await tooLong).toBeUndefined();

    const c = new EarlyInput(new PassThrough(), 1024);
    const released = firstLine(c);
    c.release();
    expect(await released).toBeUndefined();
  });

  it('repeats an error of stdin after release', () => {
    const source = new PassThrough();
    const input = new EarlyInput(source, 1024);
    const seen = record(input);
    source.emit('error', new Error('EIO'));
    expect(seen).toEqual([]);
    input.release();
    expect(seen).toEqual(['error:EIO']);
  });
});

describe('plainInitialize', () => {
  const base = {
    jsonrpc: '2.0',
    id: 3,
    method: 'initialize',
    params: {
      protocolVersion: '2025-06-18',
      capabilities: {
        roots: { listChanged: true },
        sampling: { context: {} },
        elicitation: { form: { applyDefaults: true }, url: {} },
        experimental: { x: {} },
      },
      clientInfo: { name: 'claude-code', version: '2.0.0', title: 'Claude Code' },
    },
  };

  it('accepts the plain forms clients send', () => {
    const clientName = 'claude-code';
    expect(plainInitialize(base)).toEqual({ id: 3, protocolVersion: '2025-06-18', clientName });
    expect(plainInitialize({ ...base, id: 'a' })).toEqual({
      id: 'a',
      protocolVersion: '2025-06-18',
      clientName,
    });
  });

  const declined: Array<[string, unknown]> = [
    ['another method', { ...base, method: 'ping' }],
    ['a notification', { jsonrpc: '2.0', method: 'initialize', params: base.params }],
    ['an id beyond safe integers', { ...base, id: 2 ** 60 }],
    ['an id of null', { ...base, id: null }],
    ['JSON-RPC 1.0', { ...base, jsonrpc: '1.0' }],
    ['no protocolVersion', { ...base, params: { ...base.params, protocolVersion: undefined } }],
    ['an unknown capability', { ...base, params: { ...base.params, capabilities: { custom: {} } } }],
    [
      'roots.listChanged not boolean',
      { ...base, params: { ...base.params, capabilities: { roots: { listChanged: 'y' } } } },
    ],
    ['clientInfo.version missing', { ...base, params: { ...base.params, clientInfo: { name: 'c' } } }],
    [
      'clientInfo.name not a string',
      { ...base, params: { ...base.params, clientInfo: { name: 1, version: '1' } } },
    ],
    ['an array', [base]],
  ];
  for (const [what, value] of declined) {
    it(`declines ${what}`, () => {
      expect(plainInitialize(JSON.parse(JSON.stringify(value)))).toBeUndefined();
    });
  }
});

describe('planFastStart and answerFor, over the record the build makes', () => {
  let manifest: FastStartManifest;
  beforeAll(async () => {
    manifest = await recordFastStart('9.9.9');
  });
  const env = { SYNCGUARD_API_KEY: 'sg_key_123456', SYNAP_API_KEY: 'synap_key_123456' };
  const plan = (argv: string[], vars: Record<string, string> = env) =>
    planFastStart(argv, vars, manifest, () => '9.9.9');
  const line = (value: unknown) => Buffer.from(JSON.stringify(value));
  const request = (protocolVersion: string, id: string | number = 1) => ({
    jsonrpc: '2.0',
    id,
    method: 'initialize',
    params: { protocolVersion, capabilities: {}, clientInfo: { name: 'c', version: '1' } },
  });

  it('answers for the APIs the selected tools cover', () => {
    const p = plan([]) as FastPlan;
    const answer = JSON.parse(answerFor(line(request('2025-06-18', 'x')), p)?.frame ?? '{}');
    expect(answer).toMatchObject({ id: 'x', result: { protocolVersion: '2025-06-18' } });
    expect(answer.result.instructions).toMatch(/SyncGuard/);
    expect(answer.result.instructions).toMatch(/Synap \(agent memory\)/);
    expect(answer.result.instructions).not.toMatch(/Synqly/);
    const onlySynap = plan(['--tools', 'search_memory']) as FastPlan;
    const other = JSON.parse(answerFor(line(request('2025-06-18')), onlySynap)?.frame ?? '{}');
    expect(other.result.instructions).not.toMatch(/SyncGuard/);
  });

  it('answers an unsupported protocol version with the latest, a BOM-led line as the transport reads it', () => {
    const p = plan([]) as FastPlan;
    const frame = answerFor(line(request('1999-01-01')), p)?.frame ?? '{}';
    expect(JSON.parse(frame).result.protocolVersion).toBe(LATEST_PROTOCOL_VERSION);
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), line(request('2025-06-18'))]);
    expect(answerFor(bom, p)).toBeDefined();
    expect(answerFor(Buffer.from([0x7b, 0xff, 0x7d]), p)).toBeUndefined();
  });

  it('--sandbox covers every API, whatever the environment holds', () => {
    const p = plan(['--sandbox', '--toolsets', 'all'], { SYNCGUARD_BASE_URL: 'not a url' }) as FastPlan;
    const frame = JSON.parse(answerFor(line(request('2025-06-18')), p)?.frame ?? '{}');
    for (const api of ['SyncGuard', 'Synapse', 'Synqly', 'Synap', 'Synchronex']) {
      expect(frame.result.instructions).toContain(`- ${api} (`);
    }
  });

  const none: Array<[string, string[], Record<string, string>?]> = [
    ['HTTP', ['--http']],
    ['--help', ['--help']],
    ['a subcommand', ['tools']],
    ['a configuration error', [], { ...env, SYNCGUARD_BASE_URL: 'not a url' }],
    ['an unknown toolset', ['--toolsets', 'nope']],
  ];
  for (const [what, argv, vars] of none) {
    it(`does not apply to ${what}`, () => {
      expect(plan(argv, vars)).toBeUndefined();
    });
  }

  it('selects the tools the server selects, create_workspace only with SYNCGUARD_JWT', () => {
    const client = new HttpClient({ userAgent: 'test' });
    const cases: Array<[string[], Record<string, string>]> = [
      [[], env],
      [['--toolsets', 'all'], env],
      [['--toolsets', 'all'], { ...env, SYNCGUARD_JWT: 'eyJ.jwt.sig' }],
      [['--tools', 'create_workspace,search_memory'], env],
      [['--tools', 'create_workspace,search_memory'], { ...env, SYNCGUARD_JWT: 'eyJ.jwt.sig' }],
      [['--toolsets', 'all', '--read-only'], { ...env, SYNQLY_ORG_TOKEN: 'org_token_123456' }],
    ];
    const seen = new Set<boolean>();
    for (const [argv, vars] of cases) {
      const config = loadConfig(argv, vars);
      const server = selectTools(TOOLSETS, createApiViews(client, config).configured, config);
      const names = server.tools.map((t) => t.name);
      expect((plan(argv, vars) as FastPlan).tools.names, argv.join(' ')).toEqual(names);
      if (argv.includes('create_workspace,search_memory')) seen.add(names.includes('create_workspace'));
    }
    expect([...seen].sort()).toEqual([false, true]);
  });

  it('--sandbox holds every credential a tool needs, as the sandbox sets them', async () => {
    const sandbox = await startSandbox();
    try {
      const config = loadConfig(['--toolsets', 'all'], sandbox.env);
      const real = createApiViews(new HttpClient({ userAgent: 'test' }), config).configured;
      const fast = configuredViews({ ...config, sandbox: true });
      for (const tool of TOOLSETS.flatMap((ts) => ts.tools)) {
        for (const s of tool.services) {
          expect(fast[s]?.has(tool.needs ?? 'none'), `${tool.name} ${s}`).toBe(true);
          if (tool.needs) expect(real[s]?.has(tool.needs), `${tool.name} ${s}`).toBe(true);
        }
      }
    } finally {
      await sandbox.close();
    }
  });
});

describe('listAnswerFor, over the listing the build records', () => {
  let manifest: FastStartManifest;
  let listing: ToolListing;
  beforeAll(async () => {
    [manifest, listing] = await Promise.all([recordFastStart('9.9.9'), recordToolListing()]);
  });
  const env = { SYNCGUARD_API_KEY: 'sg_key_123456', SYNAP_API_KEY: 'synap_key_123456' };
  const plan = (argv: string[]) =>
    planFastStart(
      argv,
      env,
      manifest,
      () => '9.9.9',
      (p) => listing[p],
    ) as FastPlan;
  const line = (value: unknown) => Buffer.from(JSON.stringify(value));
  const list = (id: unknown = 2, extra: Record<string, unknown> = {}) =>
    line({ jsonrpc: '2.0', id, method: 'tools/list', ...extra });

  it('joins the selected tools in the server’s order under the default profile, whatever the client’s name', () => {
    const p = plan([]);
    const byName = new Map(TOOLSETS.flatMap((ts) => ts.tools).map((t) => [t.name, t]));
    const tools = p.tools.names.map((n) => byName.get(n) as AnyToolDef);
    for (const [client, profile] of [
      ['claude-code', DEFAULT_PROFILE],
      ['openai-agents', DEFAULT_PROFILE],
      ['gemini-cli', DEFAULT_PROFILE],
    ] as const) {
      const frame = listAnswerFor(list(7), p, client)?.frame;
      const expected = new Catalog(tools).list(profile);
      expect(JSON.parse(frame ?? '{}')).toEqual({ jsonrpc: '2.0', id: 7, result: { tools: expected } });
    }
    const forced = plan(['--schema-profile', 'gemini']);
    expect(listAnswerFor(list('a'), forced, 'claude-code')?.frame).toBe(
      toolListFrame(
        'a',
        forced.tools.names.map((n) => listing.gemini[n] as string),
      ),
    );
  });

  it('answers `params: {}` too, and leaves everything else to the server', () => {
    const p = plan([]);
    expect(listAnswerFor(list(3, { params: {} }), p, 'c')?.id).toBe(3);
    const declined = [
      list(3, { params: { cursor: 'x' } }),
      list(3, { params: { _meta: { progressToken: 1 } } }),
      list(null),
      list(2 ** 60),
      line({ jsonrpc: '2.0', method: 'tools/list' }),
      line({ jsonrpc: '2.0', id: 3, method: 'prompts/list' }),
      line({ jsonrpc: '2.0', id: 3, method: 'tools/list', extra: 1 }),
      Buffer.from('{"jsonrpc":"2.0","id":3,'),
    ];
    for (const l of declined) expect(listAnswerFor(l, p, 'c'), l.toString()).toBeUndefined();
    // No record beside the bin (the unbundled build): not answered early.
    const bare = planFastStart(
      [],
      env,
      manifest,
      () => '9.9.9',
      () => undefined,
    ) as FastPlan;
    expect(listAnswerFor(list(), bare, 'c')).toBeUndefined();
  });
});
