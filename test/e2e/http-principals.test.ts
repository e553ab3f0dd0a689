/**
 * HTTP for teams (issue 20): the built server with SYN_MCP_PRINCIPALS_FILE, each principal calling through
 * the official SDK client over real HTTP, the SyncGuard and Synchronex emulators checking which key each
 * request carried.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSyncGuardEmulator, type SyncGuardEmulator } from '../../src/sandbox/syncguard/index.js';
import { createSynchronexEmulator, type SynchronexEmulator } from '../../src/sandbox/synchronex/index.js';
import { createSynqlyEmulator, type SynqlyEmulator } from '../../src/sandbox/synqly/index.js';
import {
  callTool,
  childEnv,
  cleanup,
  connectHttp,
  initializeParams,
  logMatching,
  logsOf,
  mcpHeaders,
  type RawResponse,
  rawHttp,
  runCli,
  type ServerProcess,
  startHttp,
  textOf,
} from './spawn.js';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const token = () => randomBytes(24).toString('base64url');

const TOKENS = { alice: token(), bob: token(), carol: token(), erin: token(), dave: token() };
const SX = {
  alice: `sx_live_alice_${'a7'.repeat(16)}`,
  bob: `sx_live_bob_${'b8'.repeat(16)}`,
  carol: `sx_live_carol_${'c9'.repeat(16)}`,
};

let dir: string;
let syncguard: SyncGuardEmulator;
let synchronex: SynchronexEmulator;
let synqly: SynqlyEmulator;
let sqUrl: string;
let sgUrl: string;
let sxUrl: string;
let bobSyncguardKey: string;

function header(res: RawResponse, name: string): string | undefined {
  const v = res.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

const initBody = () =>
  JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: initializeParams() });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'syn-principals-'));
  syncguard = createSyncGuardEmulator();
  sgUrl = await syncguard.listen();
  synchronex = createSynchronexEmulator();
  sxUrl = await synchronex.listen();
  synqly = createSynqlyEmulator();
  sqUrl = await synqly.listen();
  // Bob's own SyncGuard workspace, created the documented way (POST /workspaces with the JWT).
  const created = await fetch(`${sgUrl}/workspaces`, {
    method: 'POST',
    headers: { authorization: `Bearer ${syncguard.jwt}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Bob' }),
  });
  bobSyncguardKey = ((await created.json()) as { data: { apiKey: string } }).data.apiKey;
  for (const key of Object.values(SX)) synchronex.addToken(key, ['read', 'write']);
});
afterAll(async () => {
  await cleanup();
  await syncguard.close();
  await synchronex.close();
  await synqly.close();
  rmSync(dir, { recursive: true, force: true });
});

function writePrincipals(name: string, doc: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof doc === 'string' ? doc : JSON.stringify(doc));
  return path;
}

describe('principals over HTTP', () => {
  let proc: ServerProcess;
  let url: string;
  let auditPath: string;

  beforeAll(async () => {
    const aliceSx = join(dir, 'alice-sx');
    writeFileSync(aliceSx, `${SX.alice}\n`);
    const file = writePrincipals('team.json', {
      principals: [
        {
          name: 'alice',
          tokenSha256: sha256(TOKENS.alice),
          toolsets: ['default', 'syncguard_admin'],
          credentials: {
            SYNCGUARD_API_KEY: 'env:ALICE_SYNCGUARD_KEY',
            SYNCHRONEX_API_KEY: `file:${aliceSx}`,
            SYNQLY_ORG_TOKEN: 'env:TEAM_SYNQLY_ORG',
          },
        },
        {
          name: 'bob',
          tokenSha256: sha256(TOKENS.bob),
          readOnly: true,
          credentials: {
            SYNCGUARD_API_KEY: 'env:BOB_SYNCGUARD_KEY',
            SYNCHRONEX_API_KEY: 'env:BOB_SX_KEY',
            SYNQLY_ORG_TOKEN: 'env:TEAM_SYNQLY_ORG',
          },
        },
        {
          name: 'carol',
          tokenSha256: sha256(TOKENS.carol),
          credentials: { SYNCHRONEX_API_KEY: 'env:CAROL_SX' },
        },
        {
          name: 'erin',
          tokenSha256: sha256(TOKENS.erin),
          credentials: { SYNCHRONEX_API_KEY: 'env:ERIN_SX' },
        },
        {
          name: 'dave',
          tokenSha256: sha256(TOKENS.dave),
          credentials: { SYNCHRONEX_API_KEY: 'env:CAROL_SX' },
        },
        { name: 'oauth-only', subject: 'user-123' },
      ],
    });
    auditPath = join(dir, 'audit.jsonl');
    ({ proc, url } = await startHttp(
      [],
      childEnv({
        SYN_MCP_PRINCIPALS_FILE: file,
        SYN_MCP_AUDIT_LOG: auditPath,
        SYN_MCP_MAX_SESSIONS_PER_PRINCIPAL: '5',
        SYNCGUARD_BASE_URL: sgUrl,
        SYNCHRONEX_BASE_URL: sxUrl,
        SYNQLY_BASE_URL: sqUrl,
        TEAM_SYNQLY_ORG: synqly.orgToken,
        ALICE_SYNCGUARD_KEY: syncguard.apiKey,
        BOB_SYNCGUARD_KEY: bobSyncguardKey,
        BOB_SX_KEY: SX.bob,
        CAROL_SX: SX.carol,
        // Not a key the emulator knows: every Synchronex call of erin's is refused upstream.
        ERIN_SX: `sx_live_revoked_${'0f'.repeat(16)}`,
      }),
    ));
  });

  const as = (who: keyof typeof TOKENS) => ({ authorization: `Bearer ${TOKENS[who]}` });

  it('each principal calls the same tools with its own upstream keys, and sees only its own data', async () => {
    const alice = await connectHttp(url, as('alice'));
    const bob = await connectHttp(url, as('bob'));
    syncguard.requests.length = 0;
    synchronex.requests.length = 0;

    const sent = await callTool(alice.client, 'send_event', {
      integrationKey: 'crm',
      eventType: 'webhook_failed',
      tenantId: 't1',
    });
    expect(sent.isError).toBeFalsy();
    const aliceList = await callTool(alice.client, 'list_incidents', {});
    const bobList = await callTool(bob.client, 'list_incidents', {});
    expect((aliceList.structuredContent as { items: unknown[] }).items).toHaveLength(1);
    // Bob's workspace is his own: alice's incident is not in it.
    expect((bobList.structuredContent as { items: unknown[] }).items).toHaveLength(0);
    expect(syncguard.requests.map((r) => `${r.method} ${r.path} ${r.headers['x-api-key']}`)).toEqual([
      `POST /api/v1/events ${syncguard.apiKey}`,
      `GET /api/v1/incidents ${syncguard.apiKey}`,
      `GET /api/v1/incidents ${bobSyncguardKey}`,
    ]);

    const aliceScope = await callTool(alice.client, 'get_scope', {});
    const bobScope = await callTool(bob.client, 'get_scope', {});
    expect(aliceScope.isError, textOf(aliceScope)).toBeFalsy();
    expect(bobScope.isError, textOf(bobScope)).toBeFalsy();
    expect(synchronex.requests.map((r) => `${r.method} ${r.path} ${r.headers.authorization}`)).toEqual([
      `GET /api/v1/scope Bearer ${SX.alice}`,
      `GET /api/v1/scope Bearer ${SX.bob}`,
    ]);
    await alice.close();
    await bob.close();
  });

  it('tools follow each principal: policy, read-only, and no tools of an API it has no credential for', async () => {
    const alice = await connectHttp(url, as('alice'));
    const bob = await connectHttp(url, as('bob'));
    const carol = await connectHttp(url, as('carol'));
    const names = async (s: typeof alice) => (await s.client.listTools()).tools.map((t) => t.name);
    const [a, b, c] = [await names(alice), await names(bob), await names(carol)];
    expect(a).toEqual(expect.arrayContaining(['send_event', 'rotate_api_key', 'get_scope']));
    expect(b).toEqual(expect.arrayContaining(['list_incidents', 'get_scope']));
    expect(b).not.toContain('send_event');
    expect(b).not.toContain('set_scope');
    expect(b).not.toContain('rotate_api_key');
    // Carol has a Synchronex key only.
    expect(c).toContain('get_scope');
    expect(c.filter((n) => ['send_event', 'list_incidents', 'get_incident'].includes(n))).toEqual([]);
    // Read-only bob cannot call a write tool by name either.
    await expect(
      bob.client.callTool({ name: 'send_event', arguments: { integrationKey: 'x', eventType: 'y' } }),
    ).rejects.toThrow(/Unknown tool: send_event/);
    await Promise.all([alice.close(), bob.close(), carol.close()]);
  });

  it('audit entries and failure log lines name the principal', async () => {
    const alice = await connectHttp(url, as('alice'));
    const erin = await connectHttp(url, as('erin'));
    const sent = await callTool(alice.client, 'send_event', {
      integrationKey: 'billing',
      eventType: 'timeout',
      tenantId: 't2',
    });
    expect(sent.isError).toBeFalsy();
    const failed = await callTool(erin.client, 'get_scope', {});
    expect(failed.isError).toBe(true);
    expect(textOf(failed)).toMatch(/SYNCHRONEX_API_KEY/);
    const line = await proc.stderr.waitFor(logMatching(/^tool get_scope: /, 'warn'));
    expect(JSON.parse(line)).toMatchObject({ principal: 'erin', tool: 'get_scope', status: 401 });
    await alice.close();
    await erin.close();
    // Closing the sessions is not the audit's flush: wait for the line itself.
    const audit = await waitForFile(auditPath, (text) => text.includes('"billing"'));
    const entries = audit
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { principal?: string; tool: string });
    expect(entries.length).toBeGreaterThan(0);
    for (const e of entries) expect(e.principal).toBe('alice');
  });

  it('401 for an unknown or missing token, logged without the token, the connection closed', async () => {
    const wrong = `${token()}-not-a-principal`;
    const res = await rawHttp(url, {
      method: 'POST',
      headers: mcpHeaders({ authorization: `Bearer ${wrong}` }),
      body: initBody(),
    });
    expect(res.status).toBe(401);
    expect(header(res, 'www-authenticate')).toBe('Bearer');
    expect(header(res, 'connection')).toBe('close');
    const none = await rawHttp(url, { method: 'POST', headers: mcpHeaders(), body: initBody() });
    expect(none.status).toBe(401);
    await proc.stderr.waitFor(
      (l) => l.includes('"authentication failed"') && l.includes('"reason":"no token"'),
    );
    const failures = logsOf(proc.stderr.text).filter((l) => l.msg === 'authentication failed');
    expect(failures.find((l) => l.reason === 'unknown token')).toMatchObject({
      level: 'warn',
      source: expect.stringMatching(/127\.0\.0\.1/),
    });
    expect(proc.stderr.text).not.toContain(wrong);
  });

  it("another principal's session id is a 404; the owner's works", async () => {
    const opened = await rawHttp(url, {
      method: 'POST',
      headers: mcpHeaders(as('alice')),
      body: initBody(),
    });
    expect(opened.status).toBe(200);
    const sid = header(opened, 'mcp-session-id');
    if (!sid) throw new Error('no session id');
    const list = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} });
    const foreign = await rawHttp(url, {
      method: 'POST',
      headers: mcpHeaders({ ...as('bob'), 'mcp-session-id': sid, 'mcp-protocol-version': '2025-11-25' }),
      body: list,
    });
    expect(foreign.status).toBe(404);
    const own = await rawHttp(url, {
      method: 'POST',
      headers: mcpHeaders({ ...as('alice'), 'mcp-session-id': sid, 'mcp-protocol-version': '2025-11-25' }),
      body: list,
    });
    expect(own.status).toBe(200);
    const bye = await rawHttp(url, {
      method: 'DELETE',
      headers: mcpHeaders({ ...as('alice'), 'mcp-session-id': sid, 'mcp-protocol-version': '2025-11-25' }),
    });
    expect(bye.status).toBe(200);
  });

  it('integration tokens are minted per principal, even on a shared organization token', async () => {
    const alice = await connectHttp(url, as('alice'));
    const bob = await connectHttp(url, as('bob'));
    const target = {
      accountId: synqly.ids.account,
      integrationId: synqly.ids.integrations.ticketing,
      limit: 1,
    };
    synqly.requests.length = 0;
    for (const s of [alice, bob, alice, bob]) {
      const r = await callTool(s.client, 'query_tickets', target);
      expect(r.isError, textOf(r)).toBeFalsy();
    }
    // One mint each, then each reuses its own.
    expect(synqly.mintedTokens).toHaveLength(2);
    const [a, b] = synqly.mintedTokens;
    const queries = synqly.requests.filter((r) => r.method === 'GET').map((r) => r.headers.authorization);
    expect(queries).toEqual([`Bearer ${a}`, `Bearer ${b}`, `Bearer ${a}`, `Bearer ${b}`]);
    await Promise.all([alice.close(), bob.close()]);
  });

  it("a rotated key replaces only its owner's credential", async () => {
    const alice = await connectHttp(url, as('alice'));
    const bob = await connectHttp(url, as('bob'));
    const before = syncguard.apiKey;
    const rotated = await callTool(alice.client, 'rotate_api_key', {});
    expect(rotated.isError, textOf(rotated)).toBeFalsy();
    const fresh = (rotated.structuredContent as { apiKey: string }).apiKey;
    expect(fresh).toBe(syncguard.apiKey);
    expect(fresh).not.toBe(before);
    syncguard.requests.length = 0;
    expect((await callTool(alice.client, 'list_incidents', {})).isError).toBeFalsy();
    expect((await callTool(bob.client, 'list_incidents', {})).isError).toBeFalsy();
    expect(syncguard.requests.map((r) => r.headers['x-api-key'])).toEqual([fresh, bobSyncguardKey]);
    await Promise.all([alice.close(), bob.close()]);
  });

  it('one principal cannot hold more sessions than its cap; the others still open theirs', async () => {
    const open = (who: keyof typeof TOKENS) =>
      rawHttp(url, { method: 'POST', headers: mcpHeaders(as(who)), body: initBody() });
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await open('dave')).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    expect((await open('carol')).status).toBe(200);
  });
});

/** Resolves to the file's text once `ready` holds for it (the audit stream writes asynchronously). */
async function waitForFile(path: string, ready: (text: string) => boolean): Promise<string> {
  const { watch } = await import('node:fs');
  const read = () => {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return '';
    }
  };
  const now = read();
  if (ready(now)) return now;
  return new Promise((resolve, reject) => {
    const watcher = watch(dir, () => {
      const text = read();
      if (ready(text)) {
        clearTimeout(timer);
        watcher.close();
        resolve(text);
      }
    });
    const timer = setTimeout(() => {
      watcher.close();
      reject(new Error(`${path}: not ready in time`));
    }, 10_000);
  });
}

