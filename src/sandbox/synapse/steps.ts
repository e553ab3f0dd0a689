/**
 * The Synapse engine's steps (SYN `core/orchestration/steps.py`): one step's body, the agent context it
 * sees, the routing to the next step with its loop guard, and the run's final response.
 */
import { LLM_ERROR_TEXT, type LlmMode, LOCAL_AGENT_ERROR_TEXT } from './chat.js';
import type { AgentDef, OrchestrationDef, StepDef } from './definitions.js';
import { DEFAULT_MAX_ITERATIONS, type EngineEvent, pyStr, type Recorder, type RunState } from './run.js';

/** The body of a step that neither pauses nor ends the run. */
export function runStep(
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

/** A step's `agent_context`: its first set `input_keys` value, else the latest step output, as `str()`. */
export function agentContext(step: StepDef, run: RunState): string | null {
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
export function resolveNext(
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
export function finalResponse(run: RunState): string {
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
