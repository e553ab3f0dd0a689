/**
 * In-process emulator of the Synap REST API by Maximem (seed 003 + api-notes §4 and decision 3), served on an
 * ephemeral loopback port at the host root (paths start `/api/v1` or `/v1`, as the SDK calls them).
 *
 * Behaviour (documented, or chosen where the documents are silent — stable, so tests may rely on it):
 * - Auth `Authorization: Bearer <key>`; missing → 401 `UNAUTHORIZED`, wrong → 401 `CREDENTIAL_INVALID`.
 * - Every response carries `X-Correlation-Id` (the request's own `X-Correlation-ID` echoed, else
 *   `req_<uuid>`) and `X-RateLimit-Limit/Remaining/Reset` (fixed epoch-aligned window, a minute unless
 *   `rateWindowMs` says otherwise; Pro tier 600 per window by default); past the limit → 429 `RATE_LIMITED`
 *   with `Retry-After` (seconds to the window's end). `rateStats()` tells what the limiter saw.
 * - Errors in the documented `{error, code, details}` envelope, or FastAPI's `{detail}` when `errorStyle` is
 *   `fastapi` (validation failures then answer 422 with `detail: [{loc, msg, type}]`).
 * - `POST /api/v1/memories/create` (also the docs' `POST /v1/memories`) answers 201 with a queued ingestion.
 *   The ingestion moves to `processing` at its first status poll and to `completed` at its second poll or
 *   once `ingestionDelayMs` (default 1500 ms) has passed on the clock; completion extracts one memory per
 *   sentence, typed by its words (preference, emotion, episode, temporal_event, else fact).
 * - Scope is derived from the ids as api-notes §4 says: B2B (default) — user_id + customer_id → user,
 *   customer_id → customer, neither → client, user_id alone → 400; B2C — either id → user, neither → client.
 * - `POST /v1/context/{user|customer|client|conversation}/fetch` ranks the memories of exactly that scope
 *   (and those ids) by the share of `search_query` words they contain (light prefix stemming), drops
 *   non-matching ones when a query is given, newest first otherwise, honours `types` and `max_results`
 *   (1–50, default 10), and buckets them under `context.{facts,preferences,episodes,emotions,temporal_events}`.
 *   Conversation scope searches memories extracted from that conversation's user messages.
 * - `POST /v1/conversations/messages` stores the message and extracts memories from user messages at once.
 *   `POST /v1/conversations/compact` starts a summary in the background and answers 202 `{compaction_id,
 *   conversation_id, status: "in_progress", …}` (the SDK: it "returns immediately with an in-progress
 *   status"); 404 for an unknown conversation, 409 when nothing changed since the last compaction and `force`
 *   is not set. `GET /v1/conversations/{id}/compaction/status` follows it: `completed` at its second read or
 *   once `compactionDelayMs` (default 1500 ms) has passed; only then does a conversation-scope fetch show the
 *   summary.
 * - `GET /v1/credits/ledger` is the page/page_size list (`{data, page, page_size, total, total_pages}`; the
 *   SDK's limit/offset form also works); `GET /v1/credits/balance` and `GET /api/v1/auth/whoami` exist too.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../common/clock.js';
import { systemClock } from '../common/clock.js';
import type { FaultRule } from '../common/faults.js';
import { FaultInjector, splitFaults } from '../common/faults.js';
import type { RecordedRequest } from '../common/server.js';
import { createEmulatorServer } from '../common/server.js';
import { type ErrorStyle, errorBodyFor } from './envelope.js';
import { type MemoryRecord, newStore } from './model.js';
import { createHandler } from './routes.js';
import type { Isolation, RateStats, SynapState } from './state.js';

export type { ErrorStyle } from './envelope.js';
export type { MemoryRecord } from './model.js';
export type { Isolation, RateStats } from './state.js';

/** The sandbox's default instance API key. */
export const DEFAULT_SYNAP_API_KEY = `synap_sandbox_${'7b'.repeat(16)}`;

