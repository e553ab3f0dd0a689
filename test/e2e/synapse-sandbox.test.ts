import { describe, expect, it } from 'vitest';
import { callTool, childEnv, textOf, withStdio } from './spawn.js';

/**
 * The built server, spawned with `--sandbox`, driven over stdio by the SDK client as a model would: the
 * Synapse points of issue 17 end to end (typed human answers, agent choice).
 */
describe('Synapse through the built server (--sandbox)', () => {
  it('a paused run is resumed with typed answers: true publishes, the string "true" shelves', async () => {
    await withStdio(['--sandbox', '--toolsets', 'synapse,synapse_write'], childEnv(), async (s) => {
      const outcomes: string[] = [];
      for (const approved of [true, 'true']) {
        const paused = await callTool(s.client, 'run_orchestration', { orch_id: 'orch_publish_approval' });
        expect(paused.isError, textOf(paused)).toBeFalsy();
        const sc = paused.structuredContent as {
          status: string;
          run_id: string;
          human_input_required: { fields: Array<Record<string, unknown>> };
          next_step: string;
        };
        expect(sc.status).toBe('paused');
        expect(sc.human_input_required.fields).toEqual([
          { name: 'approved', type: 'boolean', label: 'Approve publication?' },
          { name: 'channel', type: 'select', label: 'Where to publish', options: ['blog', 'newsletter'] },
          { name: 'notes', type: 'text', label: 'Notes for the writer' },
        ]);
        expect(sc.next_step).toContain('"approved": <true or false, not a string>');
        const resumed = await callTool(s.client, 'resume_orchestration_run', {
          run_id: sc.run_id,
          response: { approved, channel: 'blog', notes: '' },
        });
        expect(resumed.isError, textOf(resumed)).toBeFalsy();
        outcomes.push(String((resumed.structuredContent as { response: string }).response));
      }
      expect(outcomes).toEqual([
        'Published the announcement on blog.',
        'Shelved the announcement (not approved).',
      ]);
    });
  });

  it('chat refuses an unknown agent and an orchestrator agent, and answers a known one', async () => {
    await withStdio(['--sandbox', '--toolsets', 'synapse_write'], childEnv(), async (s) => {
      const unknown = await callTool(s.client, 'chat', { message: 'hi', agent: 'research' });
      expect(unknown.isError).toBe(true);
      expect(textOf(unknown)).toMatch(
        /Synapse has no agent with the id or name "research"\. Nothing was sent\./,
      );
      const orchestrator = await callTool(s.client, 'chat', {
        message: 'hi',
        agent: 'Publishing Orchestrator',
      });
      expect(textOf(orchestrator)).toMatch(/is an orchestrator \(below\): .*Use run_orchestration/);
      const known = await callTool(s.client, 'chat', { message: 'hi', agent: 'research assistant' });
      expect(known.isError, textOf(known)).toBeFalsy();
      expect(known.structuredContent).toMatchObject({
        agent_id: 'agent_research',
        agent_name: 'Research Assistant',
      });
    });
  });
});
