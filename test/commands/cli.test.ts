/**
 * `syn-mcp init` and `syn-mcp doctor` through the built CLI: what reaches stdout and stderr, and the exit
 * codes (0 fine, 1 a problem found, 2 a usage error with one line naming it).
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSyncGuardEmulator, type SyncGuardEmulator } from '../../src/sandbox/syncguard/index.js';
import { childEnv, cleanup, runCli } from '../e2e/spawn.js';

let syncguard: SyncGuardEmulator;
let baseUrl: string;
let closedPort: number;

beforeAll(async () => {
  syncguard = createSyncGuardEmulator();
  baseUrl = await syncguard.listen();
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  closedPort = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
afterAll(async () => {
  await cleanup();
  await syncguard.close();
});

describe.concurrent('syn-mcp doctor (built CLI)', () => {
  it('all good: exit 0, the report on stdout, nothing on stderr', async () => {
    const run = await runCli(
      ['doctor'],
      childEnv({ SYNCGUARD_API_KEY: syncguard.apiKey, SYNCGUARD_BASE_URL: baseUrl }),
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/\[ok\] {3}GET \/workspaces\/me: HTTP 200/);
    expect(run.stdout).toMatch(/Tools: 9 would be enabled, \d+ tokens in all/);
    expect(run.stdout).not.toContain(syncguard.apiKey);
  });

  it('a wrong-kind key and an unreachable base URL: exit 1, both reported with their fixes, no secret shown', async () => {
    const wrongKind = 'sk-syn-0f1e2d3c4b5a69788796a5b4c3d2e1f0';
    const run = await runCli(
      ['doctor', '--timeout', '3'],
      childEnv({
        SYNCGUARD_API_KEY: wrongKind,
        SYNCGUARD_BASE_URL: baseUrl,
        SYNCHRONEX_API_KEY: 'sx_live_cli_test_000000000000',
        SYNCHRONEX_BASE_URL: `http://127.0.0.1:${closedPort}/api/v1`,
      }),
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain(
      '[FAIL] SYNCGUARD_API_KEY: looks like a Synapse key (sk-syn-…), not a SyncGuard key (sg_…)',
    );
    expect(run.stdout).toMatch(/fix: set SYNCGUARD_API_KEY to .*it starts with sg_…/);
    expect(run.stdout).toContain(`[FAIL] TCP: cannot connect to 127.0.0.1:${closedPort} (ECONNREFUSED)`);
    expect(run.stdout).toContain(
      'fix: nothing listens there: check the host and port in SYNCHRONEX_BASE_URL',
    );
    expect(run.stdout).toMatch(/2 problems found\./);
    for (const secret of [wrongKind, 'sx_live_cli_test_000000000000', wrongKind.slice(7)]) {
      expect(run.stdout).not.toContain(secret);
    }
    expect(syncguard.requests.filter((r) => r.headers['x-api-key'] === wrongKind)).toEqual([]);
  });

  it('a usage error: exit 2 and one stderr line', async () => {
    const run = await runCli(['doctor', '--bogus'], childEnv());
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^syn-mcp: doctor: .*--bogus/);
  });
});

describe.concurrent('syn-mcp init (built CLI)', () => {
  it('prints the block on stdout and exits 0', async () => {
    const run = await runCli(
      ['init', '--client', 'claude-desktop', '--services', 'syncguard', '--platform', 'win32', '--json'],
      childEnv(),
    );
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({
      mcpServers: {
        'syn-mcp': {
          command: 'cmd',
          args: ['/c', 'npx', '-y', 'syn-mcp'],
          env: { SYNCGUARD_API_KEY: '<SyncGuard workspace API key (sg_…)>' },
        },
      },
    });
  });

  it('an unknown client: exit 2 and one line listing the valid ones', async () => {
    const run = await runCli(['init', '--client', 'notepad'], childEnv());
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      'syn-mcp: init: --client must be one of claude-desktop, claude-code, cursor, vscode (got "notepad").\n',
    );
  });
});

describe('the docs/tools.md catalog is what `syn-mcp tools` lists', () => {
  it('same tools, in the same order, with the same API, toolset and kind', async () => {
    const run = await runCli(['tools', '--all-apis', '--toolsets', 'all', '--json'], childEnv());
    expect(run.code).toBe(0);
    const listed = (
      JSON.parse(run.stdout) as { tools: Array<{ name: string; api: string; toolset: string; kind: string }> }
    ).tools;
    const readme = readFileSync(new URL('../../docs/tools.md', import.meta.url), 'utf8');
    const table = readme.split('<!-- tools:start -->')[1]?.split('<!-- tools:end -->')[0] ?? '';
    const rows = [
      ...table.matchAll(/^\| `([a-z0-9_]+)` +\| ([A-Za-z+ ]+?) +\| ([a-z_]+) +\| (read|write) +\|/gm),
    ].map((m) => ({
      name: m[1],
      api: m[2],
      toolset: m[3],
      kind: m[4],
    }));
    expect(rows.length).toBeGreaterThan(70);
    expect(rows).toEqual(listed.map(({ name, api, toolset, kind }) => ({ name, api, toolset, kind })));
  });
});
