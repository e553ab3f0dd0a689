import type { CallToolResult, Progress } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/sandbox/common.js';
import {
  createSynapseEmulator,
  LLM_ERROR_TEXT,
  LOCAL_AGENT_ERROR_TEXT,
  type SynapseEmulator,
} from '../../src/sandbox/synapse/index.js';
import { toPublishedSchema } from '../../src/schema.js';
import { synapseToolsets } from '../../tools/synapse/index.js';
import { connectInProcess, type InProcess, jsonOf, textOf } from '../helpers/in-process.js';

const START = Date.UTC(2025, 0, 1);
let emulator: SynapseEmulator;
let mcp: InProcess;
let baseUrl: string;

beforeAll(async () => {
  emulator = createSynapseEmulator({ clock: new ManualClock(START), pacing: 0.1 });
  baseUrl = await emulator.listen();
  mcp = await connectInProcess(
    { SYNAPSE_API_KEY: emulator.apiKey, SYNAPSE_BASE_URL: baseUrl },
    ['--toolsets', 'all'],
    { maxRetries: 0 },
    synapseToolsets,
  );
});
afterAll(async () => {
  await mcp.close();
  await emulator.close();
});
beforeEach(() => emulator.reset());
afterEach(() => emulator.clearFaults());

const last = () => {
  const r = emulator.requests.at(-1);
  if (!r) throw new Error('no upstream request');
  return r;
};

/** tools/call with a progressToken (the SDK sends one when onprogress is given); collects the messages. */
async function callWithProgress(
  name: string,
  args: Record<string, unknown>,
): Promise<{ result: CallToolResult; progress: Progress[] }> {
  const progress: Progress[] = [];
  const result = (await mcp.client.callTool({ name, arguments: args }, undefined, {
    onprogress: (p) => progress.push(p),
  })) as CallToolResult;
  return { result, progress };
}

function expectAuthHeader(): void {
  expect(last().headers.authorization).toBe(`Bearer ${emulator.apiKey}`);
}

describe('list_agents', () => {
  it('sends GET /agents and returns every agent, no cursor', async () => {
    const result = await mcp.call('list_agents');
    expect(result.isError).toBeFalsy();
    expect(emulator.requests).toHaveLength(1);
    const req = last();
    expect(req.method).toBe('GET');
    expect(req.path).toBe('/api/v1/agents');
    expect(req.query).toEqual({});
    expect(req.body).toBeUndefined();
    expectAuthHeader();
    expect(result.structuredContent).toEqual({
      items: [
        {
          id: 'agent_research',
          name: 'Research Assistant',
          type: 'conversational',
          model: 'gpt-4o-mini',
          capabilities: ['web_search', 'summarize'],
        },
        { id: 'agent_writer', name: 'Report Writer', type: 'conversational', model: '', capabilities: [] },
        { id: 'agent_code', name: 'Code Reviewer', type: 'code', model: null, capabilities: ['read_file'] },
      ],
    });
    expect(jsonOf(result)).toEqual(result.structuredContent);
  });

  it('names the env var on a wrong key (401) and never shows the key', async () => {
    const bad = await connectInProcess(
      { SYNAPSE_API_KEY: `sk-syn-${'0'.repeat(64)}`, SYNAPSE_BASE_URL: baseUrl },
      ['--toolsets', 'all'],
      { maxRetries: 0 },
      synapseToolsets,
    );
    try {
      const result = await bad.call('list_agents');
      expect(result.isError).toBe(true);
      expect(textOf(result)).toMatch(/HTTP 401[\s\S]*message: Invalid or revoked API key/);
      expect(textOf(result)).toMatch(/SYNAPSE_API_KEY is missing, invalid or revoked/);
      expect(textOf(result)).not.toContain('0'.repeat(64));
    } finally {
      await bad.close();
    }
  });

  it('reads a 403 "Not authenticated" as a missing or invalid key too (api-notes §8.5)', async () => {
    emulator.inject({
      path: '/agents',
      fault: { kind: 'status', status: 403, body: { detail: 'Not authenticated' } },
    });
    const result = await mcp.call('list_agents');
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(
      /^Synapse refused the credential \(HTTP 403\)\. The key in SYNAPSE_API_KEY is missing, invalid or revoked\. Ask the user to check SYNAPSE_API_KEY; retrying will not help\.\n[\s\S]*\nmessage: Not authenticated\n/,
    );
  });
});

