/**
 * Hostile upstreams (issue 17 part 3), through real tools: a 429 whose Retry-After is absurd — seconds, a far
 * HTTP date — tells the model to wait an hour at most, at once (nothing waits). Against the SyncGuard emulator's
 * fault injection and an SDK Client. Past and negative holds (a brief pause, not a retry at once), the budget
 * every replica shares and the clock are in test/unit/holds.test.ts and redis-state.test.ts (no real waits).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSyncGuardEmulator, type SyncGuardEmulator } from '../../src/sandbox/syncguard/index.js';
import { connectInProcess, type InProcess, textOf } from '../helpers/in-process.js';

let emulator: SyncGuardEmulator;
let mcp: InProcess;

beforeAll(async () => {
  emulator = createSyncGuardEmulator();
  const url = await emulator.listen();
  mcp = await connectInProcess({ SYNCGUARD_API_KEY: emulator.apiKey, SYNCGUARD_BASE_URL: url });
});

afterAll(async () => {
  await mcp.close();
  await emulator.close();
});

describe('absurd Retry-After through list_incidents and send_event', () => {
  it.each([
    ['seconds', '99999999999'],
    ['a far HTTP date', new Date(Date.now() + 3_000 * 365 * 86_400_000).toUTCString()],
    ['more digits than a double holds', '9'.repeat(400)],
  ])('Retry-After as %s: retry after an hour at most', async (_name, retryAfter) => {
    for (const [tool, args] of [
      ['list_incidents', {}],
      ['send_event', { integrationKey: 'crm', eventType: 'auth_failed', tenantId: 'acme' }],
    ] as const) {
      emulator.clearFaults();
      emulator.requests.length = 0;
      emulator.inject({ fault: { kind: 'status', status: 429, retryAfter }, times: 1 });
      const result = await mcp.call(tool, args);
      expect(result.isError, textOf(result)).toBe(true);
      expect(textOf(result)).toMatch(/rate limit reached \(HTTP 429\)\. Retry after 3600 s\./);
      expect(result._meta).toEqual({ retryAfterSeconds: 3_600 });
      expect(emulator.requests).toHaveLength(1);
    }
  });
});
