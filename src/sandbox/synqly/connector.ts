/**
 * Connector API routes (integration token), api-notes §1b: SIEM events (a new query answers `PENDING`
 * first, then `COMPLETE`), identity audit log, users and user actions, tickets (create, JSON Patch),
 * storage (multipart upload, download, delete, folder list) and notifications. Every integration holds
 * data for every connector category (the sandbox does not check an integration's category).
 */
import { randomUUID } from 'node:crypto';
import { SYNQLY_FIELDS } from './fields.js';
import type { Reply, Route, RouteContext } from './http.js';
import { type ConnectorData, dataOf, iso, type Obj } from './model.js';
import { badRequest, notFound } from './problem.js';
import {
  applyFilters,
  applyOrder,
  applyPatch,
  connectorList,
  connectorPage,
  decodeCursor,
  encodeCursor,
  readLimit,
} from './query.js';

const PRIORITIES = ['URGENT', 'CRITICAL', 'HIGH', 'MEDIUM', 'MODERATE', 'LOW', 'PLANNING'];

function data(ctx: RouteContext): ConnectorData {
  return dataOf(ctx.state, ctx.token.integrationId ?? '');
}

function param(ctx: RouteContext, name: string): string {
  return ctx.params[name] ?? '';
}

function withRaw(items: Obj[], query: URLSearchParams): Obj[] {
  if (query.get('include_raw_data') !== 'true') return items;
  return items.map((e) => ({ ...e, raw_data: JSON.stringify(e) }));
}

// ── SIEM ─────────────────────────────────────────────────────────────────────

function querySiemEvents(ctx: RouteContext): Reply {
  const store = data(ctx);
  const { query } = ctx.req;
  const raw = query.get('cursor');
  const state = raw ? decodeCursor(raw) : {};
  let filter = state.filter ?? query.getAll('filter');
  let order = state.order ?? query.getAll('order');
  let offset = state.o ?? 0;
  if (state.q !== undefined) {
    const pending = store.siemQueries.get(state.q);
    if (!pending)
      throw badRequest('Unknown or expired query cursor', { id: 'cursor', location: 'query', value: raw });
    if (pending.pendingLeft > 0) {
      pending.pendingLeft -= 1;
      return { body: { result: [], cursor: raw, status: 'PENDING' } };
    }
    store.siemQueries.delete(state.q);
    filter = pending.filter;
    order = pending.order;
    offset = 0;
  } else if (!raw) {
    // Validate now, so a bad filter fails at once rather than after the query "ran".
    applyOrder(
      applyFilters(store.siemEvents, filter, SYNQLY_FIELDS.siemEvents),
      order,
      'time',
      SYNQLY_FIELDS.siemEvents,
    );
    if (ctx.state.siemPendingPolls > 0) {
      const id = randomUUID();
      store.siemQueries.set(id, { pendingLeft: ctx.state.siemPendingPolls - 1, filter, order });
      return { body: { result: [], cursor: encodeCursor({ q: id }), status: 'PENDING' } };
    }
  }
  const sorted = applyOrder(
    applyFilters(store.siemEvents, filter, SYNQLY_FIELDS.siemEvents),
    order,
    'time',
    SYNQLY_FIELDS.siemEvents,
  );
  const page = connectorPage(sorted, offset, readLimit(query), { filter, order });
  return { body: { result: withRaw(page.result, query), cursor: page.cursor, status: 'COMPLETE' } };
}

// ── Identity ─────────────────────────────────────────────────────────────────

function queryAudit(ctx: RouteContext): Reply {
  const page = connectorList(data(ctx).audit, ctx.req.query, 'time', SYNQLY_FIELDS.audit);
  return { body: { result: withRaw(page.result, ctx.req.query), cursor: page.cursor } };
}

function userAction(ctx: RouteContext): Reply {
  const userId = param(ctx, 'userId');
  const action = param(ctx, 'action');
  const user = data(ctx).users.find((u) => u.uid === userId);
  if (!user) throw notFound('User', userId, 'List users with GET /v1/identity/users.');
  switch (action) {
    case 'disable':
      user.status = 'SUSPENDED';
      break;
    case 'enable':
      user.status = 'ACTIVE';
      break;
    case 'force_reset_password':
    case 'expire_all_sessions':
      break;
    default:
      throw notFound('Action', action);
  }
  return undefined;
}