describe('get_agent', () => {
  it('sends GET /agents/{agent_id} and returns the agent with its description', async () => {
    const result = await mcp.call('get_agent', { agent_id: 'agent_code' });
    expect(result.isError).toBeFalsy();
    const req = last();
    expect(req.method).toBe('GET');
    expect(req.path).toBe('/api/v1/agents/agent_code');
    expect(req.body).toBeUndefined();
    expectAuthHeader();
    expect(result.structuredContent).toEqual({
      id: 'agent_code',
      name: 'Code Reviewer',
      type: 'code',
      model: null,
      capabilities: ['read_file'],
      description: 'Reviews code changes and points out risks.',
    });
  });

  it('encodes the id as one path segment and reports 404 with the list tool', async () => {
    const result = await mcp.call('get_agent', { agent_id: 'Research Assistant/x' });
    expect(last().path).toBe('/api/v1/agents/Research%20Assistant%2Fx');
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(
      /not found \(HTTP 404\)[\s\S]*message: Agent 'Research Assistant\/x' not found/,
    );
    expect(textOf(result)).toMatch(/list valid ones with `list_agents`/);
  });
});

describe('list_orchestrations and get_orchestration', () => {
  it('list_orchestrations sends GET /orchestrations and returns step counts', async () => {
    const result = await mcp.call('list_orchestrations');
    expect(result.isError).toBeFalsy();
    expect(last()).toMatchObject({
      method: 'GET',
      path: '/api/v1/orchestrations',
      query: {},
      body: undefined,
    });
    expectAuthHeader();
    const items = (result.structuredContent as { items: unknown[] }).items;
    expect(items).toHaveLength(4);
    expect(items[1]).toEqual({
      id: 'orch_publish_approval',
      name: 'Publish with approval',
      description: 'Drafts an announcement, pauses for a human to approve it, then publishes or shelves it.',
      steps: 4,
    });
  });

  it('get_orchestration sends GET /orchestrations/{orch_id} and returns steps and edges', async () => {
    const result = await mcp.call('get_orchestration', { orch_id: 'orch_publish_approval' });
    expect(result.isError).toBeFalsy();
    expect(last()).toMatchObject({ method: 'GET', path: '/api/v1/orchestrations/orch_publish_approval' });
    expectAuthHeader();
    const sc = result.structuredContent as { steps: unknown[]; edges: unknown[] };
    expect(sc.steps).toEqual([
      { id: 'draft', label: 'Draft announcement', type: 'agent', agent_id: 'agent_writer', depends_on: [] },
      { id: 'approve', label: 'Approval', type: 'human', agent_id: null, depends_on: ['draft'] },
      { id: 'publish', label: 'Publish', type: 'agent', agent_id: 'agent_writer', depends_on: ['approve'] },
      { id: 'end', label: 'End', type: 'end', agent_id: null, depends_on: ['publish'] },
    ]);
    expect(sc.edges).toHaveLength(3);
  });

  it('get_orchestration reports an unknown id with the list tool', async () => {
    const result = await mcp.call('get_orchestration', { orch_id: 'nope' });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/`list_orchestrations`[\s\S]*Orchestration 'nope' not found/);
  });
});

