/**
 * In-process emulator of the SyncGuard REST API (seed 002 + api-notes §3 and §8.2), served on an ephemeral
 * loopback port under `/api/v1`. Used by `syn-mcp --sandbox` and as the test bed.
 *
 * Choices where the document is silent:
 * - errorCodes: see `envelope.ts` (1 Unauthorized, 2 NotFound, 3 Conflict, 4 ValidationError, 5 Internal).
 * - Events of a deactivated tenant are stored but not classified (no incident is opened or updated; the answer
 *   has null incident fields).
 * - Resolving a closed incident answers 409 Conflict (errorCode 3).
 * - `affectedTenants` in a `POST /events` answer lists the current cycle's tenants (reset when an incident is
 *   reopened from Closed); the incident object's counts cover the incident's whole life.
 * - `POST /workspaces` (JWT) creates a separate workspace with its own key and data.
 * - Every success is HTTP 200; lists are newest first except tenants (creation order).
 * - The table's "≥N events / M min" entries are the default pattern thresholds; the incident still opens on
 *   the first event, silently, and `alerts` records an "opened" alert once the threshold is met.
 */
import type { Clock } from '../common/clock.js';
import { systemClock } from '../common/clock.js';
import type { FaultRule } from '../common/faults.js';
import type { RecordedRequest } from '../common/server.js';
import { createEmulatorServer } from '../common/server.js';
import { errorBodyForStatus } from './envelope.js';
import { type AlertRecord, newWorkspace, type Workspace } from './model.js';
import { BASE_PATH, createHandler, type SyncGuardState } from './router.js';
import { routes } from './routes.js';

export type { AlertKind, AlertRecord } from './model.js';

/** The sandbox's default API key: `sg_` + 48 hex characters. */
export const DEFAULT_SANDBOX_API_KEY = `sg_5a4db0c${'0'.repeat(41)}`;

/** The sandbox's default JWT for `POST /workspaces` (a fixed, unsigned-looking token). */
export const DEFAULT_SANDBOX_JWT =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJzYW5kYm94IiwibmFtZSI6InN5bi1tY3Agc2FuZGJveCJ9.c2FuZGJveC1zaWduYXR1cmU';

/** Options of `createSyncGuardEmulator`. */
export interface SyncGuardEmulatorOptions {
  apiKey?: string;
  jwt?: string;
  clock?: Clock;
}

/** A running SyncGuard emulator. */
export interface SyncGuardEmulator {
  /** Starts the server; resolves to the base URL `http://127.0.0.1:PORT/api/v1`. */
  listen(): Promise<string>;
  /** Stops the server, keep-alive connections included. */
  close(): Promise<void>;
  /** The base URL; throws before `listen()` resolved. */
  readonly url: string;
  /** The default workspace's current key (changes on rotation); assigning sets it. */
  apiKey: string;
  /** The JWT `POST /workspaces` accepts. */
  readonly jwt: string;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[];
  /** Alerts SyncGuard would have sent (opened, reopened, resolved, blast radius expanded). */
  readonly alerts: AlertRecord[];
  /** Arms a fault rule (string paths may omit `/api/v1`). */
  inject(rule: FaultRule): void;
  /** Disarms every fault rule. */
  clearFaults(): void;
  /** The next `times` (default 1) requests answer the documented 429 with `Retry-After`. */
  rateLimit(opts: { retryAfterSeconds: number; times?: number }): void;
  /** Back to a fresh state: data, extra workspaces, settings, patterns, alerts, request log, faults and the
   * initial API key. */
  reset(): void;
}

/** Creates (without starting) a SyncGuard emulator with one workspace named "Sandbox". */
export function createSyncGuardEmulator(opts: SyncGuardEmulatorOptions = {}): SyncGuardEmulator {
  const initialKey = opts.apiKey ?? DEFAULT_SANDBOX_API_KEY;
  const jwt = opts.jwt ?? DEFAULT_SANDBOX_JWT;
  let main: Workspace = newWorkspace('Sandbox', initialKey);
  const workspaces: Workspace[] = [main];
  const alerts: AlertRecord[] = [];
  const state: SyncGuardState = { clock: opts.clock ?? systemClock, jwt, workspaces, alerts };
  const server = createEmulatorServer({
    handle: createHandler(state, routes),
    errorBody: errorBodyForStatus,
    pathPrefix: BASE_PATH,
  });

  return {
    async listen(): Promise<string> {
      return `${await server.listen()}${BASE_PATH}`;
    },
    close: () => server.close(),
    get url(): string {
      const origin = server.origin;
      if (origin === undefined) throw new Error('SyncGuard emulator is not listening; await listen() first');
      return `${origin}${BASE_PATH}`;
    },
    get apiKey(): string {
      return main.apiKey;
    },
    set apiKey(value: string) {
      main.apiKey = value;
    },
    jwt,
    requests: server.requests,
    alerts,
    inject: (rule) => server.inject(rule),
    clearFaults: () => server.clearFaults(),
    rateLimit({ retryAfterSeconds, times = 1 }): void {
      server.inject({ fault: { kind: 'status', status: 429, retryAfter: String(retryAfterSeconds) }, times });
    },
    reset(): void {
      main = newWorkspace('Sandbox', initialKey, main.id);
      workspaces.splice(0, workspaces.length, main);
      alerts.length = 0;
      server.requests.length = 0;
      server.clearFaults();
    },
  };
}
