/**
 * The bin's fast start (src/fast-start.ts): it answers the first `initialize`, and a `tools/list` right after
 * it, before the server is loaded, and those answers — and everything after them — must be byte for byte
 * what the server itself sends. Each case
 * writes the same lines to the bin and to the unbundled CLI (dist/src/cli.js: no fast start) and compares
 * their whole stdout.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CLI,
  childEnv,
  cleanup,
  logMatching,
  Output,
  spawnServer,
  WAIT_MS,
  within,
  withStdio,
} from './spawn.js';

/** The same CLI without the fast start: tsc's output, not the bundle. */
const PLAIN = fileURLToPath(new URL('../../dist/src/cli.js', import.meta.url));
const ANSWERED = /^fast start: answered initialize before loading the server$/;
const LISTED = /^fast start: answered tools\/list before loading the server$/;

afterAll(async () => {
  await cleanup();
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node file ...args`, writes `lines` to stdin and closes it; resolves once the process has exited. */
async function run(file: string, args: readonly string[], env: Record<string, string>, lines: string[]) {
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` first`);
  const child = spawn(process.execPath, [file, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  const stdout = new Output(child.stdout, 'stdout');
  const stderr = new Output(child.stderr, 'stderr');
  const closed = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  child.stdin.on('error', () => {});
  child.stdin.end(lines.map((l) => `${l}\n`).join(''));
  try {
    const code = await within(closed, WAIT_MS * 2, `${file} exit; stderr:\n${stderr.text}`);
    return { code, stdout: stdout.text, stderr: stderr.text } satisfies Run;
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

/** The bin and the plain CLI on the same input; their stdout must be identical. */
async function both(args: readonly string[], env: Record<string, string>, lines: string[]) {
  const [bin, plain] = await Promise.all([run(CLI, args, env, lines), run(PLAIN, args, env, lines)]);
  expect(bin.stdout).toBe(plain.stdout);
  expect(bin.code).toBe(plain.code);
  expect(bin.stderr).not.toMatch(/differs from the server's own/);
  return { bin, plain };
}

/** Whether the bin's stderr says it answered initialize early. */
const answeredEarly = (r: Run) => r.stderr.split('\n').some(logMatching(ANSWERED, 'debug'));
/** Whether the bin's stderr says it answered tools/list early. */
const listedEarly = (r: Run) => r.stderr.split('\n').some(logMatching(LISTED, 'debug'));

function initialize(id: string | number, protocolVersion: string, clientName: string, extra = {}): string {
  const params = { protocolVersion, capabilities: {}, clientInfo: { name: clientName, version: '1.0.0' } };
  return JSON.stringify({ jsonrpc: '2.0', id, method: 'initialize', params: { ...params, ...extra } });
}
const INITIALIZED = JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' });
const TOOLS_LIST = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
const SANDBOX = ['--sandbox', '--toolsets', 'all', '--log-level', 'debug'];

describe.concurrent('the early answer is the server’s own, byte for byte', () => {
  const cases: Array<[string, string | number, string, string]> = [
    ['claude-code', 1, '2025-06-18', '2025-06-18'],
    ['openai-agents', 'init-1', LATEST_PROTOCOL_VERSION, LATEST_PROTOCOL_VERSION],
    ['gemini-cli', 7, '2024-11-05', '2024-11-05'],
    // A version the SDK does not support is answered with its latest.
    ['some-client', 0, '1999-01-01', LATEST_PROTOCOL_VERSION],
  ];
  for (const [client, id, asked, negotiated] of cases) {
    it(`${client}, protocol ${asked}: initialize, then tools/list under its schema profile`, async () => {
      const { bin } = await both(SANDBOX, childEnv(), [
        initialize(id, asked, client),
        INITIALIZED,
        TOOLS_LIST,
      ]);
      expect(answeredEarly(bin), bin.stderr).toBe(true);
      expect(listedEarly(bin), bin.stderr).toBe(true);
      const [first, second] = bin.stdout
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(first).toMatchObject({ id, result: { protocolVersion: negotiated } });
      expect(second).toMatchObject({ id: 2, result: { tools: expect.any(Array) } });
    });
  }

  const configurations: Array<[string, string[], Record<string, string>]> = [
    ['no API configured', [], {}],
    ['SyncGuard only, read-only', ['--read-only'], { SYNCGUARD_API_KEY: 'sg_fast_start_key' }],
    ['one tool by name', ['--tools', 'search_memory'], { SYNAP_API_KEY: 'synap_fast_start_key' }],
    [
      'two APIs, one toolset',
      ['--toolsets', 'synqly'],
      { SYNCGUARD_API_KEY: 'sg_fast_start_key', SYNQLY_ORG_TOKEN: 'synqly_fast_start_token' },
    ],
    [
      'a tool that needs SYNCGUARD_JWT, without it',
      ['--tools', 'create_workspace,search_memory'],
      { SYNCGUARD_API_KEY: 'sg_fast_start_key', SYNAP_API_KEY: 'synap_fast_start_key' },
    ],
    [
      'a tool that needs SYNCGUARD_JWT, with it',
      ['--tools', 'create_workspace,search_memory'],
      { SYNCGUARD_API_KEY: 'sg_fast_start_key', SYNCGUARD_JWT: 'eyJhbGciOiJIUzI1NiJ9.e30.sig' },
    ],
    [
      'every toolset, a forced schema profile',
      ['--toolsets', 'all', '--schema-profile', 'openai'],
      { SYNCGUARD_API_KEY: 'sg_fast_start_key', SYNAPSE_API_KEY: 'synapse_fast_start_key' },
    ],
  ];
  for (const [what, args, vars] of configurations) {
    it(`instructions and tools for ${what}`, async () => {
      const env = childEnv(vars);
      const lines = ['', '  ', initialize(1, '2025-06-18', 'claude-code'), INITIALIZED, TOOLS_LIST];
      const { bin } = await both([...args, '--log-level', 'debug'], env, lines);
      expect(answeredEarly(bin), bin.stderr).toBe(true);
      expect(listedEarly(bin), bin.stderr).toBe(true);
    });
  }
});

describe.concurrent('a tools/list the fast start does not know for certain is left to the server', () => {
  const list = (extra: Record<string, unknown>) =>
    JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list', ...extra });
  const PROMPTS = JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'prompts/list' });
  const cases: Array<[string, string[]]> = [
    ['a cursor', [INITIALIZED, list({ params: { cursor: 'abc' } })]],
    ['params with _meta', [INITIALIZED, list({ params: { _meta: { progressToken: 'p' } } })]],
    ['before notifications/initialized', [TOOLS_LIST, INITIALIZED]],
    ['after another request', [INITIALIZED, PROMPTS, TOOLS_LIST]],
    ['after a ping', [INITIALIZED, JSON.stringify({ jsonrpc: '2.0', id: 'p', method: 'ping' }), TOOLS_LIST]],
  ];
  for (const [what, lines] of cases) {
    it(what, async () => {
      const env = childEnv({ SYNCGUARD_API_KEY: 'sg_k_123456' });
      const { bin } = await both(['--log-level', 'debug'], env, [initialize(1, '2025-06-18', 'c'), ...lines]);
      expect(answeredEarly(bin), bin.stderr).toBe(true);
      expect(listedEarly(bin), bin.stderr).toBe(false);
      expect(bin.stdout.trimEnd().split('\n').length).toBeGreaterThan(1);
    });
  }
});

describe.concurrent('anything unusual is left to the server', () => {
  const plain = (extra: Record<string, unknown>) =>
    JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'c', version: '1' } },
      ...extra,
    });
  const cases: Array<[string, string[]]> = [
    [
      'an initialize without clientInfo',
      [
        JSON.stringify({
          jsonrpc: '2.0',
          id: 1,
          method: 'initialize',
          params: { protocolVersion: '2025-06-18' },
        }),
      ],
    ],
    [
      'a clientInfo with icons',
      [initialize(1, '2025-06-18', 'c', { clientInfo: { name: 'c', version: '1', icons: [{ src: 'x' }] } })],
    ],
    [
      'client task capabilities',
      [initialize(1, '2025-06-18', 'c', { capabilities: { tasks: { list: {} } } })],
    ],
    [
      'a wrong capability type',
      [initialize(1, '2025-06-18', 'c', { capabilities: { roots: { listChanged: 1 } } })],
    ],
    ['params with _meta', [initialize(1, '2025-06-18', 'c', { _meta: { progressToken: 1 } })]],
    ['a member JSON-RPC does not define', [plain({ extra: true })]],
    ['a fractional id', [plain({ id: 1.5 })]],
    [
      'a ping first',
      [JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'ping' }), initialize(1, '2025-06-18', 'c')],
    ],
    [
      'a line that is not JSON first',
      ['{"jsonrpc": "2.0", "id": 1, "method": "initia', initialize(1, '2025-06-18', 'c')],
    ],
  ];
  for (const [what, lines] of cases) {
    it(what, async () => {
      const { bin } = await both(['--log-level', 'debug'], childEnv({ SYNCGUARD_API_KEY: 'sg_k_123456' }), [
        ...lines,
        TOOLS_LIST,
      ]);
      expect(answeredEarly(bin), bin.stderr).toBe(false);
      expect(bin.stdout).not.toBe('');
    });
  }

  it('a configuration error: exit 2, nothing on stdout, though initialize was sent', async () => {
    const env = childEnv({ SYNCGUARD_API_KEY: 'sg_k_123456', SYNCGUARD_BASE_URL: 'not a url' });
    const { bin } = await both([], env, [initialize(1, '2025-06-18', 'c')]);
    expect(bin.code).toBe(2);
    expect(bin.stdout).toBe('');
  });

  it('an unknown toolset: exit 2, nothing on stdout, though initialize was sent', async () => {
    const env = childEnv({ SYNCGUARD_API_KEY: 'sg_k_123456' });
    const { bin } = await both(['--toolsets', 'nope'], env, [initialize(1, '2025-06-18', 'c')]);
    expect(bin.code).toBe(2);
    expect(bin.stdout).toBe('');
  });
});

describe('a client that lists its tools only once the server has loaded', () => {
  it('gets them from the server itself, the same frame as the fast start would have sent', async () => {
    const env = childEnv({ SYNCGUARD_API_KEY: 'sg_k_123456' });
    const server = spawnServer(['--log-level', 'debug'], env);
    server.child.stdin?.write(`${initialize(1, '2025-06-18', 'claude-code')}\n`);
    await server.stdout.waitFor((l) => l.includes('"id":1'));
    // The fast start stopped waiting for tools/list and the server took stdin over.
    await server.stderr.waitFor(logMatching(/^serving \d+ tools over stdio$/, 'info'));
    server.child.stdin?.end(`${INITIALIZED}\n${TOOLS_LIST}\n`);
    await server.exit();
    const plain = await run(PLAIN, ['--log-level', 'debug'], env, [
      initialize(1, '2025-06-18', 'claude-code'),
      INITIALIZED,
      TOOLS_LIST,
    ]);
    expect(server.stdout.text).toBe(plain.stdout);
    expect(server.stderr.lines().some(logMatching(ANSWERED, 'debug'))).toBe(true);
    expect(server.stderr.lines().some(logMatching(LISTED, 'debug'))).toBe(false);
  });
});

describe('the official SDK client over the fast start', () => {
  it('initializes, lists, calls a tool, and the server knows the client', async () => {
    await withStdio(SANDBOX, childEnv(), async (s) => {
      await s.stderr.waitFor(logMatching(ANSWERED, 'debug'));
      expect(s.client.getServerVersion()?.name).toBe('syn-mcp');
      expect(s.client.getInstructions()).toMatch(/SyncGuard/);
      const { tools } = await s.client.listTools();
      expect(tools.length).toBeGreaterThan(50);
      const result = await s.client.callTool({ name: 'list_incidents', arguments: {} });
      expect(result.isError).toBeFalsy();
      expect(s.stderr.text).not.toMatch(/differs from the server's own/);
    });
  });
});