describe('chat (synchronous: no progressToken)', () => {
  it('sends exactly the given fields to POST /chat and returns who answered', async () => {
    const args = {
      message: 'Find papers on SSE',
      agent: 'research',
      session_id: 'api_0123456789ab',
      images: ['aGk='],
    };
    const result = await mcp.call('chat', args);
    expect(result.isError).toBeFalsy();
    expect(emulator.requests).toHaveLength(1);
    const req = last();
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/api/v1/chat');
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers.accept).toBe('application/json');
    expectAuthHeader();
    expect(req.body).toEqual(args);
    expect(result.structuredContent).toEqual({
      response:
        'Research Assistant (turn 1): after using web_search, here is my answer to "Find papers on SSE".',
      agent_id: 'agent_research',
      agent_name: 'Research Assistant',
      session_id: 'api_0123456789ab',
    });
    expect(emulator.streams).toHaveLength(0);
  });

  it('sends only the message when nothing else is given; the first agent answers', async () => {
    const result = await mcp.call('chat', { message: 'hello' });
    expect(last().body).toEqual({ message: 'hello' });
    const sc = result.structuredContent as { agent_id: string; session_id: string };
    expect(sc.agent_id).toBe('agent_research');
    expect(sc.session_id).toMatch(/^api_[0-9a-f]{12}$/);
  });

  it('reports the agent that really answered when the name falls back (no 404 upstream)', async () => {
    const result = await mcp.call('chat', { message: 'hi', agent: 'REPORT WRITER' });
    expect(result.structuredContent).toMatchObject({ agent_id: 'agent_writer', agent_name: 'Report Writer' });
    const fallback = await mcp.call('chat', { message: 'hi', agent: 'nobody-like-this' });
    expect(fallback.structuredContent).toMatchObject({ agent_id: 'agent_research' });
  });

  it('turns a 200 "Local Agent Error:" answer into an error result (§2b)', async () => {
    emulator.llm = 'local_down';
    const result = await mcp.call('chat', { message: 'hi' });
    expect(result.isError).toBe(true);
    expect(result.structuredContent).toBeUndefined();
    expect(textOf(result)).toMatch(/^Synapse chat failed: the agent's model server is unreachable/);
    expect(textOf(result)).toContain(LOCAL_AGENT_ERROR_TEXT);
  });

  it('reports the agent failure (500) without replaying the POST', async () => {
    emulator.llm = 'error';
    const result = await mcp.call('chat', { message: 'hi' });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(
      /Synapse is unavailable \(HTTP 500\)[\s\S]*message: The agent encountered an error/,
    );
    expect(emulator.requests).toHaveLength(1);
  });

  it('reports 400 No agents configured and 503 still starting', async () => {
    emulator.agents = [];
    const none = await mcp.call('chat', { message: 'hi' });
    expect(textOf(none)).toMatch(/rejected the request \(HTTP 400\)[\s\S]*message: No agents configured/);
    emulator.reset();
    emulator.starting = true;
    const starting = await mcp.call('chat', { message: 'hi' });
    expect(textOf(starting)).toMatch(/unavailable \(HTTP 503\)[\s\S]*message: No agent sessions available/);
    expect(emulator.requests).toHaveLength(1);
  });

  it('refuses an empty message and unknown fields before sending anything', async () => {
    const result = await mcp.call('chat', { message: '', stream: true });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/message/);
    expect(textOf(result)).toMatch(/unknown field\(s\) stream/);
    expect(emulator.requests).toHaveLength(0);
  });
});

