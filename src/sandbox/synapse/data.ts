/**
 * The Synapse sandbox's configured agents and orchestrations (what `DATA_DIR/user_agents.json` and
 * `orchestrations.json` would hold on a real install). Plain data plus a few deterministic answer builders;
 * the engine in `engine.ts` walks the step graphs.
 */

/** A configured agent, as stored (the v1 routes add defaults when reading it). */
export interface AgentDef {
  id: string;
  name: string;
  type?: string;
  /** Real installs hold `""` or `null` here when the global model is used. */
  model?: string | null;
  capabilities?: string[];
  description?: string;
}

/** A human-input field of a HUMAN step (`human_fields: list[dict[str, str]]`). */
export interface HumanField {
  name: string;
  type: string;
  label: string;
}

/** The step types of the Synapse engine (`StepType`). */
export type StepType = 'agent' | 'evaluator' | 'human' | 'transform' | 'end';

/** One tool call an agent step makes in the sandbox (the stand-in for the LLM's choice). */
export interface ScriptedToolCall {
  tool_name: string;
  args: (state: SharedState) => Record<string, unknown>;
  preview: (state: SharedState) => string;
}

/** The run's shared state: `user_input`, step outputs by `output_key`, `human_response`, routing keys. */
export type SharedState = Record<string, unknown>;

/** One step of an orchestration graph, with what the sandbox's stand-in LLM does in it. */
export interface StepDef {
  id: string;
  name: string;
  type: StepType;
  agent_id?: string | null;
  next_step_id?: string | null;
  depends_on?: string[];
  output_key?: string;
  input_keys?: string[];
  /** AGENT: the tools the agent calls, in order. */
  tools?: ScriptedToolCall[];
  /** AGENT: the agent's final answer. */
  answer?: (state: SharedState) => string;
  /** AGENT/TRANSFORM: the step raises this error instead (engine → `step_error`, run `failed`). */
  fails_with?: string;
  /** EVALUATOR: route label → target step id (`null` ends the orchestration). */
  route_map?: Record<string, string | null>;
  /** EVALUATOR: the label and reasoning the stand-in LLM picks. */
  decide?: (state: SharedState) => { label: string; reasoning: string };
  /** HUMAN: prompt (may reference `{state.key}`) and the fields to fill. */
  human_prompt?: string;
  human_fields?: HumanField[];
  /** TRANSFORM: the result the code produces. */
  transform?: (state: SharedState) => unknown;
}

/** An orchestration as stored. */
export interface OrchestrationDef {
  id: string;
  name: string;
  description: string;
  entry_step_id: string;
  steps: StepDef[];
  edges: Array<{ source: string; target: string; label?: string }>;
  max_total_turns?: number;
}

const input = (state: SharedState): string => String(state.user_input ?? '');

/** The agents a fresh sandbox has, in configuration order (the first is the `/chat` default). */
export function defaultAgents(): AgentDef[] {
  return [
    {
      id: 'agent_research',
      name: 'Research Assistant',
      type: 'conversational',
      model: 'gpt-4o-mini',
      capabilities: ['web_search', 'summarize'],
      description: 'Searches the web and summarises what it finds, with sources.',
    },
    {
      id: 'agent_writer',
      name: 'Report Writer',
      type: 'conversational',
      model: '',
      capabilities: [],
      description: 'Turns notes into a short, well-structured report.',
    },
    {
      id: 'agent_code',
      name: 'Code Reviewer',
      type: 'code',
      model: null,
      capabilities: ['read_file'],
      description: 'Reviews code changes and points out risks.',
    },
  ];
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
          next_step_id: 'publish',
          depends_on: ['draft'],
          input_keys: ['draft'],
          human_prompt: 'Please review the draft and approve or reject it: {state.draft}',
          human_fields: [
            { name: 'approved', type: 'text', label: 'Approve publication? (yes/no)' },
            { name: 'notes', type: 'text', label: 'Notes for the writer' },
          ],
        },
        {
          id: 'publish',
          name: 'Publish',
          type: 'agent',
          agent_id: 'agent_writer',
          next_step_id: 'end',
          depends_on: ['approve'],
          output_key: 'result',
          input_keys: ['draft', 'human_response'],
          answer: (s) => {
            const human = (s.human_response ?? {}) as Record<string, unknown>;
            const approved = String(human.approved ?? human.response ?? '')
              .trim()
              .toLowerCase();
            const notes = String(human.notes ?? '').trim();
            const yes =
              approved === 'yes' || approved === 'y' || approved === 'true' || approved === 'approve';
            const tail = notes ? ` Notes: ${notes}` : '';
            return yes
              ? `Published the announcement.${tail}`
              : `Shelved the announcement (not approved).${tail}`;
          },
        },
        { id: 'end', name: 'End', type: 'end', depends_on: ['publish'] },
      ],
      edges: [
        { source: 'draft', target: 'approve' },
        { source: 'approve', target: 'publish' },
        { source: 'publish', target: 'end' },
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
