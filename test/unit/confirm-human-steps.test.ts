/**
 * Human steps through the client (src/confirm/human-steps.ts), protocol-neutral: asking on a 2025 session
 * until the run completes or the user stops, and 2026 rounds whose sealed state carries the run, with a
 * small workflow adapter (the Synapse one is tested end to end).
 */
import { describe, expect, it } from 'vitest';
import type { ElicitAnswer } from '../../src/confirm/answer.js';
import {
  firstHumanRound,
  HUMAN_INPUT,
  type HumanElicitation,
  type HumanStepsAdapter,
  humanStepsByAsking,
  MAX_HUMAN_ROUNDS,
  nextHumanRound,
  type StepResult,
} from '../../src/confirm/human-steps.js';
import { createStateSealer } from '../../src/confirm/state.js';

/** A run that pauses `pauses` times, each asking for a boolean `approved`. */
function workflow(pauses: number) {
  const resumed: Array<Record<string, unknown>> = [];
  let left = pauses;
  const paused = (n: number): StepResult => ({
    structuredContent: { status: 'paused', run_id: 'run_1', step: n, history: ['long', 'history'] },
  });
  const adapter: HumanStepsAdapter = {
    tools: ['run'],
    resumeTool: 'resume',
    resumeArgs: (runId, response) => ({ run_id: runId, response }),
    pausedRun: (s) => {
      const r = s as { status?: string; run_id?: string; step?: number } | undefined;
      return r?.status === 'paused' && r.run_id
        ? {
            runId: r.run_id,
            message: `Approve step ${r.step}?`,
            fields: [{ name: 'approved', type: 'boolean' }],
          }
        : undefined;
    },
    form: () => ({ type: 'object', properties: { approved: { type: 'boolean' } }, required: ['approved'] }),
    answers: (content) => {
      const v = (content as { approved?: unknown }).approved;
      return typeof v === 'boolean' ? { ok: true, response: { approved: v } } : { ok: false };
    },
    keep: (s) => ({ status: s.status, run_id: s.run_id }),
  };
  const first = (): StepResult =>
    left > 0 ? paused(pauses - left + 1) : { structuredContent: { status: 'completed' } };
  const resume = async (args: Record<string, unknown>): Promise<StepResult> => {
    resumed.push(args);
    left -= 1;
    return left > 0
      ? paused(pauses - left + 1)
      : { structuredContent: { status: 'completed', run_id: 'run_1' } };
  };
  return { adapter, first, resume, resumed };
}

function asker(answers: Array<ElicitAnswer | Error>) {
  const asked: HumanElicitation[] = [];
  return {
    asked,
    ask: async (params: HumanElicitation) => {
      asked.push(params);
      const next = answers.shift() ?? { action: 'cancel' };
      if (next instanceof Error) throw next;
      return next;
    },
  };
}

describe('human steps on a 2025 session', () => {
  it('asks at each pause and resumes with the typed answers until the run completes', async () => {
    const w = workflow(2);
    const { ask, asked } = asker([
      { action: 'accept', content: { approved: true } },
      { action: 'accept', content: { approved: false } },
    ]);
    const result = await humanStepsByAsking(w.first(), { adapter: w.adapter, ask, resume: w.resume });
    expect(result.structuredContent).toEqual({ status: 'completed', run_id: 'run_1' });
    expect(asked.map((a) => a.message)).toEqual(['Approve step 1?', 'Approve step 2?']);
    expect(asked[0]?.requestedSchema.properties).toEqual({ approved: { type: 'boolean' } });
    expect(w.resumed).toEqual([
      { run_id: 'run_1', response: { approved: true } },
      { run_id: 'run_1', response: { approved: false } },
    ]);
  });

  it('gives the paused result back, resuming nothing more, on decline, cancel, a misfit form or no answer', async () => {
    for (const answer of [
      { action: 'decline' },
      { action: 'cancel' },
      { action: 'accept', content: { approved: 'yes' } },
      new Error('timed out'),
    ]) {
      const w = workflow(2);
      const { ask } = asker([{ action: 'accept', content: { approved: true } }, answer]);
      const result = await humanStepsByAsking(w.first(), { adapter: w.adapter, ask, resume: w.resume });
      expect(result.structuredContent).toMatchObject({ status: 'paused', run_id: 'run_1', step: 2 });
      expect(w.resumed).toHaveLength(1);
    }
  });

  it('asks nothing for a result that is not paused, or an error', async () => {
    const w = workflow(0);
    const { ask, asked } = asker([]);
    expect(await humanStepsByAsking(w.first(), { adapter: w.adapter, ask, resume: w.resume })).toEqual(
      w.first(),
    );
    expect(
      await humanStepsByAsking({ isError: true }, { adapter: w.adapter, ask, resume: w.resume }),
    ).toEqual({
      isError: true,
    });
    expect(asked).toEqual([]);
  });

  it('stops asking after MAX_HUMAN_ROUNDS forms', async () => {
    const w = workflow(100);
    const answers = Array.from({ length: 100 }, () => ({ action: 'accept', content: { approved: true } }));
    const { ask, asked } = asker(answers);
    const result = await humanStepsByAsking(w.first(), { adapter: w.adapter, ask, resume: w.resume });
    expect(asked).toHaveLength(MAX_HUMAN_ROUNDS);
    expect(result.structuredContent).toMatchObject({ status: 'paused' });
  });
});

