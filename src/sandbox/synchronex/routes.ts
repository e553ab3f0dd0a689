/**
 * The Synchronex emulator's routes (seed 004), all under `/api/v1`. Order of checks: injected status fault,
 * route (unknown → 404), bearer token (`sx_live_…` key or `sxo_…` OAuth token; → 401), daily rate limit
 * (→ flat 429), the endpoint's scope (→ 403 FORBIDDEN), then the handler. Authenticated answers carry
 * `X-RateLimit-Limit/Remaining/Reset` for the UTC day.
 */
import { type ServerResponse, STATUS_CODES } from 'node:http';
import { sendJson } from '../common/json-body.js';
import { findRoute } from '../common/router.js';
import type { EmulatorRequest } from '../common/server.js';
import {
  byokJson,
  costs,
  createByok,
  DAY,
  deleteByok,
  kernelExport,
  patchScope,
  scopeJson,
} from './account.js';
import { createDecision, deleteDecision, searchDecisions } from './decisions.js';
import { codeForStatus, errorBody, rateLimitBody, SxApiError } from './envelope.js';
import {
  consolidate,
  getProduct,
  importRoute,
  ingest,
  postProduct,
  putIdentity,
  searchMemory,
} from './memory.js';
import { exportMif, kernelJson } from './model.js';
import {
  type Area,
  BASE_PATH,
  type Ctx,
  type Need,
  type Reply,
  type Scope,
  type SxState,
  type TokenInfo,
} from './state.js';

interface Route {
  method: string;
  path: string;
  pattern: RegExp;
  names: string[];
  need: Need;
  area: Area;
  handler: (ctx: Ctx) => Reply;
}

function route(method: string, path: string, need: Need, handler: (ctx: Ctx) => Reply): Route {
  const names: string[] = [];
  const source = path.replace(/\{([a-z_]+)\}/g, (_, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  const area: Area = path.startsWith('/memory/decisions') ? 'decisions' : 'memory';
  return { method, path, pattern: new RegExp(`^${source}/?$`), names, need, area, handler };
}

const ROUTES: Route[] = [
  route('GET', '/memory/identity', 'read', (ctx) => ({ body: kernelJson(ctx.state.store.kernel) })),
  route('PUT', '/memory/identity', 'write', putIdentity),
  route('GET', '/memory/product/{name}/state', 'read', getProduct),
  route('POST', '/memory/product/{name}/state', 'write', postProduct),
  route('GET', '/memory/search', 'read', searchMemory),
  route('GET', '/memory/export-mif', 'read', (ctx) => ({ body: exportMif(ctx.state.store, ctx.now) })),
  route('POST', '/memory/import-mif', 'write', importRoute),
  route('POST', '/memory/consolidate', 'write', consolidate),
  route('GET', '/memory/decisions/search', 'read', searchDecisions),
  route('POST', '/memory/decisions', 'write', createDecision),
  route('DELETE', '/memory/decisions/{id}', 'write', deleteDecision),
  route('POST', '/ingest/{project_id}', 'write', ingest),
  route('GET', '/ai/costs', 'read', costs),
  route('GET', '/ai/costs/{product}', 'read', costs),
  route('GET', '/byok', 'read', (ctx) => ({ body: { credentials: ctx.state.store.byok.map(byokJson) } })),
  route('POST', '/byok', 'write', createByok),
  route('DELETE', '/byok/{id}', 'write', deleteByok),
  route('GET', '/kernel/export', 'read', kernelExport),
  route('POST', '/kernel/export', 'read', kernelExport),
  route('GET', '/scope', 'read', (ctx) => ({ body: scopeJson(ctx.state.store) })),
  route('PATCH', '/scope', 'write', patchScope),
];

/** The route for a path under BASE_PATH (see findRoute in ../common/router.ts). */
function routeFor(method: string, path: string): ReturnType<typeof findRoute<Route>> {
  if (!path.startsWith(`${BASE_PATH}/`)) return undefined;
  return findRoute(ROUTES, method, path.slice(BASE_PATH.length));
}

/** True when the token's scopes allow the route (API keys: read/write; OAuth: memory:* / decisions:*). */
export function allows(scopes: ReadonlySet<Scope>, need: Need, area: Area): boolean {
  if (scopes.has(need)) return true;
  // A write scope includes reading.
  if (need === 'read' && scopes.has('write')) return true;
  if (scopes.has(`${area}:${need}`)) return true;
  return need === 'read' && scopes.has(`${area}:write`);
}

/** The X-RateLimit-* headers of a token's UTC day. */
function dayHeaders(state: SxState, info: TokenInfo, now: number): Record<string, string> {
  const day = Math.floor(now / DAY);
  return {
    'x-ratelimit-limit': String(state.dailyLimit),
    'x-ratelimit-remaining': String(Math.max(0, state.dailyLimit - info.used.count)),
    'x-ratelimit-reset': String(((day + 1) * DAY) / 1000),
  };
}

/** The request handler for `createEmulatorServer`. */
export function createHandler(state: SxState): (req: EmulatorRequest, res: ServerResponse) => void {
  return (req, res) => {
    const now = state.clock.now();
    const token = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
    const info = token === undefined ? undefined : state.tokens.get(token);
    let headers: Record<string, string> = {};
    if (info) {
      const day = Math.floor(now / DAY);
      if (info.used.day !== day) info.used = { day, count: 0 };
      info.used.count += 1;
      headers = dayHeaders(state, info, now);
    }
    const resetAt = (Math.floor(now / DAY) + 1) * DAY;

    const fault = state.statusFaults.take(req.method, req.path);
    if (fault?.kind === 'status') {
      const extra: Record<string, string> = { ...headers };
      if (fault.retryAfter !== undefined) extra['retry-after'] = fault.retryAfter;
      let faultBody = fault.body;
      if (faultBody === undefined) {
        faultBody =
          fault.status === 429
            ? rateLimitBody(Number(fault.retryAfter ?? 60), state.dailyLimit, resetAt)
            : errorBody(codeForStatus(fault.status), `${STATUS_CODES[fault.status] ?? 'Error'}.`);
      }
      sendJson(res, fault.status, faultBody, extra);
      return;
    }

    const found = routeFor(req.method, req.path);
    if (!found) {
      sendJson(res, 404, errorBody('NOT_FOUND', `No route for ${req.method} ${req.path}.`), headers);
      return;
    }
    if (!info || !(token?.startsWith('sx_live_') || token?.startsWith('sxo_'))) {
      sendJson(res, 401, errorBody('UNAUTHORIZED', 'Missing, expired, or revoked bearer token.'));
      return;
    }
    if (info.used.count > state.dailyLimit) {
      const wait = Math.max(1, Math.ceil((resetAt - now) / 1000));
      sendJson(res, 429, rateLimitBody(wait, state.dailyLimit, resetAt), {
        ...headers,
        'retry-after': String(wait),
      });
      return;
    }
    const { route: r, params } = found;
    if (!allows(info.scopes, r.need, r.area)) {
      const what = token.startsWith('sxo_') ? `the ${r.area}:${r.need} OAuth scope` : `the ${r.need} scope`;
      sendJson(
        res,
        403,
        errorBody('FORBIDDEN', `This token lacks ${what} required by ${r.method} ${BASE_PATH}${r.path}.`),
        headers,
      );
      return;
    }
    try {
      const reply = r.handler({ state, req, params, now });
      sendJson(res, reply.status ?? 200, reply.body, headers);
    } catch (err) {
      if (!(err instanceof SxApiError)) throw err;
      sendJson(res, err.status, errorBody(err.code, err.message), headers);
    }
  };
}
