/**
 * `syn-mcp doctor` against the sandbox emulators (real HTTP on loopback): a healthy setup, a key of the wrong
 * kind (never sent), an unreachable base URL (a closed loopback port), refused and misplaced credentials, the
 * two Synqly token kinds, a client configuration file — and no secret in anything it prints.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type Check,
  type DoctorReport,
  doctorCommand,
  formatReport,
  runDoctor,
} from '../../src/commands/doctor.js';
import type { ServiceName } from '../../src/errors.js';
import { createSynapEmulator, type SynapEmulator } from '../../src/sandbox/synap/index.js';
import { createSynapseEmulator, type SynapseEmulator } from '../../src/sandbox/synapse/index.js';
import { createSyncGuardEmulator, type SyncGuardEmulator } from '../../src/sandbox/syncguard/index.js';
import { createSynchronexEmulator, type SynchronexEmulator } from '../../src/sandbox/synchronex/index.js';
import { createSynqlyEmulator, type SynqlyEmulator } from '../../src/sandbox/synqly/index.js';

let syncguard: SyncGuardEmulator;
let synapse: SynapseEmulator;
let synqly: SynqlyEmulator;
let synap: SynapEmulator;
let synchronex: SynchronexEmulator;
let env: Record<string, string>;
let closedPort: number;
let tmp: string;

/** A loopback port nothing listens on: bound once, then released. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  syncguard = createSyncGuardEmulator();
  synapse = createSynapseEmulator();
  synqly = createSynqlyEmulator();
  synap = createSynapEmulator();
  synchronex = createSynchronexEmulator();
  const [sg, sy, sq, sp, sx] = await Promise.all([
    syncguard.listen(),
    synapse.listen(),
    synqly.listen(),
    synap.listen(),
    synchronex.listen(),
  ]);
  env = {
    SYNCGUARD_API_KEY: syncguard.apiKey,
    SYNCGUARD_BASE_URL: sg,
    SYNCGUARD_JWT: syncguard.jwt,
    SYNAPSE_API_KEY: synapse.apiKey,
    SYNAPSE_BASE_URL: sy,
    SYNQLY_ORG_TOKEN: synqly.orgToken,
    SYNQLY_INTEGRATION_TOKEN: synqly.integrationToken,
    SYNQLY_BASE_URL: sq,
    SYNAP_API_KEY: synap.apiKey,
    SYNAP_BASE_URL: sp,
    SYNCHRONEX_API_KEY: synchronex.apiKey,
    SYNCHRONEX_BASE_URL: sx,
  };
  closedPort = await freePort();
  tmp = mkdtempSync(join(tmpdir(), 'syn-mcp-doctor-'));
});
afterAll(async () => {
  await Promise.all([syncguard.close(), synapse.close(), synqly.close(), synap.close(), synchronex.close()]);
  rmSync(tmp, { recursive: true, force: true });
});
beforeEach(() => {
  syncguard.requests.length = 0;
  synapse.requests.length = 0;
  synqly.requests.length = 0;
  synap.requests.length = 0;
  synchronex.requests.length = 0;
});

function section(report: DoctorReport, id: ServiceName | 'runtime' | 'client' | 'settings'): Check[] {
  const found = report.sections.find((s) => s.id === id);
  if (!found) throw new Error(`no section ${id} in ${JSON.stringify(report, null, 2)}`);
  return found.checks;
}

function check(report: DoctorReport, id: ServiceName | 'client' | 'settings', name: string | RegExp): Check {
  const found = section(report, id).find((c) =>
    typeof name === 'string' ? c.name === name : name.test(c.name),
  );
  if (!found)
    throw new Error(`no check ${String(name)} in ${id}: ${JSON.stringify(section(report, id), null, 2)}`);
  return found;
}

const failures = (report: DoctorReport) =>
  report.sections.flatMap((s) => s.checks.filter((c) => c.status === 'fail').map((c) => `${s.id} ${c.name}`));

describe('doctor: Synapse base URL path (api-notes §2c)', () => {
  it('warns when SYNAPSE_BASE_URL does not end in /api/v1, and not when it does', async () => {
    const origin = String(env.SYNAPSE_BASE_URL).replace(/\/api\/v1$/, '');
    const bad = await runDoctor([], { SYNAPSE_API_KEY: env.SYNAPSE_API_KEY, SYNAPSE_BASE_URL: origin });
    expect(check(bad, 'synapse', 'base URL path')).toMatchObject({
      status: 'warn',
      detail: expect.stringMatching(/does not end in \/api\/v1/),
      fix: expect.stringMatching(/SYNAPSE_BASE_URL/),
    });
    const good = await runDoctor([], {
      SYNAPSE_API_KEY: env.SYNAPSE_API_KEY,
      SYNAPSE_BASE_URL: env.SYNAPSE_BASE_URL,
    });
    expect(section(good, 'synapse').some((c) => c.name === 'base URL path')).toBe(false);
  });
});

describe('doctor: a healthy setup', () => {
  it('passes every check of every service with one authenticated read each, and lists the tools', async () => {
    const report = await runDoctor([], env);
    expect(failures(report)).toEqual([]);
    expect(report.ok).toBe(true);
    expect(check(report, 'syncguard', 'GET /workspaces/me')).toMatchObject({ status: 'ok' });
    expect(check(report, 'synapse', 'GET /agents')).toMatchObject({ status: 'ok' });
    expect(check(report, 'synqly', 'GET /v1/accounts?limit=1 with SYNQLY_ORG_TOKEN')).toMatchObject({
      status: 'ok',
    });
    expect(check(report, 'synqly', 'GET /v1/accounts?limit=1 with SYNQLY_INTEGRATION_TOKEN')).toMatchObject({
      status: 'ok',
      detail: expect.stringMatching(/403/),
    });
    expect(check(report, 'synap', 'GET /api/v1/auth/whoami')).toMatchObject({ status: 'ok' });
    expect(check(report, 'synchronex', 'GET /scope')).toMatchObject({ status: 'ok' });
    for (const id of ['syncguard', 'synapse', 'synqly', 'synap', 'synchronex'] as const) {
      expect(check(report, id, 'TCP').status, id).toBe('ok');
    }
    // The cheap reads really went upstream, with each API's own auth header.
    expect(syncguard.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /api/v1/workspaces/me']);
    expect(syncguard.requests[0]?.headers['x-api-key']).toBe(syncguard.apiKey);
    expect(synapse.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /api/v1/agents']);
    expect(synqly.requests.map((r) => r.headers.authorization).sort()).toEqual(
      [`Bearer ${synqly.integrationToken}`, `Bearer ${synqly.orgToken}`].sort(),
    );
    expect(synchronex.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /api/v1/scope']);
    // Tools: the default toolsets of the five APIs, with the catalog's token count.
    expect(report.tools?.count).toBeGreaterThan(30);
    expect(report.tools?.tokens).toBeGreaterThan(1000);
    expect(report.tools?.byToolset.syncguard).toContain('send_event');
    expect(report.tools?.byToolset).not.toHaveProperty('syncguard_admin');
  });

  it('prints the report and exits 0; selection flags change the tools listed', async () => {
    let text = '';
    const code = await doctorCommand(['--toolsets', 'syncguard', '--read-only'], env, '9.9.9', (t) => {
      text += t;
    });
    expect(code).toBe(0);
    expect(text).toMatch(/^syn-mcp doctor 9\.9\.9\n/);
    expect(text).toMatch(/\[ok\] {3}GET \/workspaces\/me: HTTP 200 in \d+ ms \(workspace "Sandbox"\)/);
    expect(text).toMatch(/Tools: 7 would be enabled, \d+ tokens in all/);
    expect(text).toMatch(/^ {2}syncguard {2}list_incidents, get_incident, /m);
    expect(text).not.toMatch(/send_event/);
    expect(text).toMatch(/No problems found\.\n$/);
  });
});

describe('doctor: what goes wrong', () => {
  it('a key of the wrong kind: fails with the fix, and the key is never sent to that API', async () => {
    const report = await runDoctor([], { ...env, SYNAPSE_API_KEY: syncguard.apiKey });
    expect(report.ok).toBe(false);
    expect(check(report, 'synapse', 'SYNAPSE_API_KEY')).toEqual({
      name: 'SYNAPSE_API_KEY',
      status: 'fail',
      detail: expect.stringMatching(/looks like a SyncGuard key \(sg_…\), not a Synapse key \(sk-syn-…\)/),
      fix: expect.stringMatching(/set SYNAPSE_API_KEY to .*starts with sk-syn-/),
    });
    expect(check(report, 'synapse', 'GET /agents')).toMatchObject({ status: 'skip' });
    expect(synapse.requests).toEqual([]);
    expect(failures(report)).toEqual(['synapse SYNAPSE_API_KEY']);
  });

  it('an unreachable base URL (closed loopback port): TCP fails with the fix, the read is skipped, exit 1', async () => {
    const url = `http://127.0.0.1:${closedPort}/api/v1`;
    const bad = { ...env, SYNCHRONEX_BASE_URL: url };
    const report = await runDoctor(['--timeout', '2'], bad);
    expect(check(report, 'synchronex', 'SYNCHRONEX_BASE_URL')).toMatchObject({
      status: 'ok',
      detail: `${url} (SYNCHRONEX_BASE_URL)`,
    });
    expect(check(report, 'synchronex', 'TCP')).toEqual({
      name: 'TCP',
      status: 'fail',
      detail: `cannot connect to 127.0.0.1:${closedPort} (ECONNREFUSED)`,
      fix: 'nothing listens there: check the host and port in SYNCHRONEX_BASE_URL',
    });
    expect(check(report, 'synchronex', 'GET /scope')).toMatchObject({ status: 'skip' });
    expect(failures(report)).toEqual(['synchronex TCP']);
    let text = '';
    expect(await doctorCommand([], bad, '0', (t) => (text += t))).toBe(1);
    expect(text).toContain(
      `[FAIL] TCP: cannot connect to 127.0.0.1:${closedPort} (ECONNREFUSED)\n         fix: nothing listens there`,
    );
    expect(text).toMatch(/1 problem found\. Apply the fixes above, then run syn-mcp doctor again\.\n$/);
  });

  it('a host that does not resolve: DNS fails and names the variable and its default', async () => {
    const report = await runDoctor(['--timeout', '3'], {
      ...env,
      SYNCGUARD_BASE_URL: 'https://api.syncguard.invalid/api/v1',
    });
    expect(check(report, 'syncguard', 'DNS')).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/^api\.syncguard\.invalid does not resolve/),
      fix: expect.stringMatching(/SYNCGUARD_BASE_URL.*https:\/\/api\.syncguard\.io\/api\/v1/),
    });
  });

  it('a malformed base URL fails that service only; its credential is still checked, the others still run', async () => {
    const report = await runDoctor([], {
      ...env,
      SYNAP_BASE_URL: 'htp:/synap',
      SYNAP_API_KEY: 'sk-syn-0000000000000000',
    });
    expect(check(report, 'synap', 'SYNAP_BASE_URL')).toMatchObject({
      status: 'fail',
      fix: expect.stringMatching(/https:\/\/synap-cloud-prod\.maximem\.ai/),
    });
    expect(check(report, 'synap', 'SYNAP_API_KEY')).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/a Synapse key/),
    });
    expect(check(report, 'synap', 'network checks')).toMatchObject({ status: 'skip' });
    expect(check(report, 'synchronex', 'GET /scope').status).toBe('ok');
    expect(synap.requests).toEqual([]);
  });

  it('a key of the right kind that the API refuses (401): names the variable to replace', async () => {
    const report = await runDoctor([], {
      ...env,
      SYNCGUARD_API_KEY: 'sg_revoked0000000000000000000000000000000000',
    });
    expect(check(report, 'syncguard', 'SYNCGUARD_API_KEY').status).toBe('ok');
    expect(check(report, 'syncguard', 'GET /workspaces/me')).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/SyncGuard refused the credential \(HTTP 401/),
      fix: expect.stringMatching(/SYNCGUARD_API_KEY is wrong, revoked or expired/),
    });
  });

  it('a base URL without /api/v1: a shape warning and a 404 that says so', async () => {
    const root = new URL(env.SYNCHRONEX_BASE_URL ?? '').origin;
    const report = await runDoctor([], { ...env, SYNCHRONEX_BASE_URL: root });
    expect(check(report, 'synchronex', 'SYNCHRONEX_BASE_URL')).toMatchObject({
      status: 'warn',
      detail: expect.stringMatching(/does not end with \/api\/v1/),
    });
    expect(check(report, 'synchronex', 'GET /scope')).toMatchObject({
      status: 'fail',
      fix: expect.stringMatching(/\/api\/v1/),
    });
  });

  it('Synqly: the same token in both variables, and an organization token posing as an integration token', async () => {
    const same = await runDoctor([], { ...env, SYNQLY_INTEGRATION_TOKEN: synqly.orgToken });
    expect(check(same, 'synqly', 'SYNQLY_ORG_TOKEN / SYNQLY_INTEGRATION_TOKEN')).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/same token/),
    });
    const { SYNQLY_ORG_TOKEN: _org, ...onlyIntegration } = env;
    const posing = await runDoctor([], { ...onlyIntegration, SYNQLY_INTEGRATION_TOKEN: synqly.orgToken });
    expect(check(posing, 'synqly', 'GET /v1/accounts?limit=1 with SYNQLY_INTEGRATION_TOKEN')).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/holds an organization token/),
      fix: expect.stringMatching(/SYNQLY_ORG_TOKEN/),
    });
    expect(check(posing, 'synqly', 'SYNQLY_ORG_TOKEN').status).toBe('warn');
  });

  it('placeholders, quotes and a JWT in the API key variable are caught before anything is sent', async () => {
    const report = await runDoctor([], {
      ...env,
      SYNCGUARD_API_KEY: syncguard.jwt,
      SYNAP_API_KEY: '<Synap API key>',
      SYNCHRONEX_API_KEY: `"${synchronex.apiKey}"`,
    });
    expect(check(report, 'syncguard', 'SYNCGUARD_API_KEY')).toMatchObject({
      status: 'fail',
      fix: expect.stringMatching(/SYNCGUARD_JWT/),
    });
    expect(check(report, 'synap', 'SYNAP_API_KEY')).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/placeholder/),
    });
    expect(check(report, 'synchronex', 'SYNCHRONEX_API_KEY')).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/quotes/),
    });
    expect([...syncguard.requests, ...synap.requests, ...synchronex.requests]).toEqual([]);
  });

  it('no service configured at all: a failure that points at the credentials and at --sandbox', async () => {
    const report = await runDoctor([], { PATH: '/usr/bin' });
    expect(report.ok).toBe(false);
    expect(check(report, 'settings', 'services')).toMatchObject({
      status: 'fail',
      fix: expect.stringMatching(/--sandbox/),
    });
    for (const id of ['syncguard', 'synapse', 'synqly', 'synap', 'synchronex'] as const) {
      expect(section(report, id)).toEqual([
        expect.objectContaining({ name: 'not configured', status: 'skip' }),
      ]);
    }
    expect(report.tools?.count).toBe(0);
  });

  it('an unknown flag or toolset is a usage error (exit 2 by the CLI), not a report', async () => {
    await expect(runDoctor(['--frobnicate'], env)).rejects.toThrow(/doctor: .*--frobnicate/);
    const report = await runDoctor(['--toolsets', 'nope'], env);
    expect(failures(report)).toEqual(['settings selection']);
  });
});

describe('doctor --client: the configuration a client will launch', () => {
  it('reads the env of the syn-mcp entry, and on Windows flags a bare npx (spawn npx ENOENT)', async () => {
    const file = join(tmp, 'claude_desktop_config.json');
    writeFileSync(
      file,
      JSON.stringify({
        mcpServers: {
          other: { command: 'node', args: ['x.js'] },
          'syn-mcp': {
            command: 'npx',
            args: ['-y', 'syn-mcp'],
            env: { SYNCGUARD_API_KEY: syncguard.apiKey, SYNCGUARD_BASE_URL: env.SYNCGUARD_BASE_URL },
          },
        },
      }),
    );
    // The shell's own service variables do not count: the client does not pass them.
    const shell = { PATH: '/usr/bin', HOME: tmp, SYNAPSE_API_KEY: 'sk-syn-from-the-shell-000000' };
    const report = await runDoctor(
      ['--client', 'claude-desktop', '--config', file, '--platform', 'win32'],
      shell,
    );
    expect(check(report, 'client', 'command')).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/spawn npx ENOENT/),
      fix: expect.stringMatching(/"command": "cmd", "args": \["\/c", "npx", "-y", "syn-mcp"\]/),
    });
    expect(check(report, 'syncguard', 'GET /workspaces/me').status).toBe('ok');
    expect(section(report, 'synapse')).toEqual([expect.objectContaining({ name: 'not configured' })]);
    expect(failures(report)).toEqual(['client command']);

    const posix = await runDoctor(
      ['--client', 'claude-desktop', '--config', file, '--platform', 'darwin'],
      shell,
    );
    expect(check(posix, 'client', 'command')).toMatchObject({ status: 'ok', detail: 'npx -y syn-mcp' });
    expect(posix.ok).toBe(true);
  });

  it('VS Code inputs: the key VS Code prompts for is checked from this shell when set there, else skipped', async () => {
    const file = join(tmp, 'vscode-mcp.json');
    writeFileSync(
      file,
      JSON.stringify({
        inputs: [{ type: 'promptString', id: 'syncguard-api-key', description: 'k', password: true }],
        servers: {
          'syn-mcp': {
            type: 'stdio',
            command: 'npx',
            args: ['-y', 'syn-mcp'],
            env: {
              SYNCGUARD_API_KEY: `\${input:syncguard-api-key}`,
              SYNCGUARD_BASE_URL: env.SYNCGUARD_BASE_URL,
            },
          },
        },
      }),
    );
    const argv = ['--client', 'vscode', '--config', file, '--platform', 'linux'];
    const withKey = await runDoctor(argv, { PATH: '/usr/bin', SYNCGUARD_API_KEY: syncguard.apiKey });
    expect(check(withKey, 'client', 'SYNCGUARD_API_KEY')).toMatchObject({
      status: 'ok',
      detail: expect.stringMatching(/this shell/),
    });
    expect(check(withKey, 'syncguard', 'GET /workspaces/me').status).toBe('ok');
    const without = await runDoctor(argv, { PATH: '/usr/bin' });
    expect(check(without, 'client', 'SYNCGUARD_API_KEY')).toMatchObject({ status: 'skip' });
    expect(without.ok).toBe(true);
  });

  it('a missing file or entry is a failure that says how to create it', async () => {
    const report = await runDoctor(['--client', 'cursor', '--config', join(tmp, 'absent.json')], {
      PATH: '/usr/bin',
    });
    expect(check(report, 'client', /absent\.json$/)).toMatchObject({
      status: 'fail',
      fix: expect.stringMatching(/syn-mcp init --client cursor --write/),
    });
  });
});

describe('doctor never prints a secret', () => {
  it('not in the text nor the JSON report, even when an upstream echoes the key in its error', async () => {
    const secrets = [
      'sg_Echoed0Secret0Key0000000000000000000000000',
      'sk-syn-wrongkind-secret-1111111111111111',
      'synqly-org-secret-2222222222222222',
      'synap_secret_3333333333333333',
      'sx_live_secret_4444444444444444',
    ];
    syncguard.inject({
      fault: {
        kind: 'status',
        status: 401,
        body: {
          isSuccess: false,
          errorCode: 1,
          message: `Invalid X-Api-Key ${secrets[0]}; Authorization: Bearer ${secrets[3]}`,
        },
      },
      times: 2,
    });
    const leaky = {
      ...env,
      SYNCGUARD_API_KEY: secrets[0] ?? '',
      SYNCHRONEX_API_KEY: secrets[1] ?? '',
      SYNQLY_ORG_TOKEN: secrets[2] ?? '',
      SYNQLY_INTEGRATION_TOKEN: secrets[2] ?? '',
      SYNAP_API_KEY: secrets[3] ?? '',
      SYNAPSE_API_KEY: secrets[4] ?? '',
    };
    let text = '';
    let json = '';
    expect(await doctorCommand([], leaky, '0', (t) => (text += t))).toBe(1);
    expect(await doctorCommand(['--json'], leaky, '0', (t) => (json += t))).toBe(1);
    expect(text).toMatch(/SyncGuard refused the credential \(HTTP 401: Invalid X-Api-Key \[REDACTED\]/);
    const report = JSON.parse(json) as DoctorReport;
    const timeless = (t: string) => t.replace(/\d+ ms\b/g, 'N ms');
    expect(timeless(formatReport(report, '0'))).toBe(timeless(text));
    for (const secret of secrets) {
      for (const out of [text, json]) {
        expect(out).not.toContain(secret);
        // Nor a telling part of one (the first 12 characters past its kind's prefix).
        expect(out).not.toContain(secret.slice(8, 20));
      }
    }
  });
});

describe('doctor redacts before it cuts (issue 17)', () => {
  it('an upstream message cut across the key, or echoing it in base64 or split by spaces, shows none of it', async () => {
    const secret = 'sg_CutAcrossTheEdge0123456789abcdefABCDEF';
    const padding = 'p'.repeat(190);
    const spaced = secret.match(/.{1,8}/g)?.join(' ') ?? '';
    syncguard.inject({
      fault: {
        kind: 'status',
        status: 500,
        body: { isSuccess: false, errorCode: 5, message: `${padding}${secret} ${spaced}` },
      },
      times: 1,
    });
    let text = '';
    await doctorCommand([], { ...env, SYNCGUARD_API_KEY: secret }, '0', (t) => (text += t));
    expect(text).toContain(`SyncGuard answered HTTP 500: ${padding}`);
    // Cut at 200 characters before redaction, the first 10 characters of the key would be left.
    expect(text).not.toContain(secret.slice(0, 10));
    syncguard.inject({
      fault: {
        kind: 'status',
        status: 500,
        body: {
          isSuccess: false,
          errorCode: 5,
          message: `key ${Buffer.from(secret).toString('base64')} and ${spaced}`,
        },
      },
      times: 1,
    });
    text = '';
    await doctorCommand([], { ...env, SYNCGUARD_API_KEY: secret }, '0', (t) => (text += t));
    expect(text).toContain('SyncGuard answered HTTP 500: key [REDACTED] and [REDACTED]');
  });

  it('a redirect names the base URL variable and where it pointed', async () => {
    syncguard.inject({
      fault: { kind: 'redirect', status: 301, location: 'https://api.example.test/api/v1/incidents?key=x' },
      times: 1,
    });
    const report = await runDoctor([], env);
    const read = section(report, 'syncguard').find((c) => /HTTP 301/.test(c.detail));
    expect(read).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('redirect to https://api.example.test/api/v1/incidents'),
      fix: expect.stringMatching(/^set SYNCGUARD_BASE_URL to/),
    });
    expect(read?.detail).not.toContain('key=x');
  });
});
