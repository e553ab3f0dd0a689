/**
 * Synapse human steps through the client, end to end: the BUILT server as a process, a Synapse emulator of
 * the test's own (its publish-with-approval orchestration pauses at a HUMAN step with a boolean, a select and
 * a text field), and real clients that show a form — the v1 SDK Client (2025, elicitation/create) and the
 * v2 client pinned to 2026-07-28 (input_required rounds), over stdio and HTTP. The user's typed answers
 * resume the run exactly once; declining gives the paused result back with its run_id, and resumes nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createSynapseEmulator, type SynapseEmulator } from '../../src/sandbox/synapse/index.js';
import {
  closeFormClients,
  type Era,
  formUser,
  serveWithFormClient,
  type Transport,
} from '../helpers/form-client.js';
import { childEnv, cleanup, jsonOf, textOf } from './spawn.js';

const emulators: SynapseEmulator[] = [];
afterEach(async () => {
  await closeFormClients();
  await Promise.allSettled(emulators.splice(0).map((e) => e.close()));
  await cleanup();
});

async function emulatorEnv(): Promise<{ emulator: SynapseEmulator; env: Record<string, string> }> {
  const emulator = createSynapseEmulator();
  const baseUrl = await emulator.listen();
  emulators.push(emulator);
  return { emulator, env: childEnv({ SYNAPSE_API_KEY: emulator.apiKey, SYNAPSE_BASE_URL: baseUrl }) };
}

const ARGS = ['--toolsets', 'synapse,synapse_write'];
const NAME = 'human-steps-e2e';

const resumes = (emulator: SynapseEmulator) =>
  emulator.requests.filter(
    (r) => r.method === 'POST' && /\/orchestrations\/runs\/[^/]+\/resume/.test(r.path),
  );
const starts = (emulator: SynapseEmulator) =>
  emulator.requests.filter(
    (r) => r.method === 'POST' && /\/orchestrations\/(?!runs\/)[^/]+\/run(\/stream)?$/.test(r.path),
  );

describe.each([
  ['2025', 'stdio'],
  ['2025', 'http'],
  ['2026', 'stdio'],
  ['2026', 'http'],
] as Array<[Era, Transport]>)('a %s client over %s with form elicitation', (era, transport) => {
  it('a paused run asks the user with its typed form; the typed answers resume it once, to completion', async () => {
    const { emulator, env } = await emulatorEnv();
    const u = formUser({
      action: 'accept',
      content: { approved: true, channel: 'newsletter', notes: 'ship it' },
    });
    const client = await serveWithFormClient(era, transport, { args: ARGS, env }, { name: NAME, user: u });
    const result = await client.call('run_orchestration', {
      orch_id: 'orch_publish_approval',
      message: 'v2.0',
    });
    expect(result.isError, textOf(result)).toBeFalsy();
    expect(jsonOf(result)).toMatchObject({
      status: 'completed',
      response: expect.stringContaining('Published the announcement on newsletter. Notes: ship it'),
    });
    expect(u.asked).toHaveLength(1);
    expect(u.asked[0]?.message).toMatch(/^Synapse orchestration run \S+ is waiting for your input\./);
    expect(u.asked[0]?.message).toContain('Please review the draft and approve or reject it');
    expect(u.asked[0]?.requestedSchema).toMatchObject({
      type: 'object',
      properties: {
        approved: { type: 'boolean', title: 'Approve publication?' },
        channel: { type: 'string', enum: ['blog', 'newsletter'] },
        notes: { type: 'string' },
      },
      required: ['approved', 'channel', 'notes'],
    });
    expect(starts(emulator)).toHaveLength(1);
    expect(resumes(emulator).map((r) => r.body)).toEqual([
      { response: { approved: true, channel: 'newsletter', notes: 'ship it' } },
    ]);
  });

  it('declined: the paused result with its run_id and how to resume later; nothing resumed', async () => {
    const { emulator, env } = await emulatorEnv();
    const u = formUser({ action: 'decline' });
    const client = await serveWithFormClient(era, transport, { args: ARGS, env }, { name: NAME, user: u });
    const result = await client.call('run_orchestration', { orch_id: 'orch_publish_approval' });
    expect(result.isError, textOf(result)).toBeFalsy();
    const paused = jsonOf(result) as { status: string; run_id: string; next_step: string };
    expect(paused.status).toBe('paused');
    expect(paused.run_id).toMatch(/\S/);
    expect(paused.next_step).toContain('resume_orchestration_run');
    expect(u.asked).toHaveLength(1);
    expect(resumes(emulator)).toEqual([]);
    expect(starts(emulator)).toHaveLength(1);
  });
});

describe('a paused step with a field that has no name', () => {
  it('the form tells the user it could not be shown; declined, the paused result tells the model', async () => {
    const { emulator, env } = await emulatorEnv();
    for (const o of emulator.orchestrations) {
      for (const s of o.steps) if (s.id === 'approve') s.human_fields?.push({ type: 'text', label: '' });
    }
    const u = formUser({ action: 'decline' });
    const client = await serveWithFormClient('2025', 'stdio', { args: ARGS, env }, { name: NAME, user: u });
    const result = await client.call('run_orchestration', { orch_id: 'orch_publish_approval' });
    const said =
      '1 field of this step could not be shown because it has no name, so the answer may be incomplete.';
    expect(u.asked).toHaveLength(1);
    expect(u.asked[0]?.message.endsWith(`\n\n${said}`)).toBe(true);
    expect(u.asked[0]?.requestedSchema).toMatchObject({ required: ['approved', 'channel', 'notes'] });
    expect((jsonOf(result) as { next_step: string }).next_step).toContain(`${said} Tell the user.`);
    expect(resumes(emulator)).toEqual([]);
  });
});

describe('with --confirm writes', () => {
  it('a 2026 client confirms the run first, then answers its human step: two forms, one start, one resume', async () => {
    const { emulator, env } = await emulatorEnv();
    const u = formUser(
      { action: 'accept', content: { confirm: true } },
      { action: 'accept', content: { approved: false, channel: 'blog', notes: '' } },
    );
    const server = { args: [...ARGS, '--confirm', 'writes'], env };
    const client = await serveWithFormClient('2026', 'http', server, { name: 'writes', user: u });
    const result = await client.call('run_orchestration', { orch_id: 'orch_publish_approval' });
    expect(result.isError, textOf(result)).toBeFalsy();
    expect(jsonOf(result)).toMatchObject({
      status: 'completed',
      response: expect.stringContaining('Shelved'),
    });
    expect(u.asked.map((a) => a.message.split('\n')[0])).toEqual([
      'Start a new run of Synapse orchestration orch_publish_approval?',
      expect.stringMatching(/^Synapse orchestration run \S+ is waiting for your input\.$/),
    ]);
    expect(starts(emulator)).toHaveLength(1);
    expect(resumes(emulator).map((r) => r.body)).toEqual([
      { response: { approved: false, channel: 'blog', notes: '' } },
    ]);
  });
});
