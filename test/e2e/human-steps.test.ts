/**
 * Synapse human steps through the client, end to end: the BUILT server as a process, a Synapse emulator of
 * the test's own (its publish-with-approval orchestration pauses at a HUMAN step with a boolean, a select and
 * a text field), and real clients that show a form — the v1 SDK Client (2025, elicitation/create) and the
 * v2 client pinned to 2026-07-28 (input_required rounds), over stdio and HTTP. The user's typed answers
 * resume the run exactly once; declining gives the paused result back with its run_id, and resumes nothing.
 */
import { Client as ClientV2, StreamableHTTPClientTransport as HttpV2 } from '@modelcontextprotocol/client';
import { StdioClientTransport as StdioV2 } from '@modelcontextprotocol/client/stdio';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { type CallToolResult, ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { createSynapseEmulator, type SynapseEmulator } from '../../src/sandbox/synapse/index.js';
import { CLI, childEnv, cleanup, jsonOf, startHttp, textOf } from './spawn.js';

type Answer = {
  action: 'accept' | 'decline' | 'cancel';
  content?: Record<string, string | number | boolean>;
};

const closers: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  await Promise.allSettled(closers.splice(0).map((c) => c()));
  await cleanup();
});

interface Asked {
  message: string;
  requestedSchema: unknown;
}

async function emulatorEnv(): Promise<{ emulator: SynapseEmulator; env: Record<string, string> }> {
  const emulator = createSynapseEmulator();
  const baseUrl = await emulator.listen();
  closers.push(() => emulator.close());
  return { emulator, env: childEnv({ SYNAPSE_API_KEY: emulator.apiKey, SYNAPSE_BASE_URL: baseUrl }) };
}

/** A client of `era` over `transport` whose user gives `answers` in turn (then cancels). */
async function connect(
  era: '2025' | '2026',
  transport: 'stdio' | 'http',
  env: Record<string, string>,
  answers: Answer[],
): Promise<{ call: (name: string, a: Record<string, unknown>) => Promise<CallToolResult>; asked: Asked[] }> {
  const asked: Asked[] = [];
  const onElicit = (params: Asked): Answer => {
    asked.push({ message: params.message, requestedSchema: params.requestedSchema });
    return answers.shift() ?? { action: 'cancel' };
  };
  const args = ['--toolsets', 'synapse,synapse_write'];
  const info = { name: 'human-steps-e2e', version: '0' };
  if (era === '2025') {
    const client = new Client(info, { capabilities: { elicitation: {} } });
    client.setRequestHandler(ElicitRequestSchema, async (request) => onElicit(request.params as Asked));
    if (transport === 'stdio') {
      await client.connect(
        new StdioClientTransport({ command: process.execPath, args: [CLI, ...args], env, stderr: 'pipe' }),
      );
    } else {
      const { url } = await startHttp(args, env);
      await client.connect(new StreamableHTTPClientTransport(new URL(url)));
    }
    closers.push(() => client.close());
    return {
      call: async (name, a) => (await client.callTool({ name, arguments: a })) as CallToolResult,
      asked,
    };
  }
  const client = new ClientV2(info, {
    capabilities: { elicitation: {} },
    versionNegotiation: { mode: { pin: '2026-07-28' } },
  });
  client.setRequestHandler('elicitation/create', async (request) => onElicit(request.params as Asked));
  if (transport === 'stdio') {
    await client.connect(
      new StdioV2({ command: process.execPath, args: [CLI, ...args], env, stderr: 'pipe' }),
    );
  } else {
    const { url } = await startHttp(args, env);
    await client.connect(new HttpV2(new URL(url)));
  }
  closers.push(() => client.close());
  return {
    call: async (name, a) => (await client.callTool({ name, arguments: a })) as CallToolResult,
    asked,
  };
}

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
] as const)('a %s client over %s with form elicitation', (era, transport) => {
  it('a paused run asks the user with its typed form; the typed answers resume it once, to completion', async () => {
    const { emulator, env } = await emulatorEnv();
    const client = await connect(era, transport, env, [
      { action: 'accept', content: { approved: true, channel: 'newsletter', notes: 'ship it' } },
    ]);
    const result = await client.call('run_orchestration', {
      orch_id: 'orch_publish_approval',
      message: 'v2.0',
    });
    expect(result.isError, textOf(result)).toBeFalsy();
    expect(jsonOf(result)).toMatchObject({
      status: 'completed',
      response: expect.stringContaining('Published the announcement on newsletter. Notes: ship it'),
    });
    expect(client.asked).toHaveLength(1);
    expect(client.asked[0]?.message).toMatch(/^Synapse orchestration run \S+ is waiting for your input\./);
    expect(client.asked[0]?.message).toContain('Please review the draft and approve or reject it');
    expect(client.asked[0]?.requestedSchema).toMatchObject({
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
    const client = await connect(era, transport, env, [{ action: 'decline' }]);
    const result = await client.call('run_orchestration', { orch_id: 'orch_publish_approval' });
    expect(result.isError, textOf(result)).toBeFalsy();
    const paused = jsonOf(result) as { status: string; run_id: string; next_step: string };
    expect(paused.status).toBe('paused');
    expect(paused.run_id).toMatch(/\S/);
    expect(paused.next_step).toContain('resume_orchestration_run');
    expect(client.asked).toHaveLength(1);
    expect(resumes(emulator)).toEqual([]);
    expect(starts(emulator)).toHaveLength(1);
  });
});

describe('with --confirm writes', () => {
  it('a 2026 client confirms the run first, then answers its human step: two forms, one start, one resume', async () => {
    const { emulator, env } = await emulatorEnv();
    const asked: Asked[] = [];
    const answers: Answer[] = [
      { action: 'accept', content: { confirm: true } },
      { action: 'accept', content: { approved: false, channel: 'blog', notes: '' } },
    ];
    const client = new ClientV2(
      { name: 'writes', version: '0' },
      { capabilities: { elicitation: {} }, versionNegotiation: { mode: { pin: '2026-07-28' } } },
    );
    client.setRequestHandler('elicitation/create', async (request) => {
      const params = request.params as Asked;
      asked.push(params);
      return answers.shift() ?? { action: 'cancel' };
    });
    const { url } = await startHttp(['--toolsets', 'synapse,synapse_write', '--confirm', 'writes'], env);
    await client.connect(new HttpV2(new URL(url)));
    closers.push(() => client.close());
    const result = (await client.callTool({
      name: 'run_orchestration',
      arguments: { orch_id: 'orch_publish_approval' },
    })) as CallToolResult;
    expect(result.isError, textOf(result)).toBeFalsy();
    expect(jsonOf(result)).toMatchObject({
      status: 'completed',
      response: expect.stringContaining('Shelved'),
    });
    expect(asked.map((a) => a.message.split('\n')[0])).toEqual([
      'Start a new run of Synapse orchestration orch_publish_approval?',
      expect.stringMatching(/^Synapse orchestration run \S+ is waiting for your input\.$/),
    ]);
    expect(starts(emulator)).toHaveLength(1);
    expect(resumes(emulator).map((r) => r.body)).toEqual([
      { response: { approved: false, channel: 'blog', notes: '' } },
    ]);
  });
});
