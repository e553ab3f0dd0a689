/**
 * The SyncGuard emulator's route table (seed 002, "API Reference"), all under `/api/v1`.
 * `/auth/register|login|token` are deliberately not emulated (api-notes §8.2: not exposed as tools).
 */
import { randomUUID } from 'node:crypto';
import { ingestEvent, resolveIncident, workspaceStats, workspaceTrends } from './engine.js';
import { ApiError, ErrorCode, notFound, validationError } from './envelope.js';
import {
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
  workspaceJson,
} from './model.js';
import type { KeyContext, Route } from './router.js';
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

/** Every emulated endpoint of seed 002 ("API Reference"). */
export const routes: Route[] = [
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
