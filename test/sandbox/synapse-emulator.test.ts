import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../src/sandbox/common/clock.js';
import {
  AGENT_ERROR_DETAIL,
  CHAT_STAND_IN_TEXT,
  createSynapseEmulator,
  DEFAULT_SANDBOX_API_KEY,
  INTERNAL_ERROR_DETAIL,
  LLM_ERROR_TEXT,
  LOCAL_AGENT_ERROR_TEXT,
  type SynapseEmulator,
} from '../../src/sandbox/synapse/index.js';
import { pythonJson } from '../../src/sandbox/synapse/sse.js';

const START = Date.UTC(2025, 0, 1);
/** The event types of a chat turn with an agent that uses a tool, in `/chat/stream` order. */
const CHAT_TURN_EVENTS = [
  'session',
  'status',
  'thinking',
  'tool_execution',
  'tool_result',
  'llm_thought',
  'response',
  'done',
];
let emulator: SynapseEmulator;
let base: string;

beforeAll(async () => {
  emulator = createSynapseEmulator({ clock: new ManualClock(START), pacing: 0 });
  base = await emulator.listen();
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());
afterEach(() => emulator.clearFaults());

const AUTH = { authorization: `Bearer ${DEFAULT_SANDBOX_API_KEY}` };

async function call(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = AUTH,
): Promise<{ status: number; headers: Headers; body: unknown }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

/** Reads a whole SSE response: the raw text and the parsed `data:` events. */
async function stream(
  path: string,
  body: unknown,
): Promise<{ res: Response; raw: string; events: Array<Record<string, unknown>> }> {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { ...AUTH, 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify(body),
  });
  const raw = await res.text();
  const events = raw
    .split('\n\n')
    .filter((block) => block !== '')
    .map((block) => {
      expect(block.startsWith('data: ')).toBe(true);
      return JSON.parse(block.slice('data: '.length)) as Record<string, unknown>;
    });
  return { res, raw, events };
}

describe('auth (HTTPBearer + key lookup)', () => {
  it('the default key has the documented shape', () => {
    expect(DEFAULT_SANDBOX_API_KEY).toMatch(/^sk-syn-[0-9a-f]{64}$/);
    expect(emulator.url).toBe(base);
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1$/);
  });

  it('missing header → 403 Not authenticated; wrong key → 401 with WWW-Authenticate: Bearer', async () => {
    const missing = await call('GET', '/agents', undefined, {});
    expect(missing).toMatchObject({ status: 403, body: { detail: 'Not authenticated' } });
    const basic = await call('GET', '/agents', undefined, { authorization: 'Basic abc' });
    expect(basic.status).toBe(403);
    const wrong = await call('GET', '/agents', undefined, {
      authorization: `Bearer sk-syn-${'0'.repeat(64)}`,
    });
    expect(wrong).toMatchObject({ status: 401, body: { detail: 'Invalid or revoked API key' } });
    expect(wrong.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('newer FastAPI answers 401 for a missing header when configured so', async () => {
    const newer = createSynapseEmulator({ missingAuthStatus: 401 });
    const url = await newer.listen();
    try {
      const res = await fetch(`${url}/agents`);
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ detail: 'Not authenticated' });
    } finally {
      await newer.close();
    }
  });

  it('a replaced key revokes the old one', async () => {
    emulator.apiKey = `sk-syn-${'1'.repeat(64)}`;
    expect((await call('GET', '/agents')).status).toBe(401);
    expect(
      (await call('GET', '/agents', undefined, { authorization: `Bearer ${emulator.apiKey}` })).status,
    ).toBe(200);
  });

  it('unknown routes are 404 Not Found and wrong methods 405, before auth; /openapi.json is public', async () => {
    expect(await call('GET', '/nope', undefined, {})).toMatchObject({
      status: 404,
      body: { detail: 'Not Found' },
    });
    expect(await call('DELETE', '/agents', undefined, {})).toMatchObject({
      status: 405,
      body: { detail: 'Method Not Allowed' },
    });
    const spec = await fetch(base.replace('/api/v1', '/openapi.json'));
    expect(spec.status).toBe(200);
    expect(Object.keys(((await spec.json()) as { paths: object }).paths)).toHaveLength(10);
  });
});

