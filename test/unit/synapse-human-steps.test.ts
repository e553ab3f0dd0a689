/**
 * Synapse's paused runs as the server's human steps read them (tools/synapse/human-steps.ts): from the
 * tool's own paused result to the form the user sees and the typed resume arguments.
 */
import { describe, expect, it } from 'vitest';
import { synapseHumanSteps as steps } from '../../tools/synapse/human-steps.js';
import { toRunOutput } from '../../tools/synapse/schemas.js';

const PAUSED = toRunOutput(
  {
    run_id: 'run_42',
    status: 'paused',
    human_input_required: {
      step_id: 'approval',
      prompt: 'Approve publication?\u200B',
      agent_context: `Draft: ${'x'.repeat(1000)}`,
      fields: [
        { name: 'approved', type: 'boolean', label: 'Approve publication?' },
        { name: 'notes', type: 'text', label: 'Notes' },
      ],
    },
  },
  'run_42',
);

describe('Synapse human steps', () => {
  it('reads a paused run: its id, a message with the prompt and a cut agent context, and the fields', () => {
    const run = steps.pausedRun(PAUSED);
    if (!run) throw new Error('expected a paused run');
    expect(run.runId).toBe('run_42');
    expect(run.message).toMatch(
      /^Synapse orchestration run run_42 is waiting for your input\.\n\nApprove publication\?\n\n/,
    );
    expect(run.message).not.toContain('\u200B');
    expect(run.message.length).toBeLessThan(500);
    expect(steps.form(run.fields).required).toEqual(['approved', 'notes']);
  });

  it('tells the user how many fields the form leaves out because they have no name', () => {
    const paused = toRunOutput(
      {
        run_id: 'run_43',
        status: 'paused',
        human_input_required: {
          fields: [{ type: 'text' }, { type: 'number', label: '' }, { name: 'approved', type: 'boolean' }],
        },
      },
      'run_43',
    );
    const run = steps.pausedRun(paused);
    if (!run) throw new Error('expected a paused run');
    expect(steps.form(run.fields).required).toEqual(['approved']);
    expect(run.message).toBe(
      'Synapse orchestration run run_43 is waiting for your input.\n\n2 fields of this step could not be ' +
        'shown because they have no name, so the answer may be incomplete.',
    );
  });

  it('tells the user how many fields the form leaves out because their name repeats another', () => {
    const paused = toRunOutput(
      {
        run_id: 'run_44',
        status: 'paused',
        human_input_required: {
          fields: [
            { name: 'approved', type: 'boolean' },
            { name: 'approved', type: 'text' },
            { key: 'notes', type: 'text' },
            { label: 'notes', type: 'number' },
            { type: 'text' },
          ],
        },
      },
      'run_44',
    );
    const run = steps.pausedRun(paused);
    if (!run) throw new Error('expected a paused run');
    expect(steps.form(run.fields)).toMatchObject({
      required: ['approved', 'notes'],
      properties: { approved: { type: 'boolean' }, notes: { type: 'string' } },
    });
    expect(run.message).toBe(
      'Synapse orchestration run run_44 is waiting for your input.\n\n1 field of this step could not be ' +
        "shown because it has no name, and 2 could not be shown because their names repeat other fields', so " +
        'the answer may be incomplete.',
    );
    const next = (paused as { next_step: string }).next_step;
    expect(next).toContain('response {"approved": <true or false, not a string>, "notes": "<text>"}.');
    expect(next).toContain(
      "their names repeat other fields', so the answer may be incomplete. Tell the user.",
    );
  });

  it('turns an accepted form into the typed resume arguments, and refuses one that does not fit', () => {
    const run = steps.pausedRun(PAUSED);
    if (!run) throw new Error('expected a paused run');
    const fields = JSON.parse(JSON.stringify(run.fields)) as unknown; // as sealed between rounds
    const ok = steps.answers({ approved: true, notes: 'ship it' }, fields);
    expect(ok).toEqual({ ok: true, response: { approved: true, notes: 'ship it' } });
    if (!ok.ok) return;
    expect(steps.resumeArgs(run.runId, ok.response)).toEqual({
      run_id: 'run_42',
      response: { approved: true, notes: 'ship it' },
    });
    expect(steps.answers({ approved: 'true', notes: 'x' }, fields)).toEqual({ ok: false });
    expect(steps.answers({ approved: true }, fields)).toEqual({ ok: false });
  });

  it('leaves completed runs, runs without a run id and free-text pauses to the model', () => {
    expect(
      steps.pausedRun(toRunOutput({ run_id: 'r', status: 'completed', response: 'done' }, 'r')),
    ).toBeUndefined();
    expect(
      steps.pausedRun({ status: 'paused', run_id: '', human_input_required: { fields: [] } }),
    ).toBeUndefined();
    expect(
      steps.pausedRun(
        toRunOutput({ run_id: 'r', status: 'paused', human_input_required: { prompt: 'Why?' } }, 'r'),
      ),
    ).toBeUndefined();
  });

  it('keeps the paused result the model gets back on a decline, its upstream text cut short', () => {
    expect(steps.keep(PAUSED as Record<string, unknown>)).toEqual(PAUSED);
    const long = {
      ...PAUSED,
      human_input_required: { ...PAUSED.human_input_required, prompt: 'p'.repeat(50_000) },
    };
    const kept = steps.keep(long as Record<string, unknown>) as { human_input_required: { prompt: string } };
    expect(kept.human_input_required.prompt).toHaveLength(2_000);
    expect(steps.tools).toEqual(['run_orchestration', 'resume_orchestration_run']);
    expect(steps.resumeTool).toBe('resume_orchestration_run');
  });
});