describe('principals over stateless HTTP', () => {
  it('each request is served as its own principal, with no session to share', async () => {
    const file = writePrincipals('stateless.json', {
      principals: [
        { name: 'alice', tokenSha256: sha256(TOKENS.alice), credentials: { SYNCGUARD_API_KEY: 'env:A' } },
        {
          name: 'bob',
          tokenSha256: sha256(TOKENS.bob),
          readOnly: true,
          credentials: { SYNCGUARD_API_KEY: 'env:B' },
        },
      ],
    });
    const { url } = await startHttp(
      ['--stateless'],
      childEnv({
        SYN_MCP_PRINCIPALS_FILE: file,
        SYNCGUARD_BASE_URL: sgUrl,
        A: syncguard.apiKey,
        B: bobSyncguardKey,
      }),
    );
    const alice = await connectHttp(url, { authorization: `Bearer ${TOKENS.alice}` });
    const bob = await connectHttp(url, { authorization: `Bearer ${TOKENS.bob}` });
    expect((await alice.client.listTools()).tools.map((t) => t.name)).toContain('send_event');
    expect((await bob.client.listTools()).tools.map((t) => t.name)).not.toContain('send_event');
    syncguard.requests.length = 0;
    expect((await callTool(bob.client, 'list_incidents', {})).isError).toBeFalsy();
    expect((await callTool(alice.client, 'list_incidents', {})).isError).toBeFalsy();
    expect(syncguard.requests.map((r) => r.headers['x-api-key'])).toEqual([
      bobSyncguardKey,
      syncguard.apiKey,
    ]);
    await Promise.all([alice.close(), bob.close()]);
  });
});