describe('agents and orchestrations', () => {
  it('lists agents as a bare array and 404s an unknown id with {detail}', async () => {
    const list = await call('GET', '/agents');
    expect(list.status).toBe(200);
    expect(list.headers.get('content-type')).toMatch(/^application\/json/);
    expect((list.body as Array<{ id: string }>).map((a) => a.id)).toEqual([
      'agent_research',
      'agent_writer',
      'agent_code',
      'agent_publisher',
    ]);
    expect((list.body as Array<{ type: string }>)[3]?.type).toBe('orchestrator');
    const one = await call('GET', '/agents/agent_writer');
    expect(one.body).toEqual({
      id: 'agent_writer',
      name: 'Report Writer',
      type: 'conversational',
      model: '',
      capabilities: [],
      description: 'Turns notes into a short, well-structured report.',
    });
    expect(await call('GET', '/agents/Report%20Writer')).toMatchObject({
      status: 404,
      body: { detail: "Agent 'Report Writer' not found" },
    });
  });

  it('lists orchestrations with step counts; one orchestration as v1.4.3 shows it (§2c)', async () => {
    const list = await call('GET', '/orchestrations');
    expect(list.body).toContainEqual({
      id: 'orch_research_report',
      name: 'Research report',
      description: 'Researches a topic, checks the findings are enough, then writes a short report.',
      steps: 4,
    });
    const one = (await call('GET', '/orchestrations/orch_research_report')).body as {
      steps: unknown[];
      edges: unknown[];
    };
    // Labels always "", no depends_on, no edges, no human prompts or fields.
    expect(one.steps[1]).toEqual({
      id: 'review',
      label: '',
      type: 'evaluator',
      agent_id: null,
      depends_on: [],
    });
    expect(one.edges).toEqual([]);
    const approval = (await call('GET', '/orchestrations/orch_publish_approval')).body as {
      steps: unknown[];
    };
    expect(approval.steps[1]).toEqual({
      id: 'approve',
      label: '',
      type: 'human',
      agent_id: null,
      depends_on: [],
    });
    expect(await call('GET', '/orchestrations/x')).toMatchObject({
      status: 404,
      body: { detail: "Orchestration 'x' not found" },
    });
  });
});

describe('/chat', () => {
  it.each([
    ['agent_code', 'agent_code'], // exact id
    ['report writer', 'agent_writer'], // case-insensitive name
    ['review', 'agent_code'], // partial name
    ['unknown agent', 'agent_research'], // fallback: first agent
    [undefined, 'agent_research'], // omitted: first agent
  ])('resolves agent %s to %s', async (agent, id) => {
    const res = await call(
      'POST',
      '/chat',
      agent === undefined ? { message: 'hi' } : { message: 'hi', agent },
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ agent_id: id, session_id: expect.stringMatching(/^api_[0-9a-f]{12}$/) });
  });

  it('validates the body like FastAPI (422 list) and reports the documented failures', async () => {
    const empty = await call('POST', '/chat', {});
    expect(empty).toMatchObject({
      status: 422,
      body: { detail: [{ type: 'missing', loc: ['body', 'message'], msg: 'Field required', input: {} }] },
    });
    const noBody = await call('POST', '/chat');
    expect(noBody.body).toEqual({
      detail: [{ type: 'missing', loc: ['body'], msg: 'Field required', input: null }],
    });
    const badImages = await call('POST', '/chat', { message: 'x', images: [1] });
    expect(badImages.body).toMatchObject({ detail: [{ type: 'string_type', loc: ['body', 'images', 0] }] });

    emulator.agents = [];
    expect(await call('POST', '/chat', { message: 'x' })).toMatchObject({
      status: 400,
      body: { detail: 'No agents configured' },
    });
    emulator.reset();
    emulator.starting = true;
    expect(await call('POST', '/chat/stream', { message: 'x' })).toMatchObject({
      status: 503,
      body: { detail: 'No agent sessions available. Server may still be starting.' },
    });
    emulator.reset();
    emulator.llm = 'error';
    expect(await call('POST', '/chat', { message: 'x' })).toMatchObject({
      status: 500,
      body: { detail: AGENT_ERROR_DETAIL },
    });
    emulator.llm = 'local_down';
    expect(await call('POST', '/chat', { message: 'x' })).toMatchObject({
      status: 200,
      body: { response: LOCAL_AGENT_ERROR_TEXT },
    });
  });

  it('/chat/stream speaks the documented wire format and event order', async () => {
    const { res, raw, events } = await stream('/chat/stream', {
      message: 'hello',
      session_id: 'api_aaaaaaaaaaaa',
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.headers.get('x-accel-buffering')).toBe('no');
    expect(raw).not.toMatch(/^(event|id):/m);
    expect(raw.startsWith('data: {"type": "session", "session_id": "api_aaaaaaaaaaaa", ')).toBe(true);
    expect(raw.endsWith('data: {"type": "done"}\n\n')).toBe(true);
    expect(events.map((e) => e.type)).toEqual(CHAT_TURN_EVENTS);
    expect(events[6]).toMatchObject({ intent: 'chat', session_id: 'api_aaaaaaaaaaaa' });
  });

  it('/chat/stream with a failing LLM sends error, then a response with the raw text, then done (§2b)', async () => {
    emulator.llm = 'error';
    const { events } = await stream('/chat/stream', { message: 'x' });
    expect(events.map((e) => e.type)).toEqual(['session', 'status', 'error', 'response', 'done']);
    expect(events[2]).toEqual({ type: 'error', message: AGENT_ERROR_DETAIL });
    expect(events[3]).toMatchObject({ content: LLM_ERROR_TEXT });
  });

  it('a turn without an answer: /chat sends its stand-in text, /chat/stream a response with content "" (api_v1)', async () => {
    emulator.answerless = true;
    expect(await call('POST', '/chat', { message: 'x' })).toMatchObject({
      status: 200,
      body: { response: CHAT_STAND_IN_TEXT, agent_id: 'agent_research' },
    });
    const { events } = await stream('/chat/stream', { message: 'x' });
    expect(events.map((e) => e.type)).toEqual(CHAT_TURN_EVENTS);
    expect(events[6]).toMatchObject({ type: 'response', content: '', intent: 'chat' });
    emulator.reset();
    expect(emulator.answerless).toBe(false);
  });

  it("a turn failing with api_v1's catch-all: /chat 500 with its detail, /chat/stream an error event then done", async () => {
    emulator.internalError = true;
    expect(await call('POST', '/chat', { message: 'x' })).toMatchObject({
      status: 500,
      body: { detail: INTERNAL_ERROR_DETAIL },
    });
    const { events } = await stream('/chat/stream', { message: 'x' });
    expect(events.map((e) => e.type)).toEqual(['session', 'error', 'done']);
    expect(events[1]).toEqual({ type: 'error', message: INTERNAL_ERROR_DETAIL });
    emulator.reset();
    expect(emulator.internalError).toBe(false);
  });
});

