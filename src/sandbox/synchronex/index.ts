/**
 * In-process emulator of the Synchronex REST API (seed 004 + api-notes §5 and decision 1), served on an
 * ephemeral loopback port under `/api/v1`.
 *
 * Behaviour (documented, or chosen where the documents are silent — stable, so tests may rely on it):
 * - Auth `Authorization: Bearer sx_live_…` (API key) or `Bearer sxo_…` (OAuth token); anything else → 401
 *   `{error:{code:"UNAUTHORIZED"}}`.
 * - Scopes: each endpoint is `read` or `write` as the seed's table tags it. API keys carry `read` and/or
 *   `write` (write includes read); OAuth tokens carry `memory:read|write` and `decisions:read|write`
 *   (`/memory/decisions*` needs `decisions:*`, everything else `memory:*`). A token without the scope → 403
 *   FORBIDDEN. Sandbox tokens: `apiKey` (`sx_live_sandbox_rw_…`, read+write), `readOnlyKey`
 *   (`sx_live_read_…`, read only), `oauthToken` (`sxo_…`, all four OAuth scopes); `addToken()` adds more.
 * - Daily rate limit per token (Free 500, Pro 10 000 (default), Team 50 000, or `dailyLimit`), counted per UTC
 *   day; authenticated answers carry `X-RateLimit-Limit/Remaining/Reset` (Reset = next UTC midnight, Unix
 *   seconds); past the limit → 429 with the flat body `{error:"rate_limit_exceeded", retry_after, limit,
 *   remaining, reset_at}` and `Retry-After`.
 * - Response bodies (unpublished, api-notes §8.1) are chosen here: the identity kernel
 *   `{identity, products, constraints, model_preferences, injection_block, updated_at}`; a product state
 *   `{name, status, what_works[], what_is_blocked[], open_questions[], next_session_starts_here, updated_at}`
 *   (404 until first written; list fields accept a string or a list); `GET /memory/search?query&limit&
 *   product_name` → `{query, results: [{id, type, product_name?, text, score, created_at}], count}` over
 *   decisions, product states, the identity kernel and ingested signals; `GET /memory/decisions/search?query&
 *   product_name&limit&token_budget` → `{decisions: [...], count, tokens_used}` (no query = every decision,
 *   newest first); a decision `{id: "dec_…", decision, product_name, reasoning, affects_products, created_at}`.
 * - `GET /memory/export-mif` → `{mif_version: "1.0", format, exported_at, identity_kernel, product_states[],
 *   decisions[]}`; `POST /memory/import-mif` with that document restores the kernel, product states and
 *   decisions (replacing them) → `{imported: {...counts}, status}`; a malformed document → 400.
 * - `POST /memory/consolidate` → 202 `{job_id, status: "queued", …}` (removes duplicate decisions);
 *   `POST /ingest/{project_id}` accepts the JSON body as a signal → 202 `{id, project_id, status: "accepted",
 *   received_at}`; it is processed later: search finds it once `signalDelayMs` (default 1500 ms) has passed.
 * - `GET /ai/costs[?days]`, `GET /ai/costs/{product}[?days]` summarise seeded cost records (default 30 days).
 * - `GET /byok` → `{credentials: [{id, service, label, key_preview, created_at}]}`; `POST /byok` stores the key
 *   and answers with a 4-character preview only; `DELETE /byok/{id}`.
 * - `GET|POST /kernel/export` → the kernel, its injection block and the product states.
 * - `GET /scope` / `PATCH /scope {workspace_id: string|null}` (the key is required) → `{workspace_id, scope}`.
 */
import type { Clock } from '../common/clock.js';
import { systemClock } from '../common/clock.js';
import type { FaultRule } from '../common/faults.js';
import { FaultInjector, splitFaults } from '../common/faults.js';
import type { RecordedRequest } from '../common/server.js';
import { createEmulatorServer } from '../common/server.js';
import { codeForStatus, errorBody, rateLimitBody } from './envelope.js';
import { type ByokCredential, type Decision, newStore } from './model.js';
import { createHandler } from './routes.js';
import { BASE_PATH, type Scope, type SxState, type TokenInfo } from './state.js';

export type { Scope } from './state.js';

/** Sandbox tokens. */
export const DEFAULT_SYNCHRONEX_API_KEY = `sx_live_sandbox_rw_${'5c'.repeat(16)}`;
export const DEFAULT_SYNCHRONEX_READ_KEY = `sx_live_read_${'a1'.repeat(16)}`;
export const DEFAULT_SYNCHRONEX_OAUTH_TOKEN = `sxo_sandbox_${'e4'.repeat(16)}`;

