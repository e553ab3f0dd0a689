/**
 * OAuth 2.1 resource-server mode (issue 20): the built server with `--oauth-issuer --resource`, tokens issued
 * by a real authorization server (`oidc-provider`, client credentials with RFC 8707 resource indicators, JWT
 * access tokens) on loopback, and the official SDK client over real HTTP.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSyncGuardEmulator, type SyncGuardEmulator } from '../../src/sandbox/syncguard/index.js';
import { type AuthorizationServer, startAuthorizationServer } from '../helpers/authorization-server.js';
import {
  callTool,
  childEnv,
  cleanup,
  connectHttp,
  initializeParams,
  mcpHeaders,
  type RawResponse,
  rawHttp,
  runCli,
  type ServerProcess,
  startHttp,
  textOf,
} from './spawn.js';

const ALICE_STATIC = randomBytes(24).toString('base64url');

let dir: string;
let as: AuthorizationServer;
let issuer: string;
let resource: string;
let url: string;
let syncguard: SyncGuardEmulator;
let proc: ServerProcess;

const tokenFor = (client: string, scope = 'mcp', forResource = resource) =>
  as.tokenFor(client, forResource, scope);

/** A free loopback port (the resource URL must name the server's own before it starts). */
async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

const header = (res: RawResponse, name: string): string => {
  const v = res.headers[name];
  return Array.isArray(v) ? v.join(', ') : (v ?? '');
};
const initBody = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: initializeParams() });
const post = (token: string | undefined) =>
  rawHttp(url, {
    method: 'POST',
    headers: mcpHeaders(token ? { authorization: `Bearer ${token}` } : {}),
    body: initBody,
  });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'syn-oauth-'));
  as = await startAuthorizationServer();
  issuer = as.issuer;
  const port = await freePort();
  resource = `http://127.0.0.1:${port}/mcp`;
  syncguard = createSyncGuardEmulator();
  const sgUrl = await syncguard.listen();
  const file = join(dir, 'principals.json');
  const sha = createHash('sha256').update(ALICE_STATIC).digest('hex');
  writeFileSync(
    file,
    JSON.stringify({
      principals: [
        {
          name: 'alice',
          subject: 'alice-agent',
          tokenSha256: sha,
          credentials: { SYNCGUARD_API_KEY: 'env:ALICE_SG' },
        },
        {
          name: 'bob',
          subject: 'bob-agent',
          readOnly: true,
          credentials: { SYNCGUARD_API_KEY: 'env:ALICE_SG' },
        },
      ],
    }),
  );
  const started = await startHttp(
    ['--port', String(port), '--oauth-issuer', issuer, '--resource', resource],
    childEnv({ SYN_MCP_PRINCIPALS_FILE: file, SYNCGUARD_BASE_URL: sgUrl, ALICE_SG: syncguard.apiKey }),
  );
  url = started.url;
  proc = started.proc;
});
afterAll(async () => {
  await cleanup();
  await syncguard.close();
  await as.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('OAuth 2.1 resource server', () => {
  it('serves its RFC 9728 metadata, and a 401 points at it', async () => {
    expect(url).toBe(resource);
    const metadataUrl = `${new URL(resource).origin}/.well-known/oauth-protected-resource/mcp`;
    for (const at of [metadataUrl, `${new URL(resource).origin}/.well-known/oauth-protected-resource`]) {
      const meta = await rawHttp(at);
      expect(meta.status).toBe(200);
      expect(JSON.parse(meta.body)).toEqual({
        resource,
        authorization_servers: [issuer],
        scopes_supported: ['mcp'],
        bearer_methods_supported: ['header'],
        resource_name: 'syn-mcp',
      });
    }
    const none = await post(undefined);
    expect(none.status).toBe(401);
    expect(header(none, 'www-authenticate')).toBe(`Bearer resource_metadata="${metadataUrl}"`);
  });

  it('a valid token acts as the principal of its subject; the token never goes upstream', async () => {
    const token = await tokenFor('alice-agent');
    expect(decodeJwt(token)).toMatchObject({ iss: issuer, aud: resource, sub: 'alice-agent', scope: 'mcp' });
    const s = await connectHttp(url, { authorization: `Bearer ${token}` });
    const names = (await s.client.listTools()).tools.map((t) => t.name);
    expect(names).toContain('send_event');
    syncguard.requests.length = 0;
    const r = await callTool(s.client, 'list_incidents', {});
    expect(r.isError, textOf(r)).toBeFalsy();
    expect(syncguard.requests.map((q) => q.headers['x-api-key'])).toEqual([syncguard.apiKey]);
    expect(JSON.stringify(syncguard.requests)).not.toContain(token);
    await s.close();

    const bob = await connectHttp(url, { authorization: `Bearer ${await tokenFor('bob-agent')}` });
    expect((await bob.client.listTools()).tools.map((t) => t.name)).not.toContain('send_event');
    await bob.close();
    // Alice's static token (tokenSha256) works beside OAuth.
    expect((await post(ALICE_STATIC)).status).toBe(200);
  });

  it('a token for another resource (audience) is refused 401 invalid_token', async () => {
    const other = await tokenFor('alice-agent', 'mcp', 'https://other.example/mcp');
    expect(decodeJwt(other).aud).toBe('https://other.example/mcp');
    const res = await post(other);
    expect(res.status).toBe(401);
    expect(header(res, 'www-authenticate')).toMatch(/error="invalid_token"/);
    expect(header(res, 'www-authenticate')).toMatch(/resource_metadata="/);
    expect(header(res, 'connection')).toBe('close');
    await proc.stderr.waitFor((l) => l.includes('"reason":"invalid token (claim aud check_failed)"'));
    expect(proc.stderr.text).not.toContain(other);
  });

  it('an expired token is refused 401 invalid_token', async () => {
    const short = await tokenFor('alice-agent', 'mcp short');
    const exp = decodeJwt(short).exp ?? 0;
    expect(exp - (decodeJwt(short).iat ?? 0)).toBe(1);
    // The token's own lifetime is what is under test: wait until its exp has passed.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, (exp + 1) * 1000 - Date.now())));
    const res = await post(short);
    expect(res.status).toBe(401);
    expect(header(res, 'www-authenticate')).toMatch(/error="invalid_token"/);
    await proc.stderr.waitFor((l) => l.includes('"reason":"invalid token (expired)"'));
  });

  it('a token without the required scope is 403 insufficient_scope naming it', async () => {
    const res = await post(await tokenFor('alice-agent', 'other'));
    expect(res.status).toBe(403);
    expect(header(res, 'www-authenticate')).toMatch(/error="insufficient_scope", scope="mcp"/);
    expect(JSON.parse(res.body).error.message).toMatch(/lacks the scope this server needs: mcp/);
  });

  it('a valid token whose subject has no principal is 403', async () => {
    const res = await post(await tokenFor('mallory-agent'));
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body).error.message).toMatch(/no principal for its subject/);
  });

  it('a rotated issuer key is fetched once; with the issuer down, the keys held keep working', async () => {
    // The issuer rotates to a new key: its tokens carry a kid the server has not seen.
    await as.rotateKey();
    const rotated = await tokenFor('alice-agent');
    expect((await post(rotated)).status).toBe(200);
    // The issuer goes away: a token with a known kid still verifies from the keys held.
    const beforeOutage = await tokenFor('alice-agent');
    as.down();
    expect(decodeProtectedHeader(beforeOutage).kid).toBe(decodeProtectedHeader(rotated).kid);
    expect((await post(beforeOutage)).status).toBe(200);
  });
});

describe('bad OAuth configuration stops startup with one line and exit code 2', () => {
  it('an unreachable issuer, a lone flag, a principals file missing', async () => {
    const file = join(dir, 'p.json');
    writeFileSync(file, JSON.stringify({ principals: [{ name: 'a', subject: 's' }] }));
    const deadPort = await freePort();
    const cases: Array<[string[], Record<string, string>, RegExp]> = [
      [
        ['--oauth-issuer', `http://127.0.0.1:${deadPort}`, '--resource', 'http://127.0.0.1:1/mcp'],
        { SYN_MCP_PRINCIPALS_FILE: file },
        /--oauth-issuer http:\/\/127\.0\.0\.1:\d+: cannot read its metadata/,
      ],
      [
        ['--oauth-issuer', issuer],
        { SYN_MCP_PRINCIPALS_FILE: file },
        /--oauth-issuer and --resource go together/,
      ],
      [
        ['--oauth-issuer', issuer, '--resource', 'http://127.0.0.1:1/mcp'],
        {},
        /set SYN_MCP_PRINCIPALS_FILE too/,
      ],
      [
        ['--oauth-issuer', 'http://issuer.example', '--resource', 'http://127.0.0.1:1/mcp'],
        { SYN_MCP_PRINCIPALS_FILE: file },
        /must be an https URL/,
      ],
    ];
    for (const [args, env, message] of cases) {
      const r = await runCli(['--http', '--port', '0', ...args], childEnv(env));
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }
  });
});