describe('orchestration runs', () => {
  it('a sync run returns the RunResult with the documented run_id format', async () => {
    const res = await call('POST', '/orchestrations/orch_research_report/run', { message: 'topic' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'completed',
      run_id: `run_orch_research_report_${START}`,
      response: 'Report: topic — three sources agree; see findings for details.',
      shared_state: { user_input: 'topic', _routing_decision_review: 'write' },
    });
    expect((res.body as { step_history: unknown[] }).step_history).toHaveLength(3);
    const second = await call('POST', '/orchestrations/orch_research_report/run', {});
    expect(second.body).toMatchObject({ run_id: `run_orch_research_report_${START + 1}` });
  });

  it('needs a JSON body (422) and an existing orchestration (404, also before streaming)', async () => {
    expect((await call('POST', '/orchestrations/orch_research_report/run')).status).toBe(422);
    expect(await call('POST', '/orchestrations/nope/run', {})).toMatchObject({
      status: 404,
      body: { detail: "Orchestration 'nope' not found" },
    });
    const streamed = await call('POST', '/orchestrations/nope/run/stream', {});
    expect(streamed.status).toBe(404);
    expect(streamed.headers.get('content-type')).toMatch(/^application\/json/);
  });

  it('/run/stream sends the engine events in order and ends with done', async () => {
    const { events } = await stream('/orchestrations/orch_research_report/run/stream', { message: 't' });
    expect(events.map((e) => e.type)).toEqual([
      'orchestration_start',
      'step_start',
      'thinking',
      'tool_execution',
      'tool_result',
      'tool_execution',
      'tool_result',
      'final',
      'step_complete',
      'step_start',
      'thinking',
      'routing_decision',
      'step_complete',
      'routing_decision',
      'step_start',
      'thinking',
      'final',
      'step_complete',
      'step_start',
      'orchestration_end',
      'orchestration_complete',
      'final',
      'done',
    ]);
    expect(events[3]).toEqual({
      type: 'tool_execution',
      tool_name: 'web_search',
      args: { query: 't' },
      step_name: 'Research',
      orch_step_id: 'research',
    });
    expect(events[13]).toEqual({
      type: 'routing_decision',
      orch_step_id: 'review',
      decision: 'write',
      target_step_id: 'write',
      reasoning: 'The findings cite enough sources to write the report.',
    });
    expect(events[21]).toMatchObject({ intent: 'orchestration', data: { status: 'completed' } });
  });

  it('pauses for human input (stream ends after it with done) and resumes with the given fields', async () => {
    const { events } = await stream('/orchestrations/orch_publish_approval/run/stream', {});
    expect(events.map((e) => e.type)).toEqual([
      'orchestration_start',
      'step_start',
      'thinking',
      'final',
      'step_complete',
      'step_start',
      'human_input_required',
      'done',
    ]);
    const runId = `run_orch_publish_approval_${START}`;
    expect(events[6]).toMatchObject({ orch_step_id: 'approve', run_id: runId, channel_id: null });

    const resumed = await call('POST', `/orchestrations/runs/${runId}/resume`, {
      response: { approved: true, channel: 'blog', notes: 'wait for legal' },
    });
    expect(resumed.body).toMatchObject({
      status: 'completed',
      response: 'Published the announcement on blog. Notes: wait for legal',
      shared_state: {
        human_response: { approved: true, channel: 'blog', notes: 'wait for legal' },
      },
    });
    // No guard upstream: a finished run can be resumed again and answers completed again.
    const again = await call('POST', `/orchestrations/runs/${runId}/resume`, { response: 'yes' });
    expect(again.body).toMatchObject({
      status: 'completed',
      shared_state: { human_response: { response: 'yes' } },
    });
  });

  it('a sync paused run answers the documented paused shape', async () => {
    const res = await call('POST', '/orchestrations/orch_publish_approval/run', { message: 'm' });
    expect(res.body).toEqual({
      status: 'paused',
      run_id: `run_orch_publish_approval_${START}`,
      human_input_required: {
        step_id: 'approve',
        prompt: 'Please review the draft and approve or reject it: Draft: "m" — ready for review.',
        // Typed fields as the backend stores them, one written with `key` like its example bundles.
        fields: [
          { name: 'approved', type: 'boolean', label: 'Approve publication?' },
          { name: 'channel', type: 'select', label: 'Where to publish', options: ['blog', 'newsletter'] },
          { key: 'notes', type: 'text', label: 'Notes for the writer' },
        ],
        agent_context: 'Draft: "m" — ready for review.',
      },
    });
  });

  it('an unknown run: sync resume 404, resume/stream 200 with orchestration_error then done', async () => {
    expect(await call('POST', '/orchestrations/runs/run_x/resume', {})).toMatchObject({
      status: 404,
      body: { detail: "Run 'run_x' not found" },
    });
    const { res, events } = await stream('/orchestrations/runs/run_x/resume/stream', { response: {} });
    expect(res.status).toBe(200);
    expect(events).toEqual([
      { type: 'orchestration_error', error: "Run 'run_x' not found" },
      { type: 'done' },
    ]);
    const bad = await call('POST', '/orchestrations/runs/run_x/resume', { response: 3 });
    expect(bad.status).toBe(422);
  });

  it('a step with reports_error sends step_error for it and carries on: the run still completes', async () => {
    emulator.orchestrations = emulator.orchestrations.map((o) => ({
      ...o,
      steps: o.steps.map((s) => (s.id === 'research' ? { ...s, reports_error: 'Index down' } : s)),
    }));
    const { events } = await stream('/orchestrations/orch_research_report/run/stream', {});
    const types = events.map((e) => e.type);
    expect(types.slice(1, 3)).toEqual(['step_start', 'step_error']);
    expect(events[2]).toEqual({ type: 'step_error', orch_step_id: 'research', error: 'Index down' });
    expect(events.find((e) => e.type === 'orchestration_complete')).toMatchObject({ status: 'completed' });
  });

  it('a failing step fails the run; a broken graph reports orchestration_error', async () => {
    const failed = await call('POST', '/orchestrations/orch_data_sync/run', {});
    expect(failed.body).toMatchObject({
      status: 'failed',
      response: 'Orchestration failed. Error: Warehouse connection refused (sandbox)',
    });
    const { events } = await stream('/orchestrations/orch_broken_graph/run/stream', {});
    expect(events.map((e) => e.type).slice(-4)).toEqual([
      'orchestration_error',
      'orchestration_complete',
      'final',
      'done',
    ]);
    expect(events.at(-4)).toEqual({ type: 'orchestration_error', error: "Step 'missing_step' not found" });
  });
});