describe('chat (streaming: progressToken sent)', () => {
  it('uses POST /chat/stream and sends one progress notification per event, in order', async () => {
    const { result, progress } = await callWithProgress('chat', {
      message: 'Find papers on SSE',
      agent: 'agent_research',
    });
    expect(result.isError).toBeFalsy();
    const req = last();
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/api/v1/chat/stream');
    expect(req.headers.accept).toBe('text/event-stream');
    expectAuthHeader();
    expect(req.body).toEqual({ message: 'Find papers on SSE', agent: 'agent_research' });
    const sc = result.structuredContent as { session_id: string };
    expect(progress.map((p) => p.message)).toEqual([
      `chatting with Research Assistant (session ${sc.session_id})`,
      'status: Research Assistant is working on your request',
      'thinking: Planning the answer…',
      'tool used: web_search',
      'tool result: web_search — 2 results for "Find papers on SSE"',
      'thought (turn 1): I have what I need to answer.',
      'answer received',
    ]);
    expect(progress.map((p) => p.progress)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(result.structuredContent).toEqual({
      response:
        'Research Assistant (turn 1): after using web_search, here is my answer to "Find papers on SSE".',
      agent_id: 'agent_research',
      agent_name: 'Research Assistant',
      session_id: expect.stringMatching(/^api_[0-9a-f]{12}$/),
    });
    expect(emulator.streams[0]?.state).toBe('completed');
  });

  it('continues a session: the same session_id comes back and the turn count grows', async () => {
    const first = await callWithProgress('chat', { message: 'one' });
    const sessionId = (first.result.structuredContent as { session_id: string }).session_id;
    const second = await callWithProgress('chat', { message: 'two', session_id: sessionId });
    expect(second.result.structuredContent).toMatchObject({ session_id: sessionId });
    expect((second.result.structuredContent as { response: string }).response).toMatch(/\(turn 2\)/);
  });

  it('an error event inside the 200 stream is an error result, even though a response follows (§2b)', async () => {
    emulator.llm = 'error';
    const { result, progress } = await callWithProgress('chat', { message: 'hi' });
    expect(result.isError).toBe(true);
    expect(result.structuredContent).toBeUndefined();
    expect(textOf(result)).toBe(
      'Synapse chat failed: The agent encountered an error processing your request. The agent did not answer; ' +
        'retrying later may help.',
    );
    expect(textOf(result)).not.toContain(LLM_ERROR_TEXT);
    expect(progress.map((p) => p.message)).toEqual([
      expect.stringMatching(/^chatting with Research Assistant/),
      'status: Research Assistant is working on your request',
    ]);
  });

  it('a streamed "Local Agent Error:" response is an error result', async () => {
    emulator.llm = 'local_down';
    const { result } = await callWithProgress('chat', { message: 'hi' });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/model server is unreachable/);
  });

  it('a stream cut mid-way is an error ("ended early"), not a success', async () => {
    emulator.injectStream({ path: '/chat/stream', afterEvents: 3, mode: 'cut' });
    const { result, progress } = await callWithProgress('chat', { message: 'hi' });
    expect(result.isError).toBe(true);
    // A cut socket may swallow the last events still buffered: at most the 3 sent ones arrive.
    expect(textOf(result)).toMatch(/^Synapse chat stream ended early: interrupted after [0-3] events/);
    expect(textOf(result)).toMatch(/call chat again/);
    expect(progress.length).toBeLessThanOrEqual(3);
    expect(emulator.streams[0]?.state).toBe('cut');
  });
});

const RUN_PROGRESS = (runId: string) => [
  `orchestration started: Research report (run ${runId})`,
  'step 1 started: Research (agent)',
  'Research: thinking — Research Assistant is thinking…',
  'tool used: web_search (Research)',
  'tool result: web_search — 3 results for "SSE in MCP"',
  'tool used: summarize (Research)',
  'tool result: summarize — Summary of 3 sources (78 words)',
  'Research: agent answered',
  'step finished: Research (0.23 s)',
  'step 2 started: Review findings (evaluator)',
  'Review findings: thinking — Evaluator deciding route...',
  'route chosen: write — The findings cite enough sources to write the report.',
  'step finished: Review findings (0.07 s)',
  'routing → step write: The findings cite enough sources to write the report.',
  'step 3 started: Write report (agent)',
  'Write report: thinking — Report Writer is thinking…',
  'Write report: agent answered',
  'step finished: Write report (0.08 s)',
  'step 4 started: End (end)',
  'reached the end step',
  'orchestration completed',
  'final response received',
];

