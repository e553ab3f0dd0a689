/**
 * No-content answers (204, 205, 304) from every emulator go out as a real server sends them: no body and no
 * Content-Length promising one (Node drops a body written to a 204/304 but kept the length, which the client
 * read as a truncated answer).
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FaultRule } from '../../src/sandbox/common/faults.js';
import { createSynapEmulator } from '../../src/sandbox/synap/index.js';
import { createSynapseEmulator } from '../../src/sandbox/synapse/index.js';
import { createSyncGuardEmulator } from '../../src/sandbox/syncguard/index.js';
import { createSynchronexEmulator } from '../../src/sandbox/synchronex/index.js';
import { createSynqlyEmulator } from '../../src/sandbox/synqly/index.js';

interface Emulator {
  listen(): Promise<string>;
  close(): Promise<void>;
  inject(rule: FaultRule): void;
  clearFaults(): void;
}

const EMULATORS: Array<[string, () => Emulator]> = [
  ['SyncGuard', () => createSyncGuardEmulator()],
  ['Synqly', () => createSynqlyEmulator()],
  ['Synapse', () => createSynapseEmulator()],
  ['Synap', () => createSynapEmulator()],
  ['Synchronex', () => createSynchronexEmulator()],
];

/** A raw POST: the status, the headers and every byte of the body, as they came over the wire. */
function post(url: string): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString(),
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

describe.each(EMULATORS)('%s: a no-content status fault', (_name, create) => {
  let emulator: Emulator;
  let base: string;
  beforeAll(async () => {
    emulator = create();
    base = await emulator.listen();
  });
  afterAll(() => emulator.close());

  it.each([204, 205, 304])('%i goes out with no body and no length promising one', async (status) => {
    // A body given with the fault (an emulator's error envelope otherwise) is not sent either.
    emulator.inject({ fault: { kind: 'status', status, body: { isSuccess: true, data: { id: 'x' } } } });
    const res = await post(`${base}/anything`);
    expect(res.status).toBe(status);
    expect(res.body).toBe('');
    expect(res.headers['content-type']).toBeUndefined();
    expect(res.headers['transfer-encoding']).toBeUndefined();
    expect(res.headers['content-length']).toBe(status === 205 ? '0' : undefined);
  });
});
