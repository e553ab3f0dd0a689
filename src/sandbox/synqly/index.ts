/**
 * In-process emulator of the Synqly API (seed 000 + api-notes §1 and §8.4), served on an ephemeral loopback
 * port at the host root (paths start `/v1`). Used by `syn-mcp --sandbox` and as the test bed.
 *
 * Both surfaces with separate token kinds: Management paths accept only organization tokens, Connector
 * paths only integration tokens (the wrong kind → 403, an unknown or expired one → 401), all errors are
 * `Problem` bodies. Integration tokens minted with `POST /v1/tokens/{accountId}/{integrationId}` live
 * `token_ttl` (default 10 minutes) on the injectable clock.
 *
 * Choices where the documents are silent:
 * - Management lists answer `{result, total?}` without `cursor` (the SDK types); `managementCursor = true`
 *   adds seed 000's `cursor` (the last name, '' on the last page). `start_after` and `cursor` both work.
 * - A new SIEM query answers `PENDING` `siemPendingPolls` times (default 1) with a cursor, then the first
 *   `COMPLETE` page. Connector cursors are opaque and keep the query's filter and order.
 * - Every integration holds data for every connector category; no category check.
 * - Deletes, uploads and user actions answer 204 with no body. Deleting an account deletes its integrations;
 *   deleting an integration revokes its tokens.
 * - Storage paths are the rest of the path after `/v1/storage/files/`, each segment percent-decoded (so both
 *   `a/b.txt` and `a%2Fb.txt` work); empty, `.` and `..` segments are refused (400).
 */
import type { Clock } from '../common/clock.js';
import { systemClock } from '../common/clock.js';
import type { FaultRule } from '../common/faults.js';
import type { RecordedRequest } from '../common/server.js';
import { connectorRoutes } from './connector/routes.js';
import { createSynqlyHttp } from './http.js';
import { managementRoutes } from './management/routes.js';
import type { SynqlyState } from './model.js';
import { SANDBOX_IDS, seed } from './seed.js';
import { DEFAULT_INTEGRATION_TOKEN, DEFAULT_ORG_TOKEN } from './tokens.js';

export { SANDBOX_IDS } from './seed.js';
export { DEFAULT_INTEGRATION_TOKEN, DEFAULT_ORG_TOKEN } from './tokens.js';

/** Options of `createSynqlyEmulator`. */
export interface SynqlyEmulatorOptions {
  /** The organization token the emulator accepts (default DEFAULT_ORG_TOKEN). */
  orgToken?: string;
  /** The long-lived integration token of the seeded SIEM integration (default DEFAULT_INTEGRATION_TOKEN). */
  integrationToken?: string;
  /** Time source for token expiry and timestamps (default the system clock). */
  clock?: Clock;
  /** PENDING answers of a new SIEM query before it completes (default 1). */
  siemPendingPolls?: number;
  /** Management lists carry `cursor` too (default false). */
  managementCursor?: boolean;
  /** Largest request body (default 8 MiB). */
  maxBodyBytes?: number;
}

/** A running Synqly emulator. */
export interface SynqlyEmulator {
  /** Starts the server; resolves to the base URL `http://127.0.0.1:PORT` (host root, as documented). */
  listen(): Promise<string>;
  /** Stops the server, keep-alive connections included. */
  close(): Promise<void>;
  /** The base URL; throws before `listen()` resolved. */
  readonly url: string;
  /** The organization token (Management API). */
  readonly orgToken: string;
  /** The integration token of the seeded SIEM integration (Connector API). */
  readonly integrationToken: string;
  /** Ids of the seeded account, integrations and integration point. */
  readonly ids: typeof SANDBOX_IDS;
  /** The clock in use. */
  readonly clock: Clock;
  /** Every request received, in order (multipart bodies recorded as `{form: [{name, filename, type, size, content}]}`). */
  readonly requests: RecordedRequest[];
  /** Secrets of the integration tokens minted through `POST /v1/tokens/{accountId}/{integrationId}`. */
  readonly mintedTokens: readonly string[];
  /** PENDING answers of a new SIEM query before it completes. */
  siemPendingPolls: number;
  /** Management lists carry `cursor` too. */
  managementCursor: boolean;
  /** Arms a fault rule (paths are full paths such as `/v1/accounts`, or a RegExp). */
  inject(rule: FaultRule): void;
  /** Disarms every fault rule. */
  clearFaults(): void;
  /** Back to the seeded state: data, tokens (minted ones revoked), request log, faults and options. */
  reset(): void;
}

/** Creates (without starting) a Synqly emulator with a seeded sandbox organization. */
export function createSynqlyEmulator(opts: SynqlyEmulatorOptions = {}): SynqlyEmulator {
  const orgToken = opts.orgToken ?? DEFAULT_ORG_TOKEN;
  const integrationToken = opts.integrationToken ?? DEFAULT_INTEGRATION_TOKEN;
  const clock = opts.clock ?? systemClock;
  const initialPolls = opts.siemPendingPolls ?? 1;
  const initialCursor = opts.managementCursor ?? false;
  const state: SynqlyState = {
    clock,
    organizationId: SANDBOX_IDS.organization,
    accounts: new Map(),
    integrations: new Map(),
    points: new Map(),
    refreshTokens: new Map(),
    tokens: new Map(),
    data: new Map(),
    siemPendingPolls: initialPolls,
    managementCursor: initialCursor,
    minted: [],
  };
  seed(state, orgToken, integrationToken);
  const http = createSynqlyHttp({
    state,
    routes: [...managementRoutes, ...connectorRoutes],
    maxBodyBytes: opts.maxBodyBytes ?? 8 * 1024 * 1024,
  });

  return {
    listen: () => http.listen(),
    close: () => http.close(),
    get url(): string {
      const origin = http.origin;
      if (origin === undefined) throw new Error('Synqly emulator is not listening; await listen() first');
      return origin;
    },
    orgToken,
    integrationToken,
    ids: SANDBOX_IDS,
    clock,
    requests: http.requests,
    get mintedTokens(): readonly string[] {
      return state.minted;
    },
    get siemPendingPolls(): number {
      return state.siemPendingPolls;
    },
    set siemPendingPolls(value: number) {
      state.siemPendingPolls = Math.max(0, Math.floor(value));
    },
    get managementCursor(): boolean {
      return state.managementCursor;
    },
    set managementCursor(value: boolean) {
      state.managementCursor = value;
    },
    inject: (rule) => http.inject(rule),
    clearFaults: () => http.clearFaults(),
    reset(): void {
      seed(state, orgToken, integrationToken);
      state.siemPendingPolls = initialPolls;
      state.managementCursor = initialCursor;
      http.requests.length = 0;
      http.clearFaults();
    },
  };
}
