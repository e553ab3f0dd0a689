/**
 * The orchestrations a fresh Synapse sandbox has (seed data): step graphs whose steps carry deterministic
 * answer builders, the stand-in for the LLM. `engine.ts` walks them.
 */
import type { OrchestrationDef, SharedState } from './definitions.js';

const input = (state: SharedState): string => String(state.user_input ?? '');

/** The human's answers (`human_response`), as stored verbatim by resume. */
function humanAnswers(state: SharedState): Record<string, unknown> {
  const h = state.human_response;
  return typeof h === 'object' && h !== null && !Array.isArray(h) ? (h as Record<string, unknown>) : {};
}

/** The orchestrations a fresh sandbox has. */
export function defaultOrchestrations(): OrchestrationDef[] {
  return [
    {
      id: 'orch_research_report',
      name: 'Research report',
      description: 'Researches a topic, checks the findings are enough, then writes a short report.',
      entry_step_id: 'research',
      steps: [
        {
          id: 'research',
          name: 'Research',
          type: 'agent',
          agent_id: 'agent_research',
          next_step_id: 'review',
          output_key: 'findings',
          tools: [
            {
              tool_name: 'web_search',
              args: (s) => ({ query: input(s) }),
              preview: (s) => `3 results for "${input(s)}"`,
            },
            {
              tool_name: 'summarize',
              args: () => ({ max_words: 80 }),
              preview: () => 'Summary of 3 sources (78 words)',
            },
          ],
          answer: (s) => `Findings on "${input(s)}": three independent sources agree on the main points.`,
        },
        {
          id: 'review',
          name: 'Review findings',
          type: 'evaluator',
          next_step_id: 'write',
          depends_on: ['research'],
          input_keys: ['findings'],
          route_map: { write: 'write', research_more: 'research', stop: null },
          decide: () => ({
            label: 'write',
            reasoning: 'The findings cite enough sources to write the report.',
          }),
        },
        {
          id: 'write',
          name: 'Write report',
          type: 'agent',
          agent_id: 'agent_writer',
          next_step_id: 'end',
          depends_on: ['review'],
          output_key: 'report',
          input_keys: ['findings'],
          answer: (s) =>
            `Report: ${input(s) || 'the topic'} — three sources agree; see findings for details.`,
        },
        { id: 'end', name: 'End', type: 'end', depends_on: ['write'] },
      ],
      edges: [
        { source: 'research', target: 'review' },
        { source: 'review', target: 'write', label: 'write' },
        { source: 'review', target: 'research', label: 'research_more' },
        { source: 'write', target: 'end' },
      ],
    },
    {
      id: 'orch_publish_approval',
      name: 'Publish with approval',
      description: 'Drafts an announcement, pauses for a human to approve it, then publishes or shelves it.',
      entry_step_id: 'draft',
      steps: [
        {
          id: 'draft',
          name: 'Draft announcement',
          type: 'agent',
          agent_id: 'agent_writer',
          next_step_id: 'approve',
          output_key: 'draft',
          answer: (s) => `Draft: "${input(s) || 'Announcement'}" — ready for review.`,
        },
        {
          id: 'approve',
          name: 'Approval',
          type: 'human',
          next_step_id: 'check',
          depends_on: ['draft'],
          input_keys: ['draft'],
          human_prompt: 'Please review the draft and approve or reject it: {state.draft}',
          human_fields: [
            { name: 'approved', type: 'boolean', label: 'Approve publication?' },
            { name: 'channel', type: 'select', label: 'Where to publish', options: ['blog', 'newsletter'] },
            { key: 'notes', type: 'text', label: 'Notes for the writer' },
          ],
        },
        {
          id: 'check',
          name: 'Approved?',
          type: 'if_else',
          depends_on: ['approve'],
          if_condition: 'state.human_response.approved == True',
          // Python's `==` between a JSON value and True: only the boolean true (or 1) passes.
          condition: (s) => {
            const approved = humanAnswers(s).approved;
            return approved === true || approved === 1;
          },
          if_true_step_id: 'publish',
          if_false_step_id: 'shelve',
        },
        {
          id: 'publish',
          name: 'Publish',
          type: 'agent',
          agent_id: 'agent_writer',
          next_step_id: 'end',
          depends_on: ['check'],
          output_key: 'result',
          input_keys: ['draft', 'human_response'],
          answer: (s) => {
            const human = humanAnswers(s);
            const channel = typeof human.channel === 'string' ? human.channel : 'the blog';
            const notes =
              typeof human.notes === 'string' && human.notes.trim() ? ` Notes: ${human.notes.trim()}` : '';
            return `Published the announcement on ${channel}.${notes}`;
          },
        },
        {
          id: 'shelve',
          name: 'Shelve',
          type: 'agent',
          agent_id: 'agent_writer',
          next_step_id: 'end',
          depends_on: ['check'],
          output_key: 'result',
          answer: () => 'Shelved the announcement (not approved).',
        },
        { id: 'end', name: 'End', type: 'end', depends_on: ['publish', 'shelve'] },
      ],
      edges: [
        { source: 'draft', target: 'approve' },
        { source: 'approve', target: 'check' },
        { source: 'check', target: 'publish', label: 'true' },
        { source: 'check', target: 'shelve', label: 'false' },
        { source: 'publish', target: 'end' },
        { source: 'shelve', target: 'end' },
      ],
    },
    {
      id: 'orch_change_review',
      name: 'Change review',
      description:
        'Plans a production change, pauses for a reviewer (a yes/no, a score, choices, a date, an email and notes), then records the decision.',
      entry_step_id: 'plan',
      steps: [
        {
          id: 'plan',
          name: 'Plan the change',
          type: 'agent',
          agent_id: 'agent_writer',
          next_step_id: 'review',
          output_key: 'plan',
          answer: (s) =>
            `Change plan: ${input(s) || 'rotate the payments API key'}; rollback by restoring the old key.`,
        },
        {
          id: 'review',
          name: 'Reviewer sign-off',
          type: 'human',
          next_step_id: 'record',
          depends_on: ['plan'],
          input_keys: ['plan'],
          human_prompt: 'Review the change before it goes out: {state.plan}',
          human_fields: [
            { name: 'approved', type: 'boolean', label: 'Approve the change?' },
            { name: 'risk', type: 'number', label: 'Risk score (0-10)' },
            { name: 'environment', type: 'select', label: 'Environment', options: ['staging', 'production'] },
            {
              name: 'reviewers',
              type: 'select',
              label: 'Also notify',
              options: ['alice', 'bob', 'carol'],
              multiple: true,
            },
            { name: 'window', type: 'date', label: 'Change date' },
            { name: 'contact', type: 'email', label: 'On-call contact' },
            { key: 'notes', type: 'text', label: 'Notes' },
          ],
        },
        {
          id: 'record',
          name: 'Record the decision',
          type: 'agent',
          agent_id: 'agent_writer',
          next_step_id: 'end',
          depends_on: ['review'],
          output_key: 'result',
          input_keys: ['plan', 'human_response'],
          answer: (s) => {
            const h = humanAnswers(s);
            const verdict = h.approved === true ? 'Approved' : 'Not approved';
            const who = Array.isArray(h.reviewers) ? h.reviewers.join(', ') : 'nobody';
            return `${verdict}: ${String(h.environment)} on ${String(h.window)}, risk ${String(h.risk)}; notified ${who}; contact ${String(h.contact)}.`;
          },
        },
        { id: 'end', name: 'End', type: 'end', depends_on: ['record'] },
      ],
      edges: [
        { source: 'plan', target: 'review' },
        { source: 'review', target: 'record' },
        { source: 'record', target: 'end' },
      ],
    },
    {
      id: 'orch_data_sync',
      name: 'Nightly data sync',
      description: 'Exports records and loads them into the warehouse (the load step fails in the sandbox).',
      entry_step_id: 'export',
      steps: [
        {
          id: 'export',
          name: 'Export records',
          type: 'transform',
          next_step_id: 'load',
          output_key: 'exported',
          transform: () => 1284,
        },
        {
          id: 'load',
          name: 'Load warehouse',
          type: 'agent',
          agent_id: 'agent_code',
          next_step_id: 'end',
          depends_on: ['export'],
          fails_with: 'Warehouse connection refused (sandbox)',
        },
        { id: 'end', name: 'End', type: 'end', depends_on: ['load'] },
      ],
      edges: [
        { source: 'export', target: 'load' },
        { source: 'load', target: 'end' },
      ],
    },
    {
      id: 'orch_broken_graph',
      name: 'Broken graph',
      description:
        'Its first step points at a step that does not exist (the engine reports orchestration_error).',
      entry_step_id: 'triage',
      steps: [
        {
          id: 'triage',
          name: 'Triage',
          type: 'agent',
          agent_id: 'agent_research',
          next_step_id: 'missing_step',
          output_key: 'triage',
          answer: () => 'Triaged.',
        },
      ],
      edges: [{ source: 'triage', target: 'missing_step' }],
    },
  ];
}
