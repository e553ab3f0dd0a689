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
  /** An `orchestrator` agent runs this orchestration when chatted with. */
  orchestration_id?: string;
}

/**
 * A human-input field of a HUMAN step, as stored: `name` (the backend's example bundles write `key`
 * instead), `type` (`text`, `boolean`, `number`, `email`, `date`, `select`…), `label`, and for a select its
 * `options` (and `multiple`: the answer is an array).
 */
export interface HumanField {
  name?: string;
  key?: string;
  type: string;
  label: string;
  options?: string[];
  multiple?: boolean;
}

/** The step types of the Synapse engine (`StepType`). */
export type StepType = 'agent' | 'evaluator' | 'human' | 'transform' | 'if_else' | 'end';

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
  /**
   * AGENT: how this step's model call goes, overriding the emulator's `llm` mode: `local_down` answers the
   * `Local Agent Error:` text as the step's output, `error` sends an `error` event tagged with the step and
   * then the raw error text as its output. Either way the step "completes" (api-notes §2c).
   */
  llm?: 'ok' | 'error' | 'local_down';
  /** EVALUATOR: route label → target step id (`null` ends the orchestration). */
  route_map?: Record<string, string | null>;
  /** EVALUATOR: the label and reasoning the stand-in LLM picks. */
  decide?: (state: SharedState) => { label: string; reasoning: string };
  /** HUMAN: prompt (may reference `{state.key}`) and the fields to fill. */
  human_prompt?: string;
  human_fields?: HumanField[];
  /** TRANSFORM: the result the code produces. */
  transform?: (state: SharedState) => unknown;
  /** IF_ELSE: the condition as written in the orchestration (Python, evaluated against `state`). */
  if_condition?: string;
  /** IF_ELSE: the same condition, evaluated the way Python would (typed: `"true" == True` is false). */
  condition?: (state: SharedState) => boolean;
  if_true_step_id?: string | null;
  if_false_step_id?: string | null;
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

/** The human's answers (`human_response`), as stored verbatim by resume. */
function humanAnswers(state: SharedState): Record<string, unknown> {
  const h = state.human_response;
  return typeof h === 'object' && h !== null && !Array.isArray(h) ? (h as Record<string, unknown>) : {};
}

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
    {
      id: 'agent_publisher',
      name: 'Publishing Orchestrator',
      type: 'orchestrator',
      model: '',
      capabilities: [],
      description: 'Runs the "Publish with approval" orchestration (it pauses for a human approval).',
      orchestration_id: 'orch_publish_approval',
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
