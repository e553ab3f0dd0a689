/**
 * What a Synapse run is made of: its events (each with the pause before it), its checkpoint, and the recorder
 * that collects events while keeping the simulated time moving.
 */
import type { SharedState } from './definitions.js';

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

/** Step executions a run may take when its orchestration sets no `max_total_turns`. */
export const DEFAULT_MAX_TURNS = 50;

/** Runs of one step after which routing back to it is refused (the loop guard). */
export const DEFAULT_MAX_ITERATIONS = 3;

/** Epoch milliseconds as the engine writes timestamps: ISO 8601 to the second, `Z`. */
export function iso(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

/** Python's `str()` of a value, for `transform_result` and `agent_context`. */
export function pyStr(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** Collects events and keeps the simulated time moving with them. */
export class Recorder {
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
export function substitute(template: string, state: SharedState): string {
  return template.replace(/\{state\.(\w+)\}/g, (whole, key: string) =>
    key in state ? pyStr(state[key]) : whole,
  );
}
