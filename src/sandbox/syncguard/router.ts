/**
 * Routing for the SyncGuard emulator: path matching under `/api/v1`, lifecycle catch-up, auth and the
 * envelope. Order of checks: route (unknown → 404), lifecycle catch-up, auth (→ 401), then the handler.
 */
import type { ServerResponse } from 'node:http';
import type { Clock } from '../common/clock.js';
import { sendJson } from '../common/json-body.js';
import type { EmulatorRequest } from '../common/server.js';
import { advanceLifecycle } from './engine.js';
import { ApiError, ErrorCode, failure, success, unauthorized } from './envelope.js';
import type { AlertRecord, Workspace } from './model.js';

/** Base path of every route. */
export const BASE_PATH = '/api/v1';

/** What the routes read and mutate. */
export interface SyncGuardState {
  readonly clock: Clock;
  readonly jwt: string;
  readonly workspaces: Workspace[];
  readonly alerts: AlertRecord[];
}

/** What every handler gets: state, request, path parameters and the request's clock reading. */
export interface Context {
  readonly state: SyncGuardState;
  readonly req: EmulatorRequest;
  readonly params: Record<string, string>;
  readonly now: number;
}

/** Context of an X-Api-Key route, with the authenticated workspace. */
export interface KeyContext extends Context {
  readonly ws: Workspace;
}

/** A handler's success: the envelope's `data` and optional `message` (HTTP 200). */
export interface Reply {
  data: unknown;
  message?: string;
}

/** One endpoint: method, path under `/api/v1` (`:name` segments are parameters), auth kind, handler. */
export type Route =
  | { method: string; path: string; auth: 'apiKey'; handler: (ctx: KeyContext) => Reply }
  | { method: string; path: string; auth: 'jwt'; handler: (ctx: Context) => Reply };

function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i] ?? '';
    const g = got[i] ?? '';
    if (w.startsWith(':')) {
      if (g === '') return undefined;
      try {
        params[w.slice(1)] = decodeURIComponent(g);
      } catch {
        return undefined;
      }
    } else if (w !== g) {
      return undefined;
    }
  }
  return params;
}

function findRoute(
  routes: readonly Route[],
  method: string,
  path: string,
): { route: Route; params: Record<string, string> } | undefined {
  if (!path.startsWith(`${BASE_PATH}/`)) return undefined;
  const relative = path.slice(BASE_PATH.length).replace(/\/+$/, '');
  for (const route of routes) {
    if (route.method !== method) continue;
    const params = matchPath(route.path, relative);
    if (params !== undefined) return { route, params };
  }
  return undefined;
}

function authenticate(state: SyncGuardState, headers: Record<string, string>): Workspace {
  const key = headers['x-api-key'];
  if (key === undefined || key.trim() === '') throw unauthorized('X-Api-Key header is required.');
  const ws = state.workspaces.find((w) => w.apiKey === key.trim());
  if (ws === undefined) throw unauthorized('Invalid API key.');
  return ws;
}

function checkJwt(state: SyncGuardState, headers: Record<string, string>): void {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '');
  if (match?.[1] !== state.jwt) throw unauthorized('A valid bearer token (JWT) is required.');
}

/** The request handler for `createEmulatorServer`, dispatching to `routes`. */
export function createHandler(
  state: SyncGuardState,
  routes: readonly Route[],
): (req: EmulatorRequest, res: ServerResponse) => void {
  return (req, res) => {
    const found = findRoute(routes, req.method, req.path);
    if (found === undefined) {
      sendJson(res, 404, failure(ErrorCode.NotFound, `No route for ${req.method} ${req.path}.`));
      return;
    }
    const now = state.clock.now();
    for (const ws of state.workspaces) advanceLifecycle(ws, now, state.alerts);
    const { route, params } = found;
    try {
      let reply: Reply;
      if (route.auth === 'jwt') {
        checkJwt(state, req.headers);
        reply = route.handler({ state, req, params, now });
      } else {
        const ws = authenticate(state, req.headers);
        reply = route.handler({ state, req, params, now, ws });
      }
      sendJson(res, 200, success(reply.data, reply.message ?? null));
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      sendJson(res, error.status, failure(error.errorCode, error.message));
    }
  };
}
