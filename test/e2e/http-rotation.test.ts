/**
 * A rotated key told to the other replicas through Redis (issue 20): two built servers with the same
 * principals file and a real redis-server; Alice rotates her SyncGuard key on one, and her next call on the
 * other switches to the new key; Bob's credential is untouched.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { SyncGuardEmulator } from '../../src/sandbox/syncguard/index.js';
import { type RedisServer, startRedis, stopInfra } from '../helpers/infra.js';
import {
  removePrincipalsFiles,
  sha256Hex,
  startSyncGuardWithSecondWorkspace,
  writePrincipalsFile,
} from '../helpers/teams.js';
import {
  callTool,
  childEnv,
  cleanup,
  connectHttp,
  logMatching,
  type ServerProcess,
  startHttp,
  textOf,
} from './spawn.js';

const TOKENS = { alice: randomBytes(24).toString('hex'), bob: randomBytes(24).toString('hex') };

let redis: RedisServer;
let syncguard: SyncGuardEmulator;
let bobKey: string;
const replicas: Array<{ url: string; proc: ServerProcess }> = [];

beforeAll(async () => {
  redis = await startRedis();
  const sg = await startSyncGuardWithSecondWorkspace('Bob');
  syncguard = sg.emulator;
  bobKey = sg.secondKey;
  const file = writePrincipalsFile([
    {
      name: 'alice',
      tokenSha256: sha256Hex(TOKENS.alice),
      toolsets: ['default', 'syncguard_admin'],
      credentials: { SYNCGUARD_API_KEY: 'env:ALICE_SG' },
    },
    { name: 'bob', tokenSha256: sha256Hex(TOKENS.bob), credentials: { SYNCGUARD_API_KEY: 'env:BOB_SG' } },
  ]);
  const env = childEnv({
    SYN_MCP_PRINCIPALS_FILE: file,
    SYN_MCP_REDIS_URL: redis.url,
    SYNCGUARD_BASE_URL: sg.baseUrl,
    ALICE_SG: syncguard.apiKey,
    BOB_SG: bobKey,
  });
  for (let i = 0; i < 2; i++) replicas.push(await startHttp([], env));
});
afterAll(async () => {
  await cleanup();
  await stopInfra();
  removePrincipalsFiles();
});

it('a key rotated on one replica is picked up by the other for its owner only', async () => {
  const [a, b] = replicas;
  if (!a || !b) throw new Error('two replicas');
  const auth = (who: keyof typeof TOKENS) => ({ authorization: `Bearer ${TOKENS[who]}` });
  const aliceOnA = await connectHttp(a.url, auth('alice'));
  const aliceOnB = await connectHttp(b.url, auth('alice'));
  const bobOnB = await connectHttp(b.url, auth('bob'));
  const old = syncguard.apiKey;

  const rotated = await callTool(aliceOnA.client, 'rotate_api_key', {});
  expect(rotated.isError, textOf(rotated)).toBeFalsy();
  const fresh = (rotated.structuredContent as { apiKey: string }).apiKey;
  expect(fresh).toBe(syncguard.apiKey);

  syncguard.requests.length = 0;
  const listed = await callTool(aliceOnB.client, 'list_incidents', {});
  expect(listed.isError, textOf(listed)).toBeFalsy();
  // Replica B still held the old key: refused once, then the key from Redis.
  expect(syncguard.requests.map((r) => r.headers['x-api-key'])).toEqual([old, fresh]);
  await b.proc.stderr.waitFor(logMatching(/switched to the key another replica rotated to/, 'info'));
  expect(b.proc.stderr.text).not.toContain(fresh);

  syncguard.requests.length = 0;
  expect((await callTool(aliceOnB.client, 'list_incidents', {})).isError).toBeFalsy();
  expect((await callTool(bobOnB.client, 'list_incidents', {})).isError).toBeFalsy();
  expect(syncguard.requests.map((r) => r.headers['x-api-key'])).toEqual([fresh, bobKey]);
  await Promise.all([aliceOnA.close(), aliceOnB.close(), bobOnB.close()]);
});
