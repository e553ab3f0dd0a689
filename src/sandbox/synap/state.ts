/** What the Synap emulator's routes read and mutate, and the shape of a route handler. */
import type { Clock } from '../common/clock.js';
import type { FaultInjector } from '../common/faults.js';
import type { EmulatorRequest } from '../common/server.js';
import type { ErrorStyle } from './envelope.js';
import type { SynapStore } from './model.js';

/** B2B (`strict`: customer_id required with user_id) or B2C (`equals_customer`). */
export type Isolation = 'b2b' | 'b2c';

/** What the routes read and mutate. */
export interface SynapState {
  readonly clock: Clock;
  apiKey: string;
  isolation: Isolation;
  errorStyle: ErrorStyle;
  /** An ingestion completes this long after it was queued, or at its second status poll. */
  ingestionDelayMs: number;
  /** A compaction completes this long after it started, or at its second status read. */
  compactionDelayMs: number;
  /** Authenticated requests allowed per window (the name predates `rateWindowMs`: per window, not per minute). */
  rateLimitPerMinute: number;
  /** Length of the fixed, epoch-aligned rate window (ms; 60 000 unless a test shortens it). */
  rateWindowMs: number;
  store: SynapStore;
  window: { startMs: number; count: number };
  /** What the rate limiter saw, for tests: authenticated requests per window start and rate 429s sent. */
  readonly rate: RateStats;
  readonly statusFaults: FaultInjector;
  readonly instanceId: string;
}

/** Authenticated requests per window (keyed by the window's start, epoch ms) and the 429s the limit caused. */
export interface RateStats {
  readonly windows: Map<number, number>;
  rejected: number;
}

/** What a route handler gets: the state, the request, its path parameters and the time. */
export interface Ctx {
  state: SynapState;
  req: EmulatorRequest;
  params: Record<string, string>;
  now: number;
}

/** What a route handler answers: a status (200 unless given) and a JSON body. */
export interface Reply {
  status?: number;
  body: unknown;
}

/** Epoch milliseconds as an ISO 8601 string. */
export const iso = (ms: number) => new Date(ms).toISOString();