// ── Ticketing ────────────────────────────────────────────────────────────────

const TICKET_STRINGS = [
  'summary',
  'creator',
  'assignee',
  'contact',
  'description',
  'due_date',
  'completion_date',
  'status',
  'project',
  'issue_type',
] as const;

function createTicket(ctx: RouteContext): Reply {
  const body = ctx.req.json;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badRequest('The request body must be a CreateTicketRequest object', {
      id: 'body',
      location: 'body',
    });
  }
  const input = body as Obj;
  if (typeof input.name !== 'string' || input.name.trim() === '') {
    throw badRequest(
      'name is required',
      { id: 'name', location: 'body', value: input.name },
      {
        remediation: 'Send the ticket title as name.',
      },
    );
  }
  const ticket: Obj = { name: input.name };
  for (const key of TICKET_STRINGS) {
    const v = input[key];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'string') throw badRequest(`Invalid ${key}`, { id: key, location: 'body', value: v });
    ticket[key] = v;
  }
  if (input.priority !== undefined) {
    if (typeof input.priority !== 'string' || !PRIORITIES.includes(input.priority)) {
      throw badRequest(
        'Invalid priority',
        { id: 'priority', location: 'body', value: input.priority },
        {
          remediation: `Use one of ${PRIORITIES.join(', ')}.`,
        },
      );
    }
    ticket.priority = input.priority;
  }
  if (input.tags !== undefined) {
    if (!Array.isArray(input.tags) || !input.tags.every((t) => typeof t === 'string')) {
      throw badRequest('Invalid tags', { id: 'tags', location: 'body', value: input.tags });
    }
    ticket.tags = input.tags;
  }
  if (input.custom_fields !== undefined) {
    if (
      typeof input.custom_fields !== 'object' ||
      input.custom_fields === null ||
      Array.isArray(input.custom_fields)
    ) {
      throw badRequest('Invalid custom_fields', { id: 'custom_fields', location: 'body' });
    }
    ticket.custom_fields = input.custom_fields;
  }
  const store = data(ctx);
  store.ticketSeq += 1;
  const project = typeof ticket.project === 'string' ? ticket.project : 'SBX';
  const stamp = iso(ctx.now);
  const created: Obj = {
    id: `${project}-${store.ticketSeq}`,
    ...ticket,
    summary: ticket.summary ?? ticket.name,
    status: ticket.status ?? 'To Do',
    project,
    created_at: stamp,
    updated_at: stamp,
  };
  store.tickets.push(created);
  return { body: { result: created } };
}

function patchTicket(ctx: RouteContext): Reply {
  const store = data(ctx);
  const id = param(ctx, 'ticketId');
  const index = store.tickets.findIndex((t) => t.id === id);
  const current = store.tickets[index];
  if (!current) throw notFound('Ticket', id, 'Query tickets with GET /v1/ticketing/tickets.');
  const patched = applyPatch(current, ctx.req.json, ['id', 'created_at', 'updated_at']);
  patched.updated_at = iso(ctx.now);
  store.tickets[index] = patched;
  return { body: { result: patched } };
}

// ── Storage ──────────────────────────────────────────────────────────────────

function storagePath(ctx: RouteContext): string {
  const raw = param(ctx, 'path');
  const segments = raw.split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..')) {
    throw badRequest(
      'Invalid path',
      { id: 'path', location: 'path', value: raw },
      {
        remediation: 'Use a relative path such as reports/summary.txt, without empty, "." or ".." segments.',
      },
    );
  }
  return raw;
}

function listFolder(ctx: RouteContext): Reply {
  const folder = storagePath(ctx);
  const paths = [...data(ctx).files.keys()]
    .filter((p) => p.startsWith(`${folder}/`))
    .sort()
    .map((path) => ({ path }));
  const raw = ctx.req.query.get('cursor');
  const state = raw ? decodeCursor(raw) : {};
  const page = connectorPage(paths, state.o ?? 0, readLimit(ctx.req.query), {});
  return { body: page };
}

async function uploadFile(ctx: RouteContext): Promise<Reply> {
  const path = storagePath(ctx);
  const entries = [...(ctx.req.form?.entries() ?? [])];
  const first = entries[0];
  if (entries.length !== 1 || !first || first[0] !== 'file' || typeof first[1] === 'string') {
    throw badRequest(
      'The upload must have a single file part named "file"',
      { id: 'file', location: 'body' },
      {
        remediation: 'Send multipart/form-data with one part: name="file", with a filename.',
      },
    );
  }
  const file = first[1];
  data(ctx).files.set(path, {
    bytes: Buffer.from(await file.arrayBuffer()),
    contentType: file.type || 'application/octet-stream',
  });
  return undefined;
}

