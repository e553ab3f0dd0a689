/**
 * The sandbox's stand-in for Synapse's orchestration engine and ReAct chat loop (SYN
 * `core/orchestration/{engine,steps}.py`, `core/routes/api_v1.py`). It walks a step graph and produces the
 * engine's events in the engine's order, each with the delay that precedes it (the pacing a stream uses;
 * the synchronous routes ignore it). Deterministic: the "LLM" is the scripted behaviour in `data.ts`.
 */
import type { AgentDef, OrchestrationDef, SharedState, StepDef } from './data.js';

/** One engine event (`{type, …}`), as the SSE routes send it. */
export type EngineEvent = Record<string, unknown> & { type: string };

/** An event and the pause before it, in milliseconds (before the pacing factor). */
export interface PacedEvent {
  event: EngineEvent;
  delayMs: number;
}

/** A run's checkpoint (what `SharedState.checkpoint()` persists). */
export interface RunState {
  run_id: string;
  orchestration_id: string;
  status: string;
  shared_state: SharedState;
  step_history: Array<Record<string, unknown>>;
  current_step_id: string | null;
  started_at: string;
  ended_at: string | null;
}

/** How long each kind of event takes to arrive, in ms (realistic order of magnitude, scaled down). */
const DELAY: Readonly<Record<string, number>> = {
  orchestration_start: 5,
  step_start: 20,
  thinking: 25,
  status: 15,
  tool_execution: 30,
  tool_result: 45,
  llm_thought: 20,
  final: 35,
  response: 35,
  step_complete: 20,
  step_error: 25,
  routing_decision: 20,
  loop_limit_reached: 10,
  transform_result: 30,
  human_input_required: 25,
  orchestration_end: 20,
  orchestration_complete: 20,
  orchestration_error: 10,
  session: 5,
  error: 30,
};

const DEFAULT_MAX_TURNS = 50;
const DEFAULT_MAX_ITERATIONS = 3;

