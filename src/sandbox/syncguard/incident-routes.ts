/** SyncGuard's signal routes: events in, incidents with their resolution and timeline, learned patterns. */
import { ingestEvent, resolveIncident } from './engine.js';
import { notFound, validationError } from './envelope.js';
import {
  eventJson,
  type Incident,
  type IncidentStatus,
  incidentJson,
  patternJson,
  timelineJson,
} from './model.js';
import type { KeyContext, Route } from './router.js';
import {
  optionalBoolean,
  optionalJsonObject,
  optionalPositiveInt,
  optionalString,
  pageOf,
  paging,
  queryBoolean,
  requiredString,
  requireObject,
} from './validate.js';

function findIncident(ctx: KeyContext): Incident {
  const id = ctx.params.id ?? '';
  const incident = ctx.ws.incidents.find((i) => i.id === id);
  if (incident === undefined) throw notFound(`Incident ${id} not found.`);
  return incident;
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

/** Events in, incidents and their timelines, learned patterns. */
export const INCIDENT_ROUTES: Route[] = [
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
];
