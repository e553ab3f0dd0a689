/**
 * HTTP for teams behind a real nginx (issue 20): two stateless replicas of the BUILT server read the same
 * principals file, verify OAuth access tokens from a real authorization server on their own (JWT checks are
 * local), and call SyncGuard with each caller's own key, whichever replica nginx picks.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { SyncGuardEmulator } from '../../src/sandbox/syncguard/index.js';
import {
  callTool,
  childEnv,
  cleanup,
  connectHttp,
  rawHttp,
  type ServerProcess,
  startHttp,
  textOf,
} from '../e2e/spawn.js';
import { type AuthorizationServer, startAuthorizationServer } from '../helpers/authorization-server.js';
import { freePort, type NginxServer, startNginx, stopInfra } from '../helpers/infra.js';
import {
  removePrincipalsFiles,
  sha256Hex,
  startSyncGuardWithSecondWorkspace,
  writePrincipalsFile,
} from '../helpers/teams.js';

const BOB_TOKEN = randomBytes(24).toString('hex');

let as: AuthorizationServer;
let syncguard: SyncGuardEmulator;
let nginx: NginxServer;
let resource: string;
let bobKey: string;
const replicas: ServerProcess[] = [];

beforeAll(async () => {
  as = await startAuthorizationServer();
  const sg = await startSyncGuardWithSecondWorkspace('Bob');
  syncguard = sg.emulator;
  bobKey = sg.secondKey;
  const file = writePrincipalsFile([
    { name: 'alice', subject: 'alice-agent', credentials: { SYNCGUARD_API_KEY: 'env:ALICE_SG' } },
    {
      name: 'bob',
      tokenSha256: sha256Hex(BOB_TOKEN),
      readOnly: true,
      credentials: { SYNCGUARD_API_KEY: 'env:BOB_SG' },
    },
  ]);
  // nginx first (it names the replicas' ports), so that the resource URL is the one clients use: nginx's.
  const ports = [await freePort(), await freePort()];
  nginx = await startNginx(ports.map((p) => `127.0.0.1:${p}`));
  resource = `${nginx.origin}/mcp`;
  const env = childEnv({
    SYN_MCP_PRINCIPALS_FILE: file,
    SYNCGUARD_BASE_URL: sg.baseUrl,
    ALICE_SG: syncguard.apiKey,
    BOB_SG: bobKey,
  });
  for (const port of ports) {
    const args = ['--stateless', '--port', String(port), '--oauth-issuer', as.issuer, '--resource', resource];
    replicas.push((await startHttp(args, env)).proc);
  }
});
afterAll(async () => {
  await cleanup();
  await stopInfra();
  await as.close();
  removePrincipalsFiles();
});

it('through nginx, every call acts as its caller on whichever replica answers', async () => {
  const meta = await rawHttp(`${nginx.origin}/.well-known/oauth-protected-resource/mcp`);
  expect(JSON.parse(meta.body)).toMatchObject({ resource, authorization_servers: [as.issuer] });
  const refused = await rawHttp(resource, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  expect(refused.status).toBe(401);
  expect(refused.headers['www-authenticate']).toBe(
    `Bearer resource_metadata="${nginx.origin}/.well-known/oauth-protected-resource/mcp"`,
  );

  const alice = await connectHttp(resource, {
    authorization: `Bearer ${await as.tokenFor('alice-agent', resource)}`,
  });
  const bob = await connectHttp(resource, { authorization: `Bearer ${BOB_TOKEN}` });
  syncguard.requests.length = 0;
  const calls = 8;
  for (let i = 0; i < calls; i++) {
    const [a, b] = await Promise.all([
      callTool(alice.client, 'list_incidents', {}),
      callTool(bob.client, 'list_incidents', {}),
    ]);
    expect(a.isError, textOf(a)).toBeFalsy();
    expect(b.isError, textOf(b)).toBeFalsy();
  }
  const keys = syncguard.requests.map((r) => r.headers['x-api-key']);
  expect(keys.filter((k) => k === syncguard.apiKey)).toHaveLength(calls);
  expect(keys.filter((k) => k === bobKey)).toHaveLength(calls);
  expect((await bob.client.listTools()).tools.map((t) => t.name)).not.toContain('send_event');
  await Promise.all([alice.close(), bob.close()]);
});
