/**
 * The Synapse emulator's `/api/v1` routes (seed 001 + api-notes §2, §2b; SYN `core/routes/api_v1.py`).
 * Order of checks, as FastAPI does them: route (unknown → 404 `Not Found`, wrong method → 405), the
 * `HTTPBearer` dependency (missing/non-Bearer → 403, unknown key → 401 + `WWW-Authenticate: Bearer`),
 * body validation (422 with pydantic's error list), then the handler (`{detail}` errors).
 */
import type { ServerResponse } from 'node:http';
import { sendJson } from '../common/json-body.js';
import type { EmulatorRequest } from '../common/server.js';
import { AGENT_ROUTES } from './agent-routes.js';
import { HttpError } from './bodies.js';
import { CHAT_ROUTES } from './chat-routes.js';
import { ORCHESTRATION_ROUTES } from './orchestration-routes.js';
import type { StreamHub } from './sse.js';
import { BASE_PATH, type Route, type SynapseState } from './state.js';

/** `require_api_key`: HTTPBearer, then the key lookup. */
function authenticate(state: SynapseState, headers: Record<string, string>): void {
  const header = headers.authorization ?? '';
  const [scheme, ...rest] = header.trim().split(/\s+/);
  const credentials = rest.join(' ');
  if (!header || !scheme || !credentials) {
    throw new HttpError(
      state.missingAuthStatus,
      'Not authenticated',
      state.missingAuthStatus === 401 ? { 'www-authenticate': 'Bearer' } : {},
    );
  }
  if (scheme.toLowerCase() !== 'bearer') {
    throw new HttpError(state.missingAuthStatus, 'Invalid authentication credentials');
  }
  if (!state.apiKeys.includes(credentials)) {
    throw new HttpError(401, 'Invalid or revoked API key', { 'www-authenticate': 'Bearer' });
  }
}

/** Every route; their patterns are disjoint, so the order does not matter. */
const ROUTES: Route[] = [...AGENT_ROUTES, ...CHAT_ROUTES, ...ORCHESTRATION_ROUTES];

const OPENAPI_PATHS = [
  '/chat',
  '/chat/stream',
  '/agents',
  '/agents/{agent_id}',
  '/orchestrations',
  '/orchestrations/{orch_id}',
  '/orchestrations/{orch_id}/run',
  '/orchestrations/{orch_id}/run/stream',
  '/orchestrations/runs/{run_id}/resume',
  '/orchestrations/runs/{run_id}/resume/stream',
];

function decodeParam(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** The emulator's request handler. */
export function createHandler(state: SynapseState, hub: StreamHub) {
  return (req: EmulatorRequest, res: ServerResponse): void => {
    try {
      if (req.method === 'GET' && req.path === '/openapi.json') {
        const paths = Object.fromEntries(OPENAPI_PATHS.map((p) => [`${BASE_PATH}${p}`, {}]));
        sendJson(res, 200, { openapi: '3.1.0', info: { title: 'Synapse', version: '1.4.3' }, paths });
        return;
      }
      if (!req.path.startsWith(`${BASE_PATH}/`)) throw new HttpError(404, 'Not Found');
      const sub = req.path.slice(BASE_PATH.length);
      const matching = ROUTES.map((route) => ({ route, m: route.pattern.exec(sub) })).filter(
        (x) => x.m !== null,
      );
      if (matching.length === 0) throw new HttpError(404, 'Not Found');
      const hit = matching.find((x) => x.route.method === req.method);
      if (!hit?.m)
        throw new HttpError(405, 'Method Not Allowed', {
          allow: matching.map((x) => x.route.method).join(', '),
        });
      authenticate(state, req.headers);
      hit.route.run(
        state,
        hub,
        req,
        res,
        hit.m.slice(1).map((p) => decodeParam(p ?? '')),
      );
    } catch (err) {
      if (err instanceof HttpError) {
        sendJson(res, err.status, { detail: err.detail }, err.headers);
        return;
      }
      throw err;
    }
  };
}