describe('run_orchestration', () => {
  it('without a progressToken uses POST /run with {message} and returns the finished run', async () => {
    const result = await mcp.call('run_orchestration', {
      orch_id: 'orch_research_report',
      message: 'SSE in MCP',
    });
    expect(result.isError).toBeFalsy();
    expect(emulator.requests).toHaveLength(1);
    const req = last();
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/api/v1/orchestrations/orch_research_report/run');
    expect(req.headers.accept).toBe('application/json');
    expectAuthHeader();
    expect(req.body).toEqual({ message: 'SSE in MCP' });
    expect(emulator.streams).toHaveLength(0);
    const sc = result.structuredContent as Record<string, unknown>;
    expect(sc).toMatchObject({
      status: 'completed',
      run_id: `run_orch_research_report_${START}`,
      response: 'Report: SSE in MCP — three sources agree; see findings for details.',
      shared_state: {
        user_input: 'SSE in MCP',
        findings: 'Findings on "SSE in MCP": three independent sources agree on the main points.',
        report: 'Report: SSE in MCP — three sources agree; see findings for details.',
      },
    });
    expect(Object.keys(sc.shared_state as object).some((k) => k.startsWith('_'))).toBe(false);
    expect(sc.step_history).toEqual([
      {
        step_id: 'research',
        step_name: 'Research',
        step_type: 'agent',
        status: 'completed',
        duration_seconds: 0.23,
      },
      {
        step_id: 'review',
        step_name: 'Review findings',
        step_type: 'evaluator',
        status: 'completed',
        duration_seconds: 0.07,
      },
      {
        step_id: 'write',
        step_name: 'Write report',
        step_type: 'agent',
        status: 'completed',
        duration_seconds: 0.08,
      },
    ]);
    expect(sc.next_step).toBeUndefined();
  });

  it('sends {} when no message is given (FastAPI needs a JSON body)', async () => {
    await mcp.call('run_orchestration', { orch_id: 'orch_research_report' });
    expect(last().body).toEqual({});
  });

  it('reports an unknown orchestration (404) with the list tool, on both endpoints', async () => {
    const sync = await mcp.call('run_orchestration', { orch_id: 'orch_nope' });
    expect(textOf(sync)).toMatch(/`list_orchestrations`[\s\S]*Orchestration 'orch_nope' not found/);
    const { result } = await callWithProgress('run_orchestration', { orch_id: 'orch_nope' });
    expect(last().path).toBe('/api/v1/orchestrations/orch_nope/run/stream');
    expect(textOf(result)).toMatch(
      /not found \(HTTP 404\)[\s\S]*message: Orchestration 'orch_nope' not found/,
    );
  });

  it('a failed run is a result with status failed and a next_step', async () => {
    const result = await mcp.call('run_orchestration', { orch_id: 'orch_data_sync' });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({
      status: 'failed',
      response: 'Orchestration failed. Error: Warehouse connection refused (sandbox)',
      next_step: expect.stringMatching(/failed at step "\(see step_history\[\d+\]\.step_name\)"/),
    });
  });

  it('with a progressToken streams /run/stream and reports every step event in the documented order', async () => {
    const { result, progress } = await callWithProgress('run_orchestration', {
      orch_id: 'orch_research_report',
      message: 'SSE in MCP',
    });
    expect(result.isError).toBeFalsy();
    const req = last();
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/api/v1/orchestrations/orch_research_report/run/stream');
    expect(req.headers.accept).toBe('text/event-stream');
    expectAuthHeader();
    expect(req.body).toEqual({ message: 'SSE in MCP' });
    const runId = `run_orch_research_report_${START}`;
    expect(progress.map((p) => p.message)).toEqual(RUN_PROGRESS(runId));
    expect(progress.map((p) => p.progress)).toEqual(progress.map((_, i) => i + 1));
    expect(emulator.streams[0]?.sent).toHaveLength(progress.length + 1);
    expect(emulator.streams[0]?.sent.at(-1)).toBe('done');

    // Same result as the synchronous endpoint gives for the same run.
    emulator.reset();
    const sync = await mcp.call('run_orchestration', {
      orch_id: 'orch_research_report',
      message: 'SSE in MCP',
    });
    expect(result.structuredContent).toEqual(sync.structuredContent);
  });

  it('a streamed run whose step fails ends as a failed result with the step error in the progress', async () => {
    const { result, progress } = await callWithProgress('run_orchestration', { orch_id: 'orch_data_sync' });
    expect(result.isError).toBeFalsy();
    expect(progress.map((p) => p.message)).toContain(
      'step failed: Load warehouse: Warehouse connection refused (sandbox)',
    );
    emulator.reset();
    const sync = await mcp.call('run_orchestration', { orch_id: 'orch_data_sync' });
    expect(result.structuredContent).toEqual(sync.structuredContent);
    expect(result.structuredContent).toMatchObject({ status: 'failed' });
  });

  it('an orchestration_error event inside the 200 stream is an error result', async () => {
    const { result, progress } = await callWithProgress('run_orchestration', {
      orch_id: 'orch_broken_graph',
    });
    expect(result.isError).toBe(true);
    expect(result.structuredContent).toBeUndefined();
    expect(textOf(result)).toMatch(
      /^Synapse orchestration error: Step 'missing_step' not found\. The run stopped/,
    );
    expect(progress.map((p) => p.message)).toEqual([
      `orchestration started: Broken graph (run run_orch_broken_graph_${START})`,
      'step 1 started: Triage (agent)',
      'Triage: thinking — Research Assistant is thinking…',
      'Triage: agent answered',
      'step finished: Triage (0.08 s)',
    ]);
  });

  it.each([
    ['cut', /interrupted after [0-4] events/],
    ['end', /the stream closed after 4 events without its done event/],
  ] as const)('a stream broken mid-way (%s) is an error, not a success', async (mode, detail) => {
    emulator.injectStream({ path: /\/run\/stream$/, afterEvents: 4, mode });
    const { result, progress } = await callWithProgress('run_orchestration', {
      orch_id: 'orch_research_report',
    });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/^Synapse orchestration stream ended early: /);
    expect(textOf(result)).toMatch(detail);
    expect(textOf(result)).toMatch(/outcome is unknown/);
    expect(progress.length).toBeLessThanOrEqual(4);
    if (mode === 'end') expect(progress).toHaveLength(4);
  });

  it('cancelling a streamed call closes the upstream connection at once', async () => {
    emulator.pacing = 5; // ~3 s of events: the run is well under way when we cancel
    const controller = new AbortController();
    const progress: string[] = [];
    const call = mcp.client.callTool(
      { name: 'run_orchestration', arguments: { orch_id: 'orch_research_report' } },
      undefined,
      {
        signal: controller.signal,
        onprogress: (p) => {
          progress.push(p.message ?? '');
          if (progress.length === 2) controller.abort('user pressed stop');
        },
      },
    );
    await expect(call).rejects.toThrow();
    let timer: NodeJS.Timeout | undefined;
    const closed = await Promise.race([
      emulator.waitForStreamClose(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('upstream stream still open 1 s after cancelling')), 1000);
      }),
    ]).finally(() => clearTimeout(timer));
    expect(closed.state).toBe('client_closed');
    expect(closed.pendingTimers).toBe(0);
    expect(closed.sent.length).toBeLessThan(10);
    expect(closed.sent).not.toContain('done');
    // The server answers later calls normally (nothing left hanging in the pool).
    emulator.pacing = 0.1;
    const after = await mcp.call('list_agents');
    expect(after.isError).toBeFalsy();
  });
});

