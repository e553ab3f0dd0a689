/**
 * What a Synapse install configures: agents and orchestrations (step graphs), as `DATA_DIR/user_agents.json`
 * and `orchestrations.json` hold them, plus what the sandbox's stand-in LLM does in each step.
 */
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
   * A scripted fault: the engine sends `step_error` with this text for the step, then carries on as if
   * nothing happened (the step runs and the run can end `completed`, its step_history silent about it).
   */
  reports_error?: string;
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