describe('a bad principals file stops startup with one line and exit code 2', () => {
  const start = async (doc: unknown, extra: Record<string, string> = {}) => {
    const file = writePrincipals(`bad-${randomBytes(4).toString('hex')}.json`, doc);
    return runCli(['--http', '--port', '0'], childEnv({ SYN_MCP_PRINCIPALS_FILE: file, ...extra }));
  };
  const hash = sha256('x');

  it('an inline secret is refused, and never echoed', async () => {
    const secret = 'sg_live_inline_secret_value_0123456789';
    const r = await start({
      principals: [{ name: 'a', tokenSha256: hash, credentials: { SYNCGUARD_API_KEY: secret } }],
    });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/principals\.0\.credentials\.SYNCGUARD_API_KEY: inline secrets are refused/);
    expect(r.stderr).not.toContain(secret);
  });

  it('an unknown key, a credential the contract does not name, bad JSON, a missing variable', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [
        { principals: [{ name: 'a', tokenSha256: hash, admin: true }] },
        /principals\.0: unknown key\(s\) admin/,
      ],
      [
        { principals: [{ name: 'a', tokenSha256: hash, credentials: { GITHUB_TOKEN: 'env:X' } }] },
        /unknown key\(s\) GITHUB_TOKEN \(credentials take SYNCGUARD_API_KEY/,
      ],
      ['{"principals": [', /not valid JSON/],
      [{ principals: [{ name: 'a' }] }, /give tokenSha256 \(bearer token\) or subject/],
      [
        {
          principals: [
            { name: 'a', tokenSha256: hash, credentials: { SYNAP_API_KEY: 'env:NOT_SET_ANYWHERE' } },
          ],
        },
        /environment variable NOT_SET_ANYWHERE is not set/,
      ],
      [
        { principals: [{ name: 'a', tokenSha256: hash, toolsets: ['nope'] }] },
        /principal a: --toolsets: unknown toolset "nope"/,
      ],
    ];
    for (const [doc, message] of cases) {
      const r = await start(doc);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }
  });

  it('a missing file', async () => {
    const r = await runCli(
      ['--http', '--port', '0'],
      childEnv({ SYN_MCP_PRINCIPALS_FILE: join(dir, 'absent.json') }),
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^syn-mcp: SYN_MCP_PRINCIPALS_FILE: .*absent\.json: cannot read it \(ENOENT\)\.\n$/,
    );
  });
});