describe('human steps in 2026 rounds', () => {
  const sealer = createStateSealer();
  const binding = { tool: 'run', args: { orch_id: 'o1' }, principal: '' };
  const paused = (kept: Record<string, unknown>): StepResult => ({ structuredContent: kept });

  it('asks with sealed state, resumes with the answer beside it, and repeats until completed', async () => {
    const w = workflow(2);
    const opts = { adapter: w.adapter, sealer, binding, resume: w.resume, paused };
    let outcome = firstHumanRound(w.first(), opts);
    if (outcome.kind !== 'ask') throw new Error('expected ask');
    expect(outcome.inputRequests[HUMAN_INPUT]?.message).toBe('Approve step 1?');
    expect(outcome.requestState).not.toContain('run_1');
    outcome = await nextHumanRound(
      outcome.requestState,
      { human: { action: 'accept', content: { approved: true } } },
      opts,
    );
    if (outcome.kind !== 'ask') throw new Error('expected a second ask');
    expect(outcome.inputRequests[HUMAN_INPUT]?.message).toBe('Approve step 2?');
    const last = await nextHumanRound(
      outcome.requestState,
      { human: { action: 'accept', content: { approved: false } } },
      opts,
    );
    expect(last).toEqual({
      kind: 'result',
      result: { structuredContent: { status: 'completed', run_id: 'run_1' } },
    });
    expect(w.resumed.map((r) => r.response)).toEqual([{ approved: true }, { approved: false }]);
  });

  it('gives back the kept paused result on a decline, and asks again when no answer came', async () => {
    const w = workflow(1);
    const opts = { adapter: w.adapter, sealer, binding, resume: w.resume, paused };
    const first = firstHumanRound(w.first(), opts);
    if (first.kind !== 'ask') throw new Error('expected ask');
    const again = await nextHumanRound(first.requestState, undefined, opts);
    if (again.kind !== 'ask') throw new Error('expected ask again');
    expect(again.inputRequests[HUMAN_INPUT]?.message).toBe('Approve step 1?');
    const declined = await nextHumanRound(again.requestState, { human: { action: 'decline' } }, opts);
    expect(declined).toEqual({
      kind: 'result',
      result: { structuredContent: { status: 'paused', run_id: 'run_1' } },
    });
    expect(w.resumed).toEqual([]);
  });

  it('refuses the state of a human step for another call, or twice', async () => {
    const w = workflow(1);
    const opts = { adapter: w.adapter, sealer, binding, resume: w.resume, paused };
    const first = firstHumanRound(w.first(), opts);
    if (first.kind !== 'ask') throw new Error('expected ask');
    const yes = { human: { action: 'accept', content: { approved: true } } };
    await expect(
      nextHumanRound(first.requestState, yes, { ...opts, binding: { ...binding, args: { orch_id: 'o2' } } }),
    ).rejects.toMatchObject({ fault: 'mismatch' });
    await nextHumanRound(first.requestState, yes, opts);
    await expect(nextHumanRound(first.requestState, yes, opts)).rejects.toMatchObject({ fault: 'reused' });
    expect(w.resumed).toHaveLength(1);
  });
});
