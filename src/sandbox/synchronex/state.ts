/** What the Synchronex emulator's routes read and mutate (tokens, scopes, the store), and a handler's shape. */
import type { Clock } from '../common/clock.js';
import type { FaultInjector } from '../common/faults.js';
import type { EmulatorRequest } from '../common/server.js';
import type { SxStore } from './model.js';

/** Base path of every route. */
export const BASE_PATH = '/api/v1';

/** What a credential may do. API keys carry `read`/`write`; OAuth tokens `memory:*` and `decisions:*`. */
export type Scope = 'read' | 'write' | 'memory:read' | 'memory:write' | 'decisions:read' | 'decisions:write';

/** One accepted bearer token. */
export interface TokenInfo {
  scopes: ReadonlySet<Scope>;
  /** Requests made in the current UTC day. */
  used: { day: number; count: number };
}

/** What the routes read and mutate. */
export interface SxState {
  readonly clock: Clock;
  tokens: Map<string, TokenInfo>;
  dailyLimit: number;
  /** An ingested signal becomes searchable this long after it was accepted. */
  signalDelayMs: number;
  store: SxStore;
  readonly statusFaults: FaultInjector;
}

/** What a route handler gets: the state, the request, its path parameters and the time. */
export interface Ctx {
  state: SxState;
  req: EmulatorRequest;
  params: Record<string, string>;
  now: number;
}

/** What a route handler answers: a status (200 unless given) and a JSON body. */
export interface Reply {
  status?: number;
  body: unknown;
}

/** What a route needs of a token: to read or to write. */
export type Need = 'read' | 'write';

/** Which OAuth scope family a route belongs to. */
export type Area = 'memory' | 'decisions';

/** Epoch milliseconds as an ISO 8601 string. */
export const iso = (ms: number) => new Date(ms).toISOString();
