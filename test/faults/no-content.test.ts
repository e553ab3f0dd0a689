/**
 * No-content answers (204, 205, 304) from every emulator go out as a real server sends them: no body and no
 * Content-Length promising one (Node drops a body written to a 204/304 but kept the length, which the client
 * read as a truncated answer). And a write tool given an empty 204 does not take it for a confirmation: it
 * says what the answer did not show, or that there is no answer to report.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FaultRule } from '../../src/sandbox/common/faults.js';
import { createSynapEmulator } from '../../src/sandbox/synap/index.js';
import { createSynapseEmulator } from '../../src/sandbox/synapse/index.js';
import { createSyncGuardEmulator } from '../../src/sandbox/syncguard/index.js';
import { createSynchronexEmulator } from '../../src/sandbox/synchronex/index.js';
import { createSynqlyEmulator } from '../../src/sandbox/synqly/index.js';
import { connectInProcess, type InProcess, textOf } from '../helpers/in-process.js';

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

/** Runs `use` with an in-process server over `emulator`, whose environment `env` gives; then closes both. */
async function over<E extends Emulator>(
  emulator: E,
  env: (url: string) => Record<string, string>,
  use: (mcp: InProcess) => Promise<void>,
): Promise<void> {
  const mcp = await connectInProcess(env(await emulator.listen()), ['--toolsets', 'all']);
  try {
    await use(mcp);
  } finally {
    await mcp.close();
    await emulator.close();
  }
}

describe('a write tool given an empty 204 does not read it as a confirmation', () => {
  it('SyncGuard set_alert_channel: confirmed false, with a note', async () => {
    const emulator = createSyncGuardEmulator();
    const env = (url: string) => ({ SYNCGUARD_API_KEY: emulator.apiKey, SYNCGUARD_BASE_URL: url });
    await over(emulator, env, async (mcp) => {
      emulator.inject({ method: 'PUT', fault: { kind: 'status', status: 204 } });
      const result = await mcp.call('set_alert_channel', {
        provider: 'slack',
        config: { webhookUrl: 'https://hooks.slack.com/services/T/B/x' },
      });
      expect(result.isError, textOf(result)).toBeFalsy();
      expect(result.structuredContent).toMatchObject({ confirmed: false });
      expect(textOf(result)).toMatch(/accepted the slack channel \(HTTP 204\) but its answer did not show/);
    });
  });

  it('Synqly create_ticket: no ticket is shown as created, and the note says it is not confirmed', async () => {
    const emulator = createSynqlyEmulator();
    const env = (url: string) => ({
      SYNQLY_ORG_TOKEN: emulator.orgToken,
      SYNQLY_INTEGRATION_TOKEN: emulator.integrationToken,
      SYNQLY_BASE_URL: url,
    });
    await over(emulator, env, async (mcp) => {
      emulator.inject({
        method: 'POST',
        path: '/v1/ticketing/tickets',
        fault: { kind: 'status', status: 204 },
      });
      const result = await mcp.call('create_ticket', { name: 'Block 203.0.113.7' });
      expect(result.isError, textOf(result)).toBeFalsy();
      const out = result.structuredContent as { ticket: unknown; note?: string };
      expect(out.ticket).toEqual({ id: '' });
      expect(out.note).toMatch(/did not show the ticket \(no id\): whether it was created is not confirmed/);
    });
  });

  it('Synapse chat: an error saying the answer is not known, not an empty answer', async () => {
    const emulator = createSynapseEmulator();
    const env = (url: string) => ({ SYNAPSE_API_KEY: emulator.apiKey, SYNAPSE_BASE_URL: url });
    await over(emulator, env, async (mcp) => {
      emulator.inject({ method: 'POST', path: '/chat', fault: { kind: 'status', status: 204 } });
      const result = await mcp.call('chat', { message: 'hi' });
      expect(result.isError).toBe(true);
      expect(textOf(result)).toMatch(/^Synapse answered the chat without a response field/);
    });
  });
});
