/** What the Synapse emulator's routes read and mutate, and the shape of a route. */
import type { ServerResponse } from 'node:http';
import type { Clock } from '../common/clock.js';
import type { EmulatorRequest } from '../common/server.js';
import type { LlmMode } from './chat.js';
import type { AgentDef, OrchestrationDef } from './definitions.js';
import type { RunState } from './run.js';
import type { StreamHub } from './sse.js';

/** Base path of every route. */
export const BASE_PATH = '/api/v1';

/** What the routes read and mutate. */
export interface SynapseState {
  readonly clock: Clock;
  /** Keys that authenticate (`sk-syn-` + 64 hex); a key not in the list is "invalid or revoked". */
  apiKeys: string[];
  agents: AgentDef[];
  orchestrations: OrchestrationDef[];
  readonly runs: Map<string, RunState>;
  /** Chat turns per session id. */
  readonly sessions: Map<string, number>;
  llm: LlmMode;
  /** True: a chat turn's `final` has no `response` (`/chat` answers its stand-in text, the stream `""`). */
  answerless: boolean;
  /** True: a chat turn fails with api_v1's generic internal error (`/chat` 500, the stream's `error`). */
  internalError: boolean;
  /** True while "the server is still starting" (`/chat` answers 503). */
  starting: boolean;
  /** Status for a missing `Authorization` header: 403 (FastAPI 0.115) or 401 (newer FastAPI). */
  missingAuthStatus: 401 | 403;
  lastRunMs: number;
}

/** One route: its method, its path pattern under BASE_PATH (one group per parameter) and what it does. */
export type Route = {
  method: 'GET' | 'POST';
  pattern: RegExp;
  run(state: SynapseState, hub: StreamHub, req: EmulatorRequest, res: ServerResponse, params: string[]): void;
};
