/**
 * In-process emulator of the Synapse REST API (seed 001 + api-notes §2, §2b, §8.5), served on an ephemeral
 * loopback port under `/api/v1`. Used by `syn-mcp --sandbox` and as the test bed.
 *
 * What it holds: four agents (name resolution exact id → case-insensitive name → partial name → first
 * agent, as the real `/chat` does; the fourth, `agent_publisher`, is an `orchestrator`: chatting with it runs
 * `orch_publish_approval` and, like the backend, shows each step's output as a `response` + `done` and hides
 * the pause), four orchestrations — `orch_research_report` (agent → evaluator routing → agent → end, with
 * tool events), `orch_publish_approval` (pauses at a HUMAN step with typed fields — boolean `approved`, select
 * `channel`, a `key`-named `notes` — then an IF step compares `approved == True` typed, so the string "true"
 * takes the reject branch), `orch_data_sync` (a step fails: run `failed`), `orch_broken_graph`
 * (`orchestration_error`). `GET /orchestrations/{id}` answers as v1.4.3 does: empty labels, no depends_on or
 * edges (api-notes §2c).
 *
 * Model failures (`llm`, or a step's own `llm`) behave as in §2b/§2c: `/chat` 500 or 200 `Local Agent Error:`;
 * inside runs the step "completes" with the error text as its output (an `error` event tagged with the step
 * first, for a provider error). A `stall` stream fault holds a stream silent (a model call in progress).
 *
 * Choices where the documents are silent:
 * - Missing `Authorization` → 403 `Not authenticated` (FastAPI 0.115, what §2b observed); `missingAuthStatus`
 *   switches to the newer 401.
 * - Events are paced by realistic per-type delays (5–45 ms, `pacing` scales them); the sync routes answer at
 *   once. A stream's pacing timers are cleared the moment the client disconnects.
 * - Run ids are `run_<orch_id>_<epoch_ms>`, bumped by 1 ms when two runs start in the same millisecond.
 * - `GET /agents/{id}` `model` is `""` when unset, `null` when stored as null (both seen upstream).
 */
import type { Clock } from '../common/clock.js';
import { systemClock } from '../common/clock.js';
import type { FaultRule } from '../common/faults.js';
import type { RecordedRequest } from '../common/server.js';
import { createEmulatorServer } from '../common/server.js';
import type { LlmMode } from './chat.js';
import type { AgentDef, OrchestrationDef } from './definitions.js';
import { createHandler } from './routes.js';
import type { RunState } from './run.js';
import { defaultAgents } from './seed-agents.js';
import { defaultOrchestrations } from './seed-orchestrations.js';
import { type StreamFault, StreamHub, type StreamRecord } from './sse.js';
import { BASE_PATH, type SynapseState } from './state.js';

export type { LlmMode } from './chat.js';
export {
  AGENT_ERROR_DETAIL,
  CHAT_STAND_IN_TEXT,
  INTERNAL_ERROR_DETAIL,
  LLM_ERROR_TEXT,
  LOCAL_AGENT_ERROR_TEXT,
} from './chat.js';
export type { AgentDef, HumanField, OrchestrationDef, StepDef } from './definitions.js';
export type { RunState } from './run.js';
export type { StreamEnd, StreamFault, StreamRecord } from './sse.js';

/** The sandbox's default API key: `sk-syn-` + 64 hex characters, like `secrets.token_hex(32)`. */
export const DEFAULT_SANDBOX_API_KEY = `sk-syn-${'5a4db0c1'.repeat(8)}`;

/** Options of `createSynapseEmulator`. */
export interface SynapseEmulatorOptions {
  apiKey?: string;
  clock?: Clock;
  /** Multiplies every stream event's delay (default 1; 0 sends events back to back). */
  pacing?: number;
  /** Status for a missing Authorization header: 403 (default, FastAPI 0.115) or 401 (newer FastAPI). */
  missingAuthStatus?: 401 | 403;
}

