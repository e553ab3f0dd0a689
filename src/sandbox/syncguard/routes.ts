/**
 * The SyncGuard emulator's routes (seed 002, "API Reference"), all under `/api/v1`.
 * Order of checks: route (unknown → 404), lifecycle catch-up, auth (→ 401), then the handler.
 * `/auth/register|login|token` are deliberately not emulated (api-notes §8.2: not exposed as tools).
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { Clock, EmulatorRequest } from '../common.js';
import { sendJson } from '../common.js';
import { advanceLifecycle, ingestEvent, resolveIncident, workspaceStats, workspaceTrends } from './engine.js';
import {
  ApiError,
  ErrorCode,
  failure,
  notFound,
  success,
  unauthorized,
  validationError,
} from './envelope.js';
import {
  type AlertRecord,
  apiKeyPrefix,
  type Channel,
  channelJson,
  eventJson,
  type Incident,
  type IncidentStatus,
  incidentJson,
  newApiKey,
  newWorkspace,
  PROVIDERS,
  type Provider,
  patternJson,
  type Tenant,
  tenantJson,
  timelineJson,
  type Workspace,
  workspaceJson,
} from './model.js';
import {
  type JsonObject,
  optionalBoolean,
  optionalJsonObject,
  optionalPositiveInt,
  optionalString,
  pageOf,
  paging,
  queryBoolean,
  queryInt,
  requiredString,
  requireObject,
} from './validate.js';

/** Base path of every route. */
export const BASE_PATH = '/api/v1';

/** What the routes read and mutate. */
export interface SyncGuardState {
  readonly clock: Clock;
  readonly jwt: string;
  readonly workspaces: Workspace[];
  readonly alerts: AlertRecord[];
}

interface Context {
  readonly state: SyncGuardState;
  readonly req: EmulatorRequest;
  readonly params: Record<string, string>;
  readonly now: number;
}

interface KeyContext extends Context {
  readonly ws: Workspace;
}

interface Reply {
  data: unknown;
  message?: string;
}

type Route =
  | { method: string; path: string; auth: 'apiKey'; handler: (ctx: KeyContext) => Reply }
  | { method: string; path: string; auth: 'jwt'; handler: (ctx: Context) => Reply };

function findIncident(ctx: KeyContext): Incident {
  const id = ctx.params.id ?? '';
  const incident = ctx.ws.incidents.find((i) => i.id === id);
  if (incident === undefined) throw notFound(`Incident ${id} not found.`);
  return incident;
}

function findTenant(ctx: KeyContext): Tenant {
  const id = ctx.params.id ?? '';
  const tenant = ctx.ws.tenants.find((t) => t.id === id);
  if (tenant === undefined) throw notFound(`Tenant ${id} not found.`);
  return tenant;
}

function providerParam(ctx: KeyContext): Provider {
  const raw = (ctx.params.provider ?? '').toLowerCase();
  const provider = PROVIDERS.find((p) => p === raw);
  if (provider === undefined) throw validationError(`provider must be one of ${PROVIDERS.join(', ')}.`);
  return provider;
}

function newestFirst<T extends { seq: number }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => b.seq - a.seq);
}

function parseStatusFilter(raw: string | null): ReadonlySet<IncidentStatus> {
  switch ((raw ?? '').toLowerCase()) {
    case '':
    case 'active':
      return new Set(['Open', 'Recovering']);
    case 'open':
      return new Set(['Open']);
    case 'recovering':
      return new Set(['Recovering']);
    case 'closed':
      return new Set(['Closed']);
    case 'all':
      return new Set(['Open', 'Recovering', 'Closed']);
    default:
      throw validationError('status must be one of open, recovering, closed, active, all.');
  }
}