function downloadFile(ctx: RouteContext): Reply {
  const path = storagePath(ctx);
  const file = data(ctx).files.get(path);
  if (!file) throw notFound('File', path, 'List files with GET /v1/storage/folders/{path}.');
  return { bytes: file.bytes, contentType: file.contentType };
}

function deleteFile(ctx: RouteContext): Reply {
  const path = storagePath(ctx);
  if (!data(ctx).files.delete(path)) throw notFound('File', path);
  return undefined;
}

// ── Notifications ────────────────────────────────────────────────────────────

const NOTIFICATION_STRINGS = [
  'name',
  'project',
  'status',
  'description',
  'issue_type',
  'creator',
  'assignee',
  'contact',
] as const;

function createNotification(ctx: RouteContext): Reply {
  const body = ctx.req.json;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badRequest('The request body must be a CreateNotificationRequest object', {
      id: 'body',
      location: 'body',
    });
  }
  const input = body as Obj;
  if (typeof input.summary !== 'string' || input.summary === '') {
    throw badRequest('summary is required', { id: 'summary', location: 'body', value: input.summary });
  }
  const out: Obj = { summary: input.summary };
  for (const key of NOTIFICATION_STRINGS) {
    const v = input[key];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'string') throw badRequest(`Invalid ${key}`, { id: key, location: 'body', value: v });
    out[key] = v;
  }
  if (input.priority !== undefined) {
    if (typeof input.priority !== 'string' || !PRIORITIES.includes(input.priority)) {
      throw badRequest('Invalid priority', { id: 'priority', location: 'body', value: input.priority });
    }
    out.priority = input.priority;
  }
  if (input.tags !== undefined) {
    if (!Array.isArray(input.tags) || !input.tags.every((t) => typeof t === 'string')) {
      throw badRequest('Invalid tags', { id: 'tags', location: 'body', value: input.tags });
    }
    out.tags = input.tags;
  }
  const stamp = iso(ctx.now);
  const id = randomUUID();
  const notification: Obj = { id, name: out.name ?? id, ...out, created_at: stamp, updated_at: stamp };
  data(ctx).notifications.push(notification);
  return { body: { result: notification } };
}

/** The Connector routes. */
export const connectorRoutes: readonly Route[] = [
  { method: 'GET', path: '/v1/siem/events', surface: 'connector', handler: querySiemEvents },
  { method: 'GET', path: '/v1/identity/audit', surface: 'connector', handler: queryAudit },
  {
    method: 'GET',
    path: '/v1/identity/users',
    surface: 'connector',
    handler: (ctx) => ({ body: connectorList(data(ctx).users, ctx.req.query, 'uid', SYNQLY_FIELDS.users) }),
  },
  {
    method: 'POST',
    path: '/v1/identity/users/:userId/actions/:action',
    surface: 'connector',
    handler: userAction,
  },
  {
    method: 'GET',
    path: '/v1/ticketing/tickets',
    surface: 'connector',
    handler: (ctx) => ({
      body: connectorList(data(ctx).tickets, ctx.req.query, 'id', SYNQLY_FIELDS.tickets),
    }),
  },
  {
    method: 'POST',
    path: '/v1/ticketing/tickets',
    surface: 'connector',
    body: 'json',
    handler: createTicket,
  },
  {
    method: 'PATCH',
    path: '/v1/ticketing/tickets/:ticketId',
    surface: 'connector',
    body: 'json',
    handler: patchTicket,
  },
  { method: 'GET', path: '/v1/storage/folders/*path', surface: 'connector', handler: listFolder },
  {
    method: 'POST',
    path: '/v1/storage/files/*path',
    surface: 'connector',
    body: 'multipart',
    handler: uploadFile,
  },
  { method: 'GET', path: '/v1/storage/files/*path', surface: 'connector', handler: downloadFile },
  { method: 'DELETE', path: '/v1/storage/files/*path', surface: 'connector', handler: deleteFile },
  {
    method: 'POST',
    path: '/v1/notifications/create',
    surface: 'connector',
    body: 'json',
    handler: createNotification,
  },
];