/** A running Synapse emulator. */
export interface SynapseEmulator {
  /** Starts the server; resolves to the base URL `http://127.0.0.1:PORT/api/v1`. */
  listen(): Promise<string>;
  /** Stops the server, streams and keep-alive connections included. */
  close(): Promise<void>;
  /** The base URL; throws before `listen()` resolved. */
  readonly url: string;
  /** The key that authenticates; assigning replaces it (the old one becomes "revoked"). */
  apiKey: string;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[];
  /** Every SSE response served, in order, with the events written and how it ended. */
  readonly streams: StreamRecord[];
  /** Resolves when a stream (already ended or future) matching `filter` has ended. */
  waitForStreamClose(filter?: (r: StreamRecord) => boolean): Promise<StreamRecord>;
  /** Configured agents (mutable; `[]` makes `/chat` answer 400 `No agents configured`). */
  agents: AgentDef[];
  /** Configured orchestrations (mutable). */
  orchestrations: OrchestrationDef[];
  /** Runs by id (checkpoints). */
  readonly runs: ReadonlyMap<string, RunState>;
  /** `ok`; `error` (provider failure: `/chat` 500, stream `error` then `response`); `local_down` (200 `Local Agent Error:`). */
  llm: LlmMode;
  /**
   * True: a chat turn ends without the agent's answer (the loop's `final` has no `response`): `/chat` answers
   * Synapse's stand-in `CHAT_STAND_IN_TEXT`, `/chat/stream` a `response` whose content is `""`.
   */
  answerless: boolean;
  /**
   * True: a chat turn fails with api_v1's catch-all error, not the agent's: `/chat` answers 500
   * `INTERNAL_ERROR_DETAIL`, `/chat/stream` sends `error` with that message (no answer).
   */
  internalError: boolean;
  /** True: `/chat` and `/chat/stream` answer 503 (server still starting). */
  starting: boolean;
  /** Stream event delay factor. */
  pacing: number;
  /** Arms an HTTP fault rule (string paths may omit `/api/v1`). */
  inject(rule: FaultRule): void;
  /** Breaks the next matching stream after N events (`cut` the socket, or `end` without `done`). */
  injectStream(fault: StreamFault): void;
  /** Disarms every fault rule (HTTP and stream). */
  clearFaults(): void;
  /** Back to a fresh state: data, runs, sessions, modes, key, request log, stream records and faults. */
  reset(): void;
}

/** Creates (without starting) a Synapse emulator. */
export function createSynapseEmulator(opts: SynapseEmulatorOptions = {}): SynapseEmulator {
  const initialKey = opts.apiKey ?? DEFAULT_SANDBOX_API_KEY;
  const initialPacing = opts.pacing ?? 1;
  const state: SynapseState = {
    clock: opts.clock ?? systemClock,
    apiKeys: [initialKey],
    agents: defaultAgents(),
    orchestrations: defaultOrchestrations(),
    runs: new Map(),
    sessions: new Map(),
    llm: 'ok',
    answerless: false,
    internalError: false,
    starting: false,
    missingAuthStatus: opts.missingAuthStatus ?? 403,
    lastRunMs: 0,
  };
  const hub = new StreamHub(BASE_PATH, initialPacing);
  const server = createEmulatorServer({
    handle: createHandler(state, hub),
    errorBody: (_status, message) => ({ detail: message }),
    pathPrefix: BASE_PATH,
  });

  return {
    async listen(): Promise<string> {
      return `${await server.listen()}${BASE_PATH}`;
    },
    async close(): Promise<void> {
      hub.stopAll();
      await server.close();
    },
    get url(): string {
      const origin = server.origin;
      if (origin === undefined) throw new Error('Synapse emulator is not listening; await listen() first');
      return `${origin}${BASE_PATH}`;
    },
    get apiKey(): string {
      return state.apiKeys[0] ?? '';
    },
    set apiKey(value: string) {
      state.apiKeys = [value];
    },
    requests: server.requests,
    streams: hub.records,
    waitForStreamClose: (filter) => hub.waitForClose(filter),
    get agents() {
      return state.agents;
    },
    set agents(value: AgentDef[]) {
      state.agents = value;
    },
    get orchestrations() {
      return state.orchestrations;
    },
    set orchestrations(value: OrchestrationDef[]) {
      state.orchestrations = value;
    },
    runs: state.runs,
    get llm() {
      return state.llm;
    },
    set llm(value: LlmMode) {
      state.llm = value;
    },
    get answerless() {
      return state.answerless;
    },
    set answerless(value: boolean) {
      state.answerless = value;
    },
    get internalError() {
      return state.internalError;
    },
    set internalError(value: boolean) {
      state.internalError = value;
    },
    get starting() {
      return state.starting;
    },
    set starting(value: boolean) {
      state.starting = value;
    },
    get pacing() {
      return hub.pacing;
    },
    set pacing(value: number) {
      hub.pacing = value;
    },
    inject: (rule) => server.inject(rule),
    injectStream: (fault) => hub.inject(fault),
    clearFaults(): void {
      server.clearFaults();
      hub.clearFaults();
    },
    reset(): void {
      state.apiKeys = [initialKey];
      state.agents = defaultAgents();
      state.orchestrations = defaultOrchestrations();
      state.runs.clear();
      state.sessions.clear();
      state.llm = 'ok';
      state.answerless = false;
      state.internalError = false;
      state.starting = false;
      state.lastRunMs = 0;
      hub.pacing = initialPacing;
      hub.reset();
      server.requests.length = 0;
      server.clearFaults();
    },
  };
}