function iso(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

/** Python's `str()` of a value, for `transform_result` and `agent_context`. */
function pyStr(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** Collects events and keeps the simulated time moving with them. */
class Recorder {
  readonly events: PacedEvent[] = [];
  time: number;

  constructor(start: number) {
    this.time = start;
  }

  emit(event: EngineEvent): void {
    const delayMs = DELAY[event.type] ?? 20;
    this.time += delayMs;
    this.events.push({ event, delayMs });
  }
}

/** `{state.key}` references in a prompt, as the HUMAN step substitutes them. */
function substitute(template: string, state: SharedState): string {
  return template.replace(/\{state\.(\w+)\}/g, (whole, key: string) =>
    key in state ? pyStr(state[key]) : whole,
  );
}

/** Starts a run: `orchestration_start`, then the step loop from the entry step. */
export function startRun(
  orch: OrchestrationDef,
  agents: readonly AgentDef[],
  message: string,
  runId: string,
  now: number,
  llm: LlmMode = 'ok',
): { run: RunState; events: PacedEvent[] } {
  const run: RunState = {
    run_id: runId,
    orchestration_id: orch.id,
    status: 'running',
    shared_state: { user_input: message },
    step_history: [],
    current_step_id: orch.entry_step_id,
    started_at: iso(now),
    ended_at: null,
  };
  const rec = new Recorder(now);
  rec.emit({
    type: 'orchestration_start',
    run_id: runId,
    orchestration_id: orch.id,
    orchestration_name: orch.name,
  });
  executeLoop(orch, agents, run, rec, llm);
  return { run, events: rec.events };
}

/**
 * Resumes a run after human input (`OrchestrationEngine.resume`): writes `human_response`, moves past the
 * step that paused, and runs the loop. A finished run is run again from where it ended (no guard upstream):
 * it answers `completed` again.
 */
export function resumeRun(
  orch: OrchestrationDef | undefined,
  agents: readonly AgentDef[],
  run: RunState,
  humanResponse: Record<string, unknown>,
  now: number,
  llm: LlmMode = 'ok',
): PacedEvent[] {
  const rec = new Recorder(now);
  if (!orch) {
    rec.emit({ type: 'orchestration_error', error: `Orchestration '${run.orchestration_id}' not found` });
    return rec.events;
  }
  run.shared_state.human_response = humanResponse;
  run.status = 'running';
  const current = orch.steps.find((s) => s.id === run.current_step_id);
  if (current) {
    const [next] = resolveNext(orch, current, run);
    run.current_step_id = next;
  }
  executeLoop(orch, agents, run, rec, llm);
  return rec.events;
}

function executeLoop(
  orch: OrchestrationDef,
  agents: readonly AgentDef[],
  run: RunState,
  rec: Recorder,
  llm: LlmMode,
): void {
  const stepMap = new Map(orch.steps.map((s) => [s.id, s]));
  let turns = run.step_history.length;
  const maxTurns = orch.max_total_turns ?? DEFAULT_MAX_TURNS;

  while (run.current_step_id && run.status === 'running') {
    const step = stepMap.get(run.current_step_id);
    if (!step) {
      run.status = 'failed';
      rec.emit({ type: 'orchestration_error', error: `Step '${run.current_step_id}' not found` });
      break;
    }
    turns += 1;
    if (turns > maxTurns) {
      run.status = 'failed';
      rec.emit({ type: 'orchestration_error', error: `Global turn limit (${maxTurns}) exceeded` });
      break;
    }
    const startedAt = rec.time;
    rec.emit({ type: 'step_start', orch_step_id: step.id, step_name: step.name, step_type: step.type });

    if (step.fails_with !== undefined) {
      run.step_history.push({
        step_id: step.id,
        step_name: step.name,
        step_type: step.type,
        status: 'failed',
        error: step.fails_with,
      });
      run.status = 'failed';
      rec.emit({ type: 'step_error', orch_step_id: step.id, error: step.fails_with });
      break;
    }

    if (step.type === 'human') {
      const prompt = substitute(step.human_prompt ?? 'Please provide input to continue.', run.shared_state);
      run.status = 'paused';
      run.current_step_id = step.id;
      rec.emit({
        type: 'human_input_required',
        orch_step_id: step.id,
        prompt,
        fields: step.human_fields ?? [],
        run_id: run.run_id,
        agent_context: agentContext(step, run),
        channel_id: null,
      });
      // The engine returns here: no step_complete, no orchestration_complete, no final.
      return;
    }

    if (step.type === 'end') {
      rec.emit({ type: 'orchestration_end', orch_step_id: step.id });
      run.status = 'completed';
      break;
    }

    runStep(step, agents, run, rec, llm);

    const duration = Math.round((rec.time - startedAt) / 10) / 100;
    run.step_history.push({
      step_id: step.id,
      step_name: step.name,
      step_type: step.type,
      status: 'completed',
      started_at: iso(startedAt),
      ended_at: iso(rec.time),
      duration_seconds: duration,
      output_key: step.output_key ?? null,
    });
    rec.emit({
      type: 'step_complete',
      orch_step_id: step.id,
      step_name: step.name,
      duration_seconds: duration,
    });

    const [next, extra] = resolveNext(orch, step, run);
    if (extra) rec.emit(extra);
    run.current_step_id = next;
  }

  if (run.status === 'running') run.status = 'completed';
  run.ended_at = iso(rec.time);
  rec.emit({
    type: 'orchestration_complete',
    run_id: run.run_id,
    status: run.status,
    final_state: run.shared_state,
  });
  rec.emit({
    type: 'final',
    response: finalResponse(run),
    intent: 'orchestration',
    data: {
      run_id: run.run_id,
      status: run.status,
      step_history: run.step_history,
      shared_state: run.shared_state,
    },
    tool_name: null,
  });
}

/** The body of a step that neither pauses nor ends the run. */
function runStep(
  step: StepDef,
  agents: readonly AgentDef[],
  run: RunState,
  rec: Recorder,
  llm: LlmMode,
): void {
  const state = run.shared_state;
  if (step.type === 'agent') {
    const agentName = agents.find((a) => a.id === step.agent_id)?.name ?? step.agent_id ?? 'default';
    rec.emit({ type: 'thinking', message: `${agentName} is thinking…`, orch_step_id: step.id });
    const mode = step.llm ?? llm;
    if (mode !== 'ok') {
      // The model call fails, yet the step "completes" with the error text as its output (api-notes §2c):
      // a provider exception first sends an `error` event tagged with the step; a local model server that
      // is down answers the `Local Agent Error:` text as if it were the model's output.
      const text = mode === 'error' ? LLM_ERROR_TEXT : LOCAL_AGENT_ERROR_TEXT;
      if (mode === 'error') {
        rec.emit({ type: 'error', message: text, orch_step_id: step.id, step_name: step.name });
      } else {
        rec.emit({
          type: 'llm_thought',
          thought: text,
          turn: 1,
          orch_step_id: step.id,
          step_name: step.name,
        });
      }
      rec.emit({
        type: 'final',
        response: text,
        intent: 'chat',
        orch_step_id: step.id,
        step_name: step.name,
      });
      if (step.output_key) state[step.output_key] = text;
      return;
    }
    for (const tool of step.tools ?? []) {
      rec.emit({
        type: 'tool_execution',
        tool_name: tool.tool_name,
        args: tool.args(state),
        step_name: step.name,
        orch_step_id: step.id,
      });
      rec.emit({
        type: 'tool_result',
        tool_name: tool.tool_name,
        preview: tool.preview(state),
        step_name: step.name,
        orch_step_id: step.id,
      });
    }
    const answer = step.answer?.(state) ?? 'I completed the requested actions.';
    rec.emit({ type: 'final', response: answer, intent: 'chat', orch_step_id: step.id });
    if (step.output_key && answer) state[step.output_key] = answer;
    return;
  }
  if (step.type === 'evaluator') {
    if (!step.route_map || Object.keys(step.route_map).length === 0) {
      rec.emit({ type: 'step_warning', orch_step_id: step.id, message: 'No routes defined' });
      return;
    }
    rec.emit({ type: 'thinking', orch_step_id: step.id, message: 'Evaluator deciding route...' });
    const labels = Object.keys(step.route_map);
    // With the model down the evaluator gets no valid decision and falls back to the first route.
    const picked = (llm === 'ok' ? step.decide?.(state) : undefined) ?? {
      label: labels[0] ?? '',
      reasoning: 'Fallback — LLM did not return a valid routing decision',
    };
    rec.emit({
      type: 'routing_decision',
      tool_name: `route_${picked.label}`,
      arguments: { reasoning: picked.reasoning },
      orch_step_id: step.id,
    });
    state[`_routing_decision_${step.id}`] = picked.label;
    state[`_routing_reasoning_${step.id}`] = picked.reasoning;
    if (step.output_key) state[step.output_key] = `Route: ${picked.label} — ${picked.reasoning}`;
    return;
  }
  if (step.type === 'if_else') {
    const result = step.condition?.(state) ?? false;
    state[`_if_decision_${step.id}`] = result ? 'true' : 'false';
    if (step.output_key) state[step.output_key] = result;
    rec.emit({
      type: 'if_decision',
      orch_step_id: step.id,
      step_name: step.name,
      condition: step.if_condition ?? '',
      result: result ? 'true' : 'false',
    });
    return;
  }
  if (step.type === 'transform') {
    const result = step.transform?.(state);
    if (step.output_key && result !== undefined && result !== null) state[step.output_key] = result;
    rec.emit({
      type: 'transform_result',
      orch_step_id: step.id,
      result: result === undefined || result === null ? null : pyStr(result).slice(0, 2000),
    });
  }
}

function agentContext(step: StepDef, run: RunState): string | null {
  for (const key of step.input_keys ?? []) {
    const value = run.shared_state[key];
    if (value) return pyStr(value);
  }
  for (const h of [...run.step_history].reverse()) {
    const key = h.output_key;
    if (typeof key === 'string' && key in run.shared_state) return pyStr(run.shared_state[key]);
  }
  return null;
}

/** `_resolve_next`: the next step id and the event announcing a routing decision or loop limit. */
function resolveNext(
  orch: OrchestrationDef,
  step: StepDef,
  run: RunState,
): [string | null, EngineEvent | undefined] {
  if (step.type === 'end') return [null, undefined];
  if (step.type === 'if_else') {
    const decision = run.shared_state[`_if_decision_${step.id}`];
    const target =
      decision === 'true' && step.if_true_step_id
        ? step.if_true_step_id
        : (step.if_false_step_id ?? step.next_step_id ?? null);
    const event: EngineEvent = {
      type: 'if_decision',
      orch_step_id: step.id,
      decision,
      target_step_id: target,
    };
    return target ? [loopGuard(orch, target, run)[0], event] : [null, event];
  }
  if (step.type === 'evaluator' && step.route_map) {
    const decision = run.shared_state[`_routing_decision_${step.id}`];
    if (typeof decision === 'string' && decision in step.route_map) {
      const target = step.route_map[decision] ?? null;
      const event: EngineEvent = {
        type: 'routing_decision',
        orch_step_id: step.id,
        decision,
        target_step_id: target,
        reasoning: String(run.shared_state[`_routing_reasoning_${step.id}`] ?? ''),
      };
      if (target === null) return [null, event];
      const [guarded, loopEvent] = loopGuard(orch, target, run);
      return [guarded, event ?? loopEvent];
    }
  }
  const next = step.next_step_id ?? null;
  return next ? loopGuard(orch, next, run) : [null, undefined];
}

function loopGuard(
  orch: OrchestrationDef,
  nextId: string,
  run: RunState,
): [string | null, EngineEvent | undefined] {
  const target = orch.steps.find((s) => s.id === nextId);
  if (!target) return [nextId, undefined];
  const count = run.step_history.filter((h) => h.step_id === nextId).length;
  if (count >= DEFAULT_MAX_ITERATIONS) {
    return [
      target.next_step_id ?? null,
      {
        type: 'loop_limit_reached',
        orch_step_id: nextId,
        iterations: count,
        max_iterations: DEFAULT_MAX_ITERATIONS,
      },
    ];
  }
  return [nextId, undefined];
}

/** `_build_final_response`. */
function finalResponse(run: RunState): string {
  if (run.status === 'failed') {
    const last = [...run.step_history].reverse().find((h) => h.error);
    return `Orchestration failed. Error: ${last ? String(last.error) : 'Unknown error'}`;
  }
  if (run.status === 'paused') return 'Orchestration paused, waiting for human input.';
  for (const h of [...run.step_history].reverse()) {
    const key = h.output_key;
    if (typeof key === 'string' && run.shared_state[key]) return pyStr(run.shared_state[key]);
  }
  return `Orchestration completed. ${run.step_history.length} steps executed.`;
}

/** What the stand-in LLM does for one chat turn. */
export type LlmMode = 'ok' | 'error' | 'local_down';

/** The raw error text a failing provider produces (what `/chat/stream` echoes in its `response`). */
export const LLM_ERROR_TEXT = 'Error: LLM provider returned HTTP 500 (model overloaded).';
/** What the real backend answers when its local model server is down. */
export const LOCAL_AGENT_ERROR_TEXT =
  'Local Agent Error: Cannot connect to host localhost:11434 ssl:default [Connection refused]';
/** `/chat`'s 500 detail and `/chat/stream`'s `error` message for an agent failure. */
export const AGENT_ERROR_DETAIL = 'The agent encountered an error processing your request.';

/** One chat turn: the ReAct loop's events (`/chat/stream` order) and the final answer or error. */
export function chatTurn(
  agent: AgentDef,
  message: string,
  sessionId: string,
  turn: number,
  mode: LlmMode,
): { events: PacedEvent[]; response: string; failed: boolean } {
  const rec = new Recorder(0);
  rec.emit({ type: 'session', session_id: sessionId, agent_id: agent.id, agent_name: agent.name });
  rec.emit({ type: 'status', message: `${agent.name} is working on your request` });
  if (mode === 'error') {
    rec.emit({ type: 'error', message: AGENT_ERROR_DETAIL });
    rec.emit({ type: 'response', content: LLM_ERROR_TEXT, intent: 'chat', session_id: sessionId });
    rec.emit({ type: 'done' });
    return { events: rec.events, response: LLM_ERROR_TEXT, failed: true };
  }
  if (mode === 'local_down') {
    // The provider returns the error text as if the model had said it: the loop shows it as a thought, then
    // answers it (no tool call in it).
    rec.emit({ type: 'llm_thought', thought: LOCAL_AGENT_ERROR_TEXT, turn: 1 });
    rec.emit({ type: 'response', content: LOCAL_AGENT_ERROR_TEXT, intent: 'chat', session_id: sessionId });
    rec.emit({ type: 'done' });
    return { events: rec.events, response: LOCAL_AGENT_ERROR_TEXT, failed: false };
  }
  rec.emit({ type: 'thinking', message: 'Planning the answer…' });
  const tool = agent.capabilities?.[0];
  if (tool) {
    rec.emit({ type: 'tool_execution', tool_name: tool, args: { query: message } });
    rec.emit({ type: 'tool_result', tool_name: tool, preview: `2 results for "${message.slice(0, 60)}"` });
  }
  rec.emit({ type: 'llm_thought', thought: 'I have what I need to answer.', turn: 1 });
  const response = `${agent.name} (turn ${turn}): ${tool ? `after using ${tool}, ` : ''}here is my answer to "${message}".`;
  rec.emit({ type: 'response', content: response, intent: 'chat', session_id: sessionId });
  rec.emit({ type: 'done' });
  return { events: rec.events, response, failed: false };
}

/** `_resolve_agent_for_api`: exact id → case-insensitive name → partial name → first agent. */
export function resolveAgent(
  agents: readonly AgentDef[],
  identifier: string | null | undefined,
): AgentDef | undefined {
  if (agents.length === 0) return undefined;
  if (!identifier) return agents[0];
  const byId = agents.find((a) => a.id === identifier);
  if (byId) return byId;
  const lower = identifier.toLowerCase();
  return (
    agents.find((a) => a.name.toLowerCase() === lower) ??
    agents.find((a) => a.name.toLowerCase().includes(lower)) ??
    agents[0]
  );
}

/**
 * What `/chat` and `/chat/stream` make of an orchestrator agent's run (`run_react_loop` delegates to the
 * engine, api_v1 filters its events): only status, thinking, tool and thought events pass; every `final`
 * (each agent step's, then the run's) becomes a `response` followed by a `done`; a pause for a human is
 * dropped, so the stream just ends (api-notes §2c). The sync route answers the last `final`.
 */
export function orchestratorChat(
  agent: AgentDef,
  sessionId: string,
  runEvents: readonly PacedEvent[],
): { events: PacedEvent[]; response: string; failed: boolean } {
  const rec = new Recorder(0);
  rec.emit({ type: 'session', session_id: sessionId, agent_id: agent.id, agent_name: agent.name });
  rec.emit({ type: 'status', message: 'Processing your request...' });
  let response = 'I completed the requested actions.';
  let failed = false;
  for (const { event } of runEvents) {
    switch (event.type) {
      case 'status':
      case 'thinking':
        rec.emit({ type: event.type, message: event.message ?? '' });
        break;
      case 'tool_execution':
        rec.emit({ type: 'tool_execution', tool_name: event.tool_name, args: event.args });
        break;
      case 'tool_result':
        rec.emit({ type: 'tool_result', tool_name: event.tool_name, preview: event.preview });
        break;
      case 'llm_thought':
        rec.emit({ type: 'llm_thought', thought: event.thought, turn: event.turn ?? 1 });
        break;
      case 'final':
        response = typeof event.response === 'string' ? event.response : '';
        rec.emit({
          type: 'response',
          content: response,
          intent: event.intent ?? 'chat',
          session_id: sessionId,
        });
        rec.emit({ type: 'done' });
        break;
      case 'error':
        failed = true;
        rec.emit({ type: 'error', message: AGENT_ERROR_DETAIL });
        break;
      default:
        break;
    }
  }
  return { events: rec.events, response, failed };
}