describe('human in the loop: pause → resume', () => {
  it('sync: a paused run tells the agent to ask the user, and resume completes it with the fields', async () => {
    const paused = await mcp.call('run_orchestration', {
      orch_id: 'orch_publish_approval',
      message: 'v2 launch',
    });
    expect(paused.isError).toBeFalsy();
    const runId = `run_orch_publish_approval_${START}`;
    const sc = paused.structuredContent as Record<string, unknown>;
    expect(sc).toEqual({
      status: 'paused',
      run_id: runId,
      human_input_required: {
        step_id: 'approve',
        prompt: 'Please review the draft and approve or reject it: Draft: "v2 launch" — ready for review.',
        fields: [
          { name: 'approved', type: 'text', label: 'Approve publication? (yes/no)' },
          { name: 'notes', type: 'text', label: 'Notes for the writer' },
        ],
        agent_context: 'Draft: "v2 launch" — ready for review.',
      },
      next_step: expect.any(String),
    });
    const text = textOf(paused);
    expect(jsonOf(paused)).toEqual(sc);
    expect(text).toMatch(/paused waiting for human input\. Ask the user: /);
    // The guidance stands before the untrusted-data fence, as plain text (src/fence.ts).
    expect(text).toContain(`call resume_orchestration_run with run_id "${runId}"`);
    expect(text).toContain('{"approved": "<answer>", "notes": "<answer>"}');

    const resumed = await mcp.call('resume_orchestration_run', {
      run_id: runId,
      response: { approved: 'yes', notes: 'ship it' },
    });
    expect(resumed.isError).toBeFalsy();
    const req = last();
    expect(req.method).toBe('POST');
    expect(req.path).toBe(`/api/v1/orchestrations/runs/${runId}/resume`);
    expectAuthHeader();
    expect(req.body).toEqual({ response: { approved: 'yes', notes: 'ship it' } });
    expect(resumed.structuredContent).toMatchObject({
      status: 'completed',
      run_id: runId,
      response: 'Published the announcement. Notes: ship it',
      shared_state: { human_response: { approved: 'yes', notes: 'ship it' } },
    });
  });

  it('streamed: the pause arrives as the last progress event, and a string response resumes it', async () => {
    const run = await callWithProgress('run_orchestration', { orch_id: 'orch_publish_approval' });
    expect(run.result.isError).toBeFalsy();
    const runId = `run_orch_publish_approval_${START}`;
    expect(run.progress.map((p) => p.message)).toEqual([
      `orchestration started: Publish with approval (run ${runId})`,
      'step 1 started: Draft announcement (agent)',
      'Draft announcement: thinking — Report Writer is thinking…',
      'Draft announcement: agent answered',
      'step finished: Draft announcement (0.08 s)',
      'step 2 started: Approval (human)',
      'waiting for human input: Please review the draft and approve or reject it: Draft: "Announcement" — ready for review.',
    ]);
    expect(run.result.structuredContent).toMatchObject({
      status: 'paused',
      run_id: runId,
      human_input_required: { step_id: 'approve' },
      next_step: expect.stringContaining('resume_orchestration_run'),
    });

    const resumed = await callWithProgress('resume_orchestration_run', { run_id: runId, response: 'yes' });
    expect(resumed.result.isError).toBeFalsy();
    expect(last().path).toBe(`/api/v1/orchestrations/runs/${runId}/resume/stream`);
    expect(last().body).toEqual({ response: 'yes' });
    expect(resumed.progress.map((p) => p.message)).toEqual([
      'step 1 started: Publish (agent)',
      'Publish: thinking — Report Writer is thinking…',
      'Publish: agent answered',
      'step finished: Publish (0.08 s)',
      'step 2 started: End (end)',
      'reached the end step',
      'orchestration completed',
      'final response received',
    ]);
    expect(resumed.result.structuredContent).toMatchObject({
      status: 'completed',
      run_id: runId,
      response: 'Published the announcement.',
      shared_state: { human_response: { response: 'yes' } },
    });
  });

  it('an unknown run: 404 on the sync endpoint, orchestration_error inside the 200 stream', async () => {
    const sync = await mcp.call('resume_orchestration_run', { run_id: 'run_x_1', response: {} });
    expect(sync.isError).toBe(true);
    expect(textOf(sync)).toMatch(
      /not found \(HTTP 404\)\. Check the id and call again\.[\s\S]*message: Run 'run_x_1' not found/,
    );
    const { result, progress } = await callWithProgress('resume_orchestration_run', {
      run_id: 'run_x_1',
      response: 'ok',
    });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toBe(
      "Synapse orchestration error: Run 'run_x_1' not found. Check run_id: it comes from a paused " +
        'run_orchestration result.',
    );
    expect(progress).toHaveLength(0);
  });

  it('publishes `response` as object-or-string inside the property, with no top-level union', () => {
    const resume = synapseToolsets.flatMap((t) => t.tools).find((t) => t.name === 'resume_orchestration_run');
    if (!resume) throw new Error('resume_orchestration_run missing');
    const schema = toPublishedSchema(resume.input, 'input') as Record<string, unknown>;
    expect(schema.anyOf).toBeUndefined();
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(['run_id', 'response']);
    const response = (schema.properties as Record<string, Record<string, unknown>>).response;
    expect(typeof response?.description).toBe('string');
    expect(response?.anyOf).toEqual([
      { type: 'object', additionalProperties: { type: 'string' } },
      { type: 'string' },
    ]);
  });
});

describe('toolsets', () => {
  it('splits discovery (read-only) from execution, both on by default', () => {
    const [read, write] = synapseToolsets;
    expect(read?.name).toBe('synapse');
    expect(read?.tools.every((t) => t.annotations.readOnlyHint && !t.annotations.destructiveHint)).toBe(true);
    expect(write?.name).toBe('synapse_write');
    expect(write?.tools.map((t) => t.name)).toEqual([
      'chat',
      'run_orchestration',
      'resume_orchestration_run',
    ]);
    expect(write?.tools.every((t) => !t.annotations.readOnlyHint && !t.annotations.idempotentHint)).toBe(
      true,
    );
    expect(synapseToolsets.every((t) => t.default && t.service === 'synapse')).toBe(true);
  });
});
