import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  callTool,
  childEnv,
  cleanup,
  logMatching,
  logsOf,
  type RunResult,
  runCli,
  startEmulator,
  textOf,
  VERSION,
  withStdio,
} from './spawn.js';

const HEADLINE = ['list_incidents', 'resolve_incident', 'send_event'];
let tmp: string;

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'syn-mcp-e2e-'));
});
// Each test waits for or closes its own child (so they can run side by side); this catches what a failure left.
afterAll(async () => {
  await cleanup();
  rmSync(tmp, { recursive: true, force: true });
});

/** A configuration error: exit 2, nothing on stdout, exactly one stderr line; returns that line. */
function configError(run: RunResult): string {
  expect(run.code).toBe(2);
  expect(run.stdout).toBe('');
  const lines = run.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  return lines[0] ?? '';
}

describe.concurrent('--help and --version', () => {
  it('--help prints the usage on stdout and exits 0', async () => {
    const run = await runCli(['--help'], childEnv());
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^syn-mcp — /);
    for (const word of ['--http', '--toolsets', '--tools', '--read-only', '--sandbox', 'SYNCGUARD_API_KEY']) {
      expect(run.stdout).toContain(word);
    }
  });

  it('--version prints the package version on stdout and exits 0', async () => {
    const run = await runCli(['--version'], childEnv());
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe(`${VERSION}\n`);
  });
});

describe.concurrent('configuration errors: exit 2 with one line naming the culprit', () => {
  it('an unknown flag', async () => {
    const line = configError(await runCli(['--frobnicate'], childEnv()));
    expect(line).toMatch(/--frobnicate/);
    expect(line).toMatch(/--help/);
  });

  it('an unknown toolset, listing the valid ones', async () => {
    const line = configError(await runCli(['--toolsets', 'nope'], childEnv({ SYNCGUARD_API_KEY: 'sg_k' })));
    expect(line).toMatch(/--toolsets/);
    expect(line).toMatch(/"nope"/);
    expect(line).toMatch(/Valid: .*default.*all.*syncguard/);
  });

  it('an unknown tool, listing the valid ones', async () => {
    const line = configError(await runCli(['--tools', 'nope'], childEnv({ SYNCGUARD_API_KEY: 'sg_k' })));
    expect(line).toMatch(/--tools/);
    expect(line).toMatch(/"nope"/);
    expect(line).toMatch(/Valid: .*send_event/);
    expect(line).toMatch(/list_incidents/);
    expect(line).toMatch(/resolve_incident/);
  });

  it('SYNCGUARD_BASE_URL that is not a URL', async () => {
    const line = configError(
      await runCli([], childEnv({ SYNCGUARD_API_KEY: 'sg_k', SYNCGUARD_BASE_URL: 'not a url' })),
    );
    expect(line).toMatch(/SYNCGUARD_BASE_URL/);
    expect(line).toMatch(/not a url/);
  });

  it('SYNQLY_REGION=mars, listing the regions', async () => {
    const line = configError(await runCli([], childEnv({ SYNQLY_REGION: 'mars' })));
    expect(line).toMatch(/SYNQLY_REGION/);
    expect(line).toMatch(/mars/);
    expect(line).toMatch(/na, eu/);
  });
});

describe.concurrent('what is served', () => {
  it('no credentials at all: one stderr line per service, and 0 tools', async () => {
    await withStdio([], childEnv(), async (s) => {
      const { tools } = await s.client.listTools();
      expect(tools).toEqual([]);
      await s.stderr.waitFor(logMatching(/^serving 0 tools over stdio$/, 'info'));
      const vars: Record<string, RegExp> = {
        SyncGuard: /SYNCGUARD_API_KEY/,
        Synapse: /SYNAPSE_API_KEY/,
        Synqly: /SYNQLY_ORG_TOKEN/,
        Synap: /SYNAP_API_KEY/,
        Synchronex: /SYNCHRONEX_API_KEY/,
      };
      const logs = logsOf(s.stderr.lines().join('\n'));
      for (const [service, envVar] of Object.entries(vars)) {
        const mine = logs.filter((l) => l.msg.includes(`${service}: skipped`));
        expect(mine, service).toHaveLength(1);
        expect(mine[0]?.level).toBe('info');
        expect(mine[0]?.msg).toMatch(envVar);
      }
    });
  });

  it('a SYNAPSE_BASE_URL without /api/v1: one warn line at startup naming the variable', async () => {
    const env = childEnv({
      SYNAPSE_API_KEY: `sk-syn-${'a'.repeat(64)}`,
      SYNAPSE_BASE_URL: 'http://127.0.0.1:9/',
    });
    await withStdio(['--toolsets', 'synapse'], env, async (s) => {
      await s.client.listTools();
      const line = await s.stderr.waitFor(logMatching(/^Synapse: warning: SYNAPSE_BASE_URL/, 'warn'));
      expect(line).toMatch(/does not end in \/api\/v1/);
    });
  });

  it('--read-only: of the headline tools only list_incidents, and nothing that writes', async () => {
    await withStdio(['--read-only'], childEnv({ SYNCGUARD_API_KEY: 'sg_unused_key' }), async (s) => {
      const { tools } = await s.client.listTools();
      expect(tools.map((t) => t.name).filter((n) => HEADLINE.includes(n))).toEqual(['list_incidents']);
      for (const tool of tools) expect(tool.annotations?.readOnlyHint, tool.name).toBe(true);
    });
  });

  it('SYNCGUARD_API_KEY_FILE: the key is read from the file (trailing newline trimmed)', async () => {
    const key = 'sg_from_a_file_0123456789abcdef';
    const { emulator, baseUrl } = await startEmulator({ apiKey: key });
    const keyFile = join(tmp, 'syncguard.key');
    writeFileSync(keyFile, `${key}\n`);
    const env = childEnv({ SYNCGUARD_API_KEY_FILE: keyFile, SYNCGUARD_BASE_URL: baseUrl });
    await withStdio(['--tools', 'list_incidents'], env, async (s) => {
      const result = await callTool(s.client, 'list_incidents', {});
      expect(result.isError, textOf(result)).toBeFalsy();
      expect(emulator.requests).toHaveLength(1);
      expect(emulator.requests[0]?.headers['x-api-key']).toBe(key);
    });
  });

  it('--sandbox serves the tools and send_event succeeds, whatever the environment holds', async () => {
    const env = childEnv({
      SYNCGUARD_BASE_URL: 'not a url',
      SYNCGUARD_API_KEY: 'sg_bogus',
      SYNQLY_REGION: 'mars',
    });
    await withStdio(['--sandbox'], env, async (s) => {
      const { tools } = await s.client.listTools();
      expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(HEADLINE));
      const result = await callTool(s.client, 'send_event', {
        integrationKey: 'crm',
        eventType: 'webhook_failed',
        tenantId: 'acme',
      });
      expect(result.isError, textOf(result)).toBeFalsy();
      expect(result.structuredContent).toMatchObject({ isNewIncident: true, incidentStatus: 'Open' });
      await s.stderr.waitFor(logMatching(/^sandbox: every service points at the embedded emulators/, 'info'));
    });
  });
});