/** Options of `createSynapEmulator`. */
export interface SynapEmulatorOptions {
  apiKey?: string;
  clock?: Clock;
  /** `b2b` (default, `strict`) or `b2c` (`equals_customer`). */
  isolation?: Isolation;
  /** Error envelope: `docs` (default) or `fastapi`. */
  errorStyle?: ErrorStyle;
  /** Time after which a queued ingestion completes on its own (default 1500 ms). */
  ingestionDelayMs?: number;
  /** Time after which a started compaction completes on its own (default 1500 ms). */
  compactionDelayMs?: number;
  /** Authenticated requests per rate window (default 600, the Pro tier's per minute). */
  rateLimitPerMinute?: number;
  /** Length of the fixed, epoch-aligned rate window in ms (default 60 000); Reset and Retry-After follow it. */
  rateWindowMs?: number;
}

/** A running Synap emulator. */
export interface SynapEmulator {
  /** Starts the server; resolves to the base URL (the host root `http://127.0.0.1:PORT`). */
  listen(): Promise<string>;
  close(): Promise<void>;
  /** The base URL; throws before `listen()` resolved. */
  readonly url: string;
  /** The instance API key (Bearer). */
  readonly apiKey: string;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[];
  /** The stored memories (read it in tests; the API is the way to change it). */
  readonly memories: ReadonlyMap<string, MemoryRecord>;
  /** Error envelope in use; assignable. */
  errorStyle: ErrorStyle;
  /** Arms a fault rule. Status faults carry the correlation and rate-limit headers like real answers. */
  inject(rule: FaultRule): void;
  clearFaults(): void;
  /** The next `times` (default 1) requests answer the documented 429 with `Retry-After`. */
  rateLimit(opts: { retryAfterSeconds: number; times?: number }): void;
  /**
   * What the rate limiter saw since start (or `reset()`): authenticated requests counted per window (keyed by
   * the window's start, epoch ms; injected faults included) and the 429s the limit itself answered. A copy.
   */
  rateStats(): RateStats;
  /** Back to an empty instance: memories, ingestions, conversations, ledger, request log, faults, rate stats. */
  reset(): void;
}

/** Creates (without starting) a Synap emulator. */
export function createSynapEmulator(opts: SynapEmulatorOptions = {}): SynapEmulator {
  const statusFaults = new FaultInjector();
  const rateWindowMs = opts.rateWindowMs ?? 60_000;
  if (!(Number.isInteger(rateWindowMs) && rateWindowMs > 0)) {
    throw new RangeError(`rateWindowMs must be a positive integer, got ${rateWindowMs}`);
  }
  const state: SynapState = {
    clock: opts.clock ?? systemClock,
    apiKey: opts.apiKey ?? DEFAULT_SYNAP_API_KEY,
    isolation: opts.isolation ?? 'b2b',
    errorStyle: opts.errorStyle ?? 'docs',
    ingestionDelayMs: opts.ingestionDelayMs ?? 1500,
    compactionDelayMs: opts.compactionDelayMs ?? 1500,
    rateLimitPerMinute: opts.rateLimitPerMinute ?? 600,
    rateWindowMs,
    store: newStore(),
    window: { startMs: 0, count: 0 },
    rate: { windows: new Map(), rejected: 0 },
    statusFaults,
    instanceId: `inst_${randomUUID().replace(/-/g, '').slice(0, 16)}`,
  };
  const server = createEmulatorServer({
    handle: createHandler(state),
    errorBody: (status, message, retryAfter) => errorBodyFor(state.errorStyle, status, message, retryAfter),
    clock: state.clock,
  });

  return {
    listen: () => server.listen(),
    close: () => server.close(),
    get url(): string {
      const origin = server.origin;
      if (origin === undefined) throw new Error('Synap emulator is not listening; await listen() first');
      return origin;
    },
    get apiKey(): string {
      return state.apiKey;
    },
    requests: server.requests,
    get memories(): ReadonlyMap<string, MemoryRecord> {
      return state.store.memories;
    },
    get errorStyle(): ErrorStyle {
      return state.errorStyle;
    },
    set errorStyle(style: ErrorStyle) {
      state.errorStyle = style;
    },
    // Status faults are answered by the Synap handler (so they carry X-Correlation-Id and X-RateLimit-*);
    // resets, delays and malformed bodies by the common server.
    ...splitFaults(server, statusFaults),
    rateStats: () => ({ windows: new Map(state.rate.windows), rejected: state.rate.rejected }),
    reset(): void {
      state.store = newStore();
      state.window = { startMs: 0, count: 0 };
      state.rate.windows.clear();
      state.rate.rejected = 0;
      server.requests.length = 0;
      statusFaults.clear();
      server.clearFaults();
    },
  };
}
