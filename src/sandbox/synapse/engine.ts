/**
 * The sandbox's stand-in for Synapse's orchestration engine (SYN `core/orchestration/engine.py`): it starts
 * and resumes runs, walking a step graph and producing the engine's events in the engine's order, each with
 * the delay that precedes it (the pacing a stream uses; the synchronous routes ignore it). Deterministic: the
 * "LLM" is the scripted behaviour of the seed orchestrations; the steps themselves are in `steps.ts`, the
 * chat loop in `chat.ts`.
 */
import type { LlmMode } from './chat.js';
import type { AgentDef, OrchestrationDef } from './definitions.js';
import { DEFAULT_MAX_TURNS, iso, type PacedEvent, Recorder, type RunState, substitute } from './run.js';
import { agentContext, finalResponse, resolveNext, runStep } from './steps.js';

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
    if (step.reports_error !== undefined) {
      rec.emit({ type: 'step_error', orch_step_id: step.id, error: step.reports_error });
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