function requiredUrl(config: JsonObject, field: string): string {
  const value = requiredString(config, field);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw validationError(`config.${field} must be a valid URL.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw validationError(`config.${field} must be an http(s) URL.`);
  }
  return value;
}

function channelConfig(provider: Provider, config: JsonObject): Record<string, string> {
  const field = provider === 'pagerduty' ? 'routingKey' : provider === 'opsgenie' ? 'apiKey' : 'webhookUrl';
  if (field === 'webhookUrl') return { webhookUrl: requiredUrl(config, field) };
  const value = config[field];
  if (typeof value !== 'string' || value.trim() === '') throw validationError(`config.${field} is required.`);
  return { [field]: value };
}

const routes: Route[] = [
  {
    method: 'POST',
    path: '/events',
    auth: 'apiKey',
    handler: (ctx) => {
      const body = requireObject(ctx.req.body);
      const input = {
        integrationKey: requiredString(body, 'integrationKey'),
        eventType: requiredString(body, 'eventType'),
        tenantId: requiredString(body, 'tenantId'),
        errorCode: optionalString(body, 'errorCode') ?? null,
        rawPayload: optionalJsonObject(body, 'rawPayload') ?? null,
      };
      return { data: ingestEvent(ctx.ws, input, ctx.now, ctx.state.alerts) };
    },
  },
  {
    method: 'GET',
    path: '/events',
    auth: 'apiKey',
    handler: (ctx) => {
      const { page, pageSize } = paging(ctx.req.query);
      const incidentId = ctx.req.query.get('incidentId');
      let events = ctx.ws.events;
      if (incidentId !== null && incidentId !== '') {
        if (!ctx.ws.incidents.some((i) => i.id === incidentId))
          throw notFound(`Incident ${incidentId} not found.`);
        events = events.filter((e) => e.incidentId === incidentId);
      }
      const ordered = events.map(eventJson).reverse();
      return { data: pageOf(ordered, page, pageSize) };
    },
  },
  {
    method: 'GET',
    path: '/incidents',
    auth: 'apiKey',
    handler: (ctx) => {
      const query = ctx.req.query;
      const statuses = parseStatusFilter(query.get('status'));
      const integrationKey = query.get('integrationKey');
      const chronic = queryBoolean(query, 'chronic');
      const { page, pageSize } = paging(query);
      const matching = newestFirst(ctx.ws.incidents).filter(
        (i) =>
          statuses.has(i.status) &&
          (integrationKey === null || integrationKey === '' || i.integrationKey === integrationKey) &&
          (chronic === undefined || i.reopenCount >= 3 === chronic),
      );
      return {
        data: pageOf(
          matching.map((i) => incidentJson(ctx.ws, i)),
          page,
          pageSize,
        ),
      };
    },
  },
  {
    method: 'GET',
    path: '/incidents/:id',
    auth: 'apiKey',
    handler: (ctx) => ({ data: incidentJson(ctx.ws, findIncident(ctx)) }),
  },
  {
    method: 'POST',
    path: '/incidents/:id/resolve',
    auth: 'apiKey',
    handler: (ctx) => {
      const incident = findIncident(ctx);
      resolveIncident(ctx.ws, incident, ctx.now, ctx.state.alerts);
      return { data: incidentJson(ctx.ws, incident), message: 'Incident resolved.' };
    },
  },
  {
    method: 'GET',
    path: '/incidents/:id/timeline',
    auth: 'apiKey',
    handler: (ctx) => ({ data: findIncident(ctx).timeline.map(timelineJson) }),
  },
  {
    method: 'GET',
    path: '/patterns',
    auth: 'apiKey',
    handler: (ctx) => ({
      data: [...ctx.ws.patterns].sort((a, b) => a.priority - b.priority).map(patternJson),
    }),
  },
  {
    method: 'PATCH',
    path: '/patterns/:id',
    auth: 'apiKey',
    handler: (ctx) => {
      const id = ctx.params.id ?? '';
      const pattern = ctx.ws.patterns.find((p) => p.id === id);
      if (pattern === undefined) throw notFound(`Pattern ${id} not found.`);
      const body = requireObject(ctx.req.body);
      const isEnabled = optionalBoolean(body, 'isEnabled');
      const count = optionalPositiveInt(body, 'thresholdCount', true);
      const windowSeconds = optionalPositiveInt(body, 'thresholdWindowSeconds', true);
      const nextCount = count === undefined ? pattern.thresholdCount : count;
      const nextWindow = windowSeconds === undefined ? pattern.thresholdWindowSeconds : windowSeconds;
      if (nextCount !== null && nextWindow === null) {
        throw validationError('thresholdWindowSeconds is required when thresholdCount is set.');
      }
      if (nextCount === null && nextWindow !== null) {
        throw validationError('thresholdCount is required when thresholdWindowSeconds is set.');
      }
      if (isEnabled !== undefined) pattern.isEnabled = isEnabled;
      pattern.thresholdCount = nextCount;
      pattern.thresholdWindowSeconds = nextWindow;
      return { data: patternJson(pattern) };
    },
  },
  {
    method: 'POST',
    path: '/workspaces',
    auth: 'jwt',
    handler: (ctx) => {
      const name = requiredString(requireObject(ctx.req.body), 'name').trim();
      const ws = newWorkspace(name, newApiKey());
      ctx.state.workspaces.push(ws);
      return {
        data: {
          workspace: {
            id: ws.id,
            name: ws.name,
            apiKeyPrefix: apiKeyPrefix(ws.apiKey),
            isActive: ws.isActive,
          },
          apiKey: ws.apiKey,
        },
        message: 'Workspace created. Store the API key: it will not be shown again.',
      };
    },
  },
  {
    method: 'GET',
    path: '/workspaces/me',
    auth: 'apiKey',
    handler: (ctx) => ({ data: workspaceJson(ctx.ws) }),
  },
  {
    method: 'PATCH',
    path: '/workspaces/me',
    auth: 'apiKey',
    handler: (ctx) => {
      const body = requireObject(ctx.req.body);
      const name = optionalString(body, 'name');
      const windows = {
        recoveryWindowSeconds: optionalPositiveInt(body, 'recoveryWindowSeconds', false),
        closeWindowSeconds: optionalPositiveInt(body, 'closeWindowSeconds', false),
        cooldownWindowSeconds: optionalPositiveInt(body, 'cooldownWindowSeconds', false),
      };
      if (name !== undefined) ctx.ws.name = name.trim();
      for (const [field, value] of Object.entries(windows)) {
        if (typeof value !== 'number') continue;
        if (field === 'recoveryWindowSeconds') ctx.ws.recoveryWindowSeconds = value;
        else if (field === 'closeWindowSeconds') ctx.ws.closeWindowSeconds = value;
        else ctx.ws.cooldownWindowSeconds = value;
      }
      return { data: workspaceJson(ctx.ws) };
    },
  },
  {
    method: 'POST',
    path: '/workspaces/rotate-key',
    auth: 'apiKey',
    handler: (ctx) => {
      ctx.ws.apiKey = newApiKey();
      return {
        data: {
          workspace: { id: ctx.ws.id, name: ctx.ws.name, apiKeyPrefix: apiKeyPrefix(ctx.ws.apiKey) },
          apiKey: ctx.ws.apiKey,
        },
        message: 'API key rotated. The previous key no longer works.',
      };
    },
  },
  {
    method: 'GET',
    path: '/workspaces/stats',
    auth: 'apiKey',
    handler: (ctx) => ({ data: workspaceStats(ctx.ws) }),
  },
  {
    method: 'GET',
    path: '/workspaces/trends',
    auth: 'apiKey',
    handler: (ctx) => ({ data: workspaceTrends(ctx.ws, ctx.now, queryInt(ctx.req.query, 'days', 7, 1, 90)) }),
  },
  {
    method: 'PUT',
    path: '/workspaces/me/channels/:provider',
    auth: 'apiKey',
    handler: (ctx) => {
      const provider = providerParam(ctx);
      const body = requireObject(ctx.req.body);
      const config = optionalJsonObject(body, 'config');
      if (config === undefined) throw validationError('config is required.');
      const channel: Channel = {
        provider,
        config: channelConfig(provider, config),
        isEnabled: optionalBoolean(body, 'isEnabled') ?? true,
      };
      ctx.ws.channels.set(provider, channel);
      return { data: channelJson(channel) };
    },
  },
  {
    method: 'DELETE',
    path: '/workspaces/me/channels/:provider',
    auth: 'apiKey',
    handler: (ctx) => {
      const provider = providerParam(ctx);
      if (!ctx.ws.channels.delete(provider)) throw notFound(`Channel ${provider} is not configured.`);
      return { data: null, message: `Channel ${provider} removed.` };
    },
  },
  {
    method: 'GET',
    path: '/tenants',
    auth: 'apiKey',
    handler: (ctx) => {
      const { page, pageSize } = paging(ctx.req.query);
      return { data: pageOf(ctx.ws.tenants.map(tenantJson), page, pageSize) };
    },
  },
  {
    method: 'POST',
    path: '/tenants',
    auth: 'apiKey',
    handler: (ctx) => {
      const body = requireObject(ctx.req.body);
      const externalId = requiredString(body, 'externalId');
      const name = optionalString(body, 'name');
      if (ctx.ws.tenants.some((t) => t.externalId === externalId)) {
        throw new ApiError(409, ErrorCode.Conflict, `Tenant with externalId '${externalId}' already exists.`);
      }
      const tenant: Tenant = {
        id: randomUUID(),
        externalId,
        name: name?.trim() ?? externalId,
        isActive: true,
        createdAt: ctx.now,
      };
      ctx.ws.tenants.push(tenant);
      return { data: tenantJson(tenant) };
    },
  },
  {
    method: 'DELETE',
    path: '/tenants/:id',
    auth: 'apiKey',
    handler: (ctx) => {
      const tenant = findTenant(ctx);
      tenant.isActive = false;
      return { data: tenantJson(tenant), message: 'Tenant deactivated.' };
    },
  },
  {
    method: 'POST',
    path: '/tenants/:id/activate',
    auth: 'apiKey',
    handler: (ctx) => {
      const tenant = findTenant(ctx);
      tenant.isActive = true;
      return { data: tenantJson(tenant), message: 'Tenant activated.' };
    },
  },
];

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

/** The request handler for `createEmulatorServer`. */
export function createHandler(state: SyncGuardState): (req: EmulatorRequest, res: ServerResponse) => void {
  return (req, res) => {
    const found = findRoute(req.method, req.path);
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