describe('behaviour of the real backend (§2c)', () => {
  it.each([
    [true, 'publish', 'Published the announcement on blog.'],
    ['true', 'shelve', 'Shelved the announcement (not approved).'],
    ['yes', 'shelve', 'Shelved the announcement (not approved).'],
    [false, 'shelve', 'Shelved the announcement (not approved).'],
  ])(
    'the IF step compares approved == True typed: %j takes the %s branch',
    async (approved, branch, answer) => {
      await call('POST', '/orchestrations/orch_publish_approval/run', {});
      const runId = `run_orch_publish_approval_${START}`;
      const { events } = await stream(`/orchestrations/runs/${runId}/resume/stream`, {
        response: { approved, channel: 'blog' },
      });
      expect(events.filter((e) => e.type === 'if_decision')).toEqual([
        {
          type: 'if_decision',
          orch_step_id: 'check',
          step_name: 'Approved?',
          condition: 'state.human_response.approved == True',
          result: branch === 'publish' ? 'true' : 'false',
        },
        {
          type: 'if_decision',
          orch_step_id: 'check',
          decision: branch === 'publish' ? 'true' : 'false',
          target_step_id: branch,
        },
      ]);
      expect(events.find((e) => e.type === 'final' && e.intent === 'orchestration')).toMatchObject({
        response: answer,
      });
    },
  );

  it.each([
    ['local_down', LOCAL_AGENT_ERROR_TEXT],
    ['error', LLM_ERROR_TEXT],
  ] as const)(
    'a %s model failure in a run: the step completes with the error text as output',
    async (mode, text) => {
      emulator.llm = mode;
      const sync = await call('POST', '/orchestrations/orch_research_report/run', { message: 't' });
      expect(sync.body).toMatchObject({
        status: 'completed',
        shared_state: { findings: text },
        step_history: expect.arrayContaining([
          expect.objectContaining({ step_id: 'research', output_key: 'findings' }),
        ]),
      });
      emulator.reset();
      emulator.llm = mode;
      const { events } = await stream('/orchestrations/orch_research_report/run/stream', { message: 't' });
      const research = events.filter((e) => e.orch_step_id === 'research').map((e) => e.type);
      expect(research).toEqual(
        mode === 'error'
          ? ['step_start', 'thinking', 'error', 'final', 'step_complete']
          : ['step_start', 'thinking', 'llm_thought', 'final', 'step_complete'],
      );
      if (mode === 'error') {
        expect(events.find((e) => e.type === 'error')).toEqual({
          type: 'error',
          message: LLM_ERROR_TEXT,
          orch_step_id: 'research',
          step_name: 'Research',
        });
      }
      expect(events.at(-1)).toEqual({ type: 'done' });
      expect(events.find((e) => e.type === 'orchestration_complete')).toMatchObject({ status: 'completed' });
    },
  );

  it('a provider error in a resumed run: the resume stream tags an error event with the step; sync tells only the output', async () => {
    await call('POST', '/orchestrations/orch_publish_approval/run', {});
    await call('POST', '/orchestrations/orch_publish_approval/run', {});
    const [streamed, plain] = [...emulator.runs.keys()];
    emulator.llm = 'error';
    const answers = { response: { approved: true, channel: 'blog' } };
    const { events } = await stream(`/orchestrations/runs/${streamed}/resume/stream`, answers);
    expect(events.filter((e) => e.orch_step_id === 'publish').map((e) => e.type)).toEqual([
      'step_start',
      'thinking',
      'error',
      'final',
      'step_complete',
    ]);
    expect(events.find((e) => e.type === 'error')).toEqual({
      type: 'error',
      message: LLM_ERROR_TEXT,
      orch_step_id: 'publish',
      step_name: 'Publish',
    });
    expect(events.find((e) => e.type === 'orchestration_complete')).toMatchObject({ status: 'completed' });
    expect(events.at(-1)).toEqual({ type: 'done' });
    // The sync RunResult has no events: the failure shows only as the step's output, read as an answer.
    const sync = await call('POST', `/orchestrations/runs/${plain}/resume`, answers);
    expect(sync.body).toMatchObject({
      status: 'completed',
      response: LLM_ERROR_TEXT,
      shared_state: { result: LLM_ERROR_TEXT },
    });
  });

  it('chat with an orchestrator agent runs its orchestration: a done after each step output, the pause unseen', async () => {
    const { events } = await stream('/chat/stream', { message: 'v3', agent: 'Publishing Orchestrator' });
    expect(events.map((e) => e.type)).toEqual(['session', 'status', 'thinking', 'response', 'done']);
    expect(events[3]).toMatchObject({ content: 'Draft: "v3" — ready for review.' });
    expect(emulator.runs.get(`run_orch_publish_approval_${START}`)?.status).toBe('paused');
    // The sync route answers the last step output as if it were the answer.
    const sync = await call('POST', '/chat', { message: 'v4', agent: 'agent_publisher' });
    expect(sync.body).toMatchObject({
      response: 'Draft: "v4" — ready for review.',
      agent_id: 'agent_publisher',
    });
  });

  it('a stall fault holds the stream silent for stallMs, then carries on to done', async () => {
    emulator.injectStream({ path: '/chat/stream', afterEvents: 1, mode: 'stall', stallMs: 1_000 });
    const streamed = stream('/chat/stream', { message: 'x' });
    await vi.waitFor(() => expect(emulator.streams[0]?.sent.length).toBe(1));
    // Unpaced, the rest would follow at once: a whole request answered meanwhile finds the stream still silent.
    expect((await call('GET', '/agents')).status).toBe(200);
    expect(emulator.streams[0]?.sent).toHaveLength(1);
    expect(emulator.streams[0]?.state).toBe('open');
    const { events } = await streamed;
    expect(events.length).toBeGreaterThan(2);
    expect(events.at(-1)).toEqual({ type: 'done' });
    expect(emulator.streams[0]?.state).toBe('completed');
  });
});