/** Daily request limits per tier (synchronex.ai/docs/api). */
export const DAILY_LIMITS = { free: 500, pro: 10_000, team: 50_000 } as const;

/** Options of `createSynchronexEmulator`. */
export interface SynchronexEmulatorOptions {
  apiKey?: string;
  readOnlyKey?: string;
  oauthToken?: string;
  clock?: Clock;
  tier?: keyof typeof DAILY_LIMITS;
  /** Overrides the tier's daily limit. */
  dailyLimit?: number;
  /** Time after which an ingested signal is processed and searchable (default 1500 ms). */
  signalDelayMs?: number;
}

/** A running Synchronex emulator. */
export interface SynchronexEmulator {
  /** Starts the server; resolves to the base URL `http://127.0.0.1:PORT/api/v1`. */
  listen(): Promise<string>;
  close(): Promise<void>;
  /** The base URL; throws before `listen()` resolved. */
  readonly url: string;
  /** Read+write API key. */
  readonly apiKey: string;
  /** Read-only API key. */
  readonly readOnlyKey: string;
  /** OAuth access token with every scope. */
  readonly oauthToken: string;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[];
  /** Decisions stored (for assertions). */
  readonly decisions: readonly Decision[];
  /** BYOK credentials stored, keys included (for assertions that the key arrived). */
  readonly byok: readonly ByokCredential[];
  /** Accepts one more bearer token with these scopes. */
  addToken(token: string, scopes: readonly Scope[]): void;
  /** Arms a fault rule (string paths may omit `/api/v1`); status faults carry the rate-limit headers. */
  inject(rule: FaultRule): void;
  clearFaults(): void;
  /** The next `times` (default 1) requests answer the flat 429 with `Retry-After`. */
  rateLimit(opts: { retryAfterSeconds: number; times?: number }): void;
  /** Back to a fresh account: data, usage counters, added tokens, request log and faults. */
  reset(): void;
}

/** Creates (without starting) a Synchronex emulator. */
export function createSynchronexEmulator(opts: SynchronexEmulatorOptions = {}): SynchronexEmulator {
  const clock = opts.clock ?? systemClock;
  const apiKey = opts.apiKey ?? DEFAULT_SYNCHRONEX_API_KEY;
  const readOnlyKey = opts.readOnlyKey ?? DEFAULT_SYNCHRONEX_READ_KEY;
  const oauthToken = opts.oauthToken ?? DEFAULT_SYNCHRONEX_OAUTH_TOKEN;
  const statusFaults = new FaultInjector(BASE_PATH);
  const info = (scopes: readonly Scope[]): TokenInfo => ({
    scopes: new Set(scopes),
    used: { day: -1, count: 0 },
  });
  const initialTokens = (): Map<string, TokenInfo> =>
    new Map([
      [apiKey, info(['read', 'write'])],
      [readOnlyKey, info(['read'])],
      [oauthToken, info(['memory:read', 'memory:write', 'decisions:read', 'decisions:write'])],
    ]);
  const state: SxState = {
    clock,
    tokens: initialTokens(),
    dailyLimit: opts.dailyLimit ?? DAILY_LIMITS[opts.tier ?? 'pro'],
    signalDelayMs: opts.signalDelayMs ?? 1500,
    store: newStore(clock.now()),
    statusFaults,
  };
  const server = createEmulatorServer({
    handle: createHandler(state),
    errorBody: (status, message, retryAfter) => {
      if (status !== 429) return errorBody(codeForStatus(status), message);
      const now = clock.now();
      return rateLimitBody(
        Number(retryAfter ?? 60),
        state.dailyLimit,
        (Math.floor(now / 86_400_000) + 1) * 86_400_000,
      );
    },
    pathPrefix: BASE_PATH,
  });

  return {
    async listen(): Promise<string> {
      return `${await server.listen()}${BASE_PATH}`;
    },
    close: () => server.close(),
    get url(): string {
      const origin = server.origin;
      if (origin === undefined) throw new Error('Synchronex emulator is not listening; await listen() first');
      return `${origin}${BASE_PATH}`;
    },
    apiKey,
    readOnlyKey,
    oauthToken,
    requests: server.requests,
    get decisions(): readonly Decision[] {
      return state.store.decisions;
    },
    get byok(): readonly ByokCredential[] {
      return state.store.byok;
    },
    addToken(token: string, scopes: readonly Scope[]): void {
      state.tokens.set(token, info(scopes));
    },
    // Status faults are answered by the Synchronex handler (they carry the X-RateLimit-* headers).
    ...splitFaults(server, statusFaults),
    reset(): void {
      state.store = newStore(clock.now());
      state.tokens = initialTokens();
      server.requests.length = 0;
      statusFaults.clear();
      server.clearFaults();
    },
  };
}
