/**
 * The Synap emulator's routes (api-notes §4, paths as the Python SDK's endpoint contract has them: memories
 * under `/api/v1`, context and conversations under `/v1`). Order of checks: injected status fault, route
 * (unknown → 404), Bearer key (→ 401), fixed-window rate limit (→ 429; a minute unless `rateWindowMs` says
 * otherwise), then the handler. Every response carries
 * `X-Correlation-Id` (the caller's, echoed, or a new `req_<uuid>`) and the `X-RateLimit-*` headers.
 */
import { randomUUID } from 'node:crypto';
import { type ServerResponse, STATUS_CODES } from 'node:http';
import { sendJson } from '../common/json-body.js';
import { findRoute } from '../common/router.js';
import type { EmulatorRequest } from '../common/server.js';
import { fetchContext } from './context.js';
import { compact, compactionStatus, recordMessage } from './conversations.js';
import { balance, ledger } from './credits.js';
import { errorBodyFor, renderError, SynapApiError } from './envelope.js';
import {
  advanceIngestion,
  createMemory,
  deleteMemory,
  findMemory,
  ingestionStatus,
  memoryJson,
  updateMemory,
} from './memories.js';
import type { Ctx, Reply, SynapState } from './state.js';

/** Windows kept in `RateStats.windows`; older ones are dropped. */
const KEPT_WINDOWS = 1000;

interface Route {
  method: string;
  pattern: RegExp;
  names: string[];
  handler: (ctx: Ctx) => Reply;
}

function route(method: string, path: string, handler: (ctx: Ctx) => Reply): Route {
  const names: string[] = [];
  const source = path.replace(/:([a-z_]+)/g, (_, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { method, pattern: new RegExp(`^${source}/?$`), names, handler };
}

const ROUTES: Route[] = [
  route('GET', '/api/v1/auth/whoami', (ctx) => ({
    body: {
      instance_id: ctx.state.instanceId,
      client_id: `client_${ctx.state.instanceId}`,
      user_context_isolation: ctx.state.isolation === 'b2c' ? 'equals_customer' : 'strict',
    },
  })),
  route('POST', '/api/v1/memories/create', createMemory),
  // The docs' path (seed 003); the SDK's is the one above. Both create.
  route('POST', '/v1/memories', createMemory),
  route('GET', '/api/v1/memories/status/:ingestion_id', ingestionStatus),
  route('GET', '/api/v1/memories/:memory_id', (ctx) => ({ body: memoryJson(findMemory(ctx)) })),
  route('PATCH', '/api/v1/memories/:memory_id', updateMemory),
  route('DELETE', '/api/v1/memories/:memory_id', deleteMemory),
  route('POST', '/v1/context/:scope/fetch', fetchContext),
  route('POST', '/v1/conversations/messages', recordMessage),
  route('POST', '/v1/conversations/compact', compact),
  route('GET', '/v1/conversations/:conversation_id/compaction/status', compactionStatus),
  route('GET', '/v1/credits/balance', balance),
  route('GET', '/v1/credits/ledger', ledger),
];

/** The X-RateLimit-* headers of the current window, counting this request when `count` is true. */
function rateHeaders(state: SynapState, now: number, count: boolean): Record<string, string> {
  const windowMs = state.rateWindowMs;
  const start = Math.floor(now / windowMs) * windowMs;
  if (state.window.startMs !== start) state.window = { startMs: start, count: 0 };
  if (count) {
    state.window.count += 1;
    const { windows } = state.rate;
    windows.set(start, state.window.count);
    if (windows.size > KEPT_WINDOWS) {
      const oldest = windows.keys().next();
      if (!oldest.done) windows.delete(oldest.value);
    }
  }
  return {
    'x-ratelimit-limit': String(state.rateLimitPerMinute),
    'x-ratelimit-remaining': String(Math.max(0, state.rateLimitPerMinute - state.window.count)),
    'x-ratelimit-reset': String(Math.ceil((start + windowMs) / 1000)),
  };
}

/** The request handler for `createEmulatorServer`. */
export function createHandler(state: SynapState): (req: EmulatorRequest, res: ServerResponse) => void {
  return (req, res) => {
    const now = state.clock.now();
    const correlation = req.headers['x-correlation-id']?.trim() || `req_${randomUUID()}`;
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
    const authed = bearer === state.apiKey;
    const headers = { 'x-correlation-id': correlation, ...rateHeaders(state, now, authed) };
    const fail = (err: SynapApiError, extra: Record<string, string> = {}) => {
      const { status, body } = renderError(state.errorStyle, err);
      sendJson(res, status, body, { ...headers, ...extra });
    };

    const fault = state.statusFaults.take(req.method, req.path);
    if (fault?.kind === 'status') {
      const extra: Record<string, string> = {};
      if (fault.retryAfter !== undefined) extra['retry-after'] = fault.retryAfter;
      const body =
        fault.body ??
        errorBodyFor(
          state.errorStyle,
          fault.status,
          `${STATUS_CODES[fault.status] ?? 'Error'}.`,
          fault.retryAfter,
        );
      sendJson(res, fault.status, body, { ...headers, ...extra });
      return;
    }

    const found = findRoute(ROUTES, req.method, req.path);
    if (!found) {
      fail(new SynapApiError(404, 'NOT_FOUND', `No route for ${req.method} ${req.path}`));
      return;
    }
    if (!bearer) {
      fail(new SynapApiError(401, 'UNAUTHORIZED', 'Missing bearer token'));
      return;
    }
    if (!authed) {
      fail(new SynapApiError(401, 'CREDENTIAL_INVALID', 'Invalid API key'));
      return;
    }
    if (state.window.count > state.rateLimitPerMinute) {
      const wait = Math.max(1, Math.ceil((state.window.startMs + state.rateWindowMs - now) / 1000));
      state.rate.rejected += 1;
      fail(new SynapApiError(429, 'RATE_LIMITED', 'Rate limit exceeded', { retry_after: wait }), {
        'retry-after': String(wait),
      });
      return;
    }
    for (const ing of state.store.ingestions.values()) advanceIngestion(state, ing, now);
    try {
      const reply = found.route.handler({ state, req, params: found.params, now });
      sendJson(res, reply.status ?? 200, reply.body, headers);
    } catch (err) {
      if (!(err instanceof SynapApiError)) throw err;
      fail(err);
    }
  };
}