describe('streams: pacing, disconnects and faults', () => {
  it('paces events with timers and clears them when the client disconnects', async () => {
    emulator.pacing = 5;
    const controller = new AbortController();
    const res = await fetch(`${base}/orchestrations/orch_research_report/run/stream`, {
      method: 'POST',
      headers: { ...AUTH, 'content-type': 'application/json' },
      body: '{}',
      signal: controller.signal,
    });
    const reader = res.body?.getReader();
    if (!reader) throw new Error('no body');
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toMatch(/^data: \{"type": "orchestration_start"/);
    expect(emulator.streams[0]?.state).toBe('open');
    expect(emulator.streams[0]?.pendingTimers).toBe(1);
    controller.abort();
    const closed = await emulator.waitForStreamClose();
    expect(closed.state).toBe('client_closed');
    expect(closed.pendingTimers).toBe(0);
    const sentAtClose = closed.sent.length;
    expect(sentAtClose).toBeLessThan(5);
    // Nothing keeps running: a later stream completes and the closed one never grew.
    emulator.pacing = 0;
    await stream('/chat/stream', { message: 'x' });
    expect(closed.sent).toHaveLength(sentAtClose);
  });

  it('cuts a stream after N events (socket destroyed) or ends it early without done', async () => {
    emulator.injectStream({ path: '/chat/stream', afterEvents: 2, mode: 'end' });
    const ended = await stream('/chat/stream', { message: 'x' });
    expect(ended.events.map((e) => e.type)).toEqual(['session', 'status']);
    expect(emulator.streams[0]?.state).toBe('ended_early');

    emulator.injectStream({ afterEvents: 3 });
    const res = await fetch(`${base}/chat/stream`, {
      method: 'POST',
      headers: { ...AUTH, 'content-type': 'application/json' },
      body: '{"message":"x"}',
    });
    await expect(res.text()).rejects.toThrow();
    const cut = await emulator.waitForStreamClose((r) => r.state === 'cut');
    expect(cut.sent).toEqual(['session', 'status', 'thinking']);
  });

  it('honours the shared HTTP faults (status with {detail})', async () => {
    emulator.inject({ path: '/agents', fault: { kind: 'status', status: 503 } });
    expect(await call('GET', '/agents')).toMatchObject({
      status: 503,
      body: { detail: 'Service Unavailable.' },
    });
    expect(emulator.requests.at(-1)?.path).toBe('/api/v1/agents');
  });

  it('formats events like Python json.dumps (separators, ASCII escapes)', () => {
    expect(pythonJson({ type: 'x', a: [1, 'é'], b: null, c: true })).toBe(
      '{"type": "x", "a": [1, "\\u00e9"], "b": null, "c": true}',
    );
  });
});
