/** Connector ticketing routes: list, create (checked field by field), patch (JSON Patch). */
import { SYNQLY_FIELDS } from '../fields.js';
import { applyPatch } from '../json-patch.js';
import { iso, type Obj } from '../model.js';
import { connectorList } from '../paging.js';
import { badRequest, notFound } from '../problem.js';
import type { Reply, Route, RouteContext } from '../route.js';
import { data, param } from './context.js';

/** The priorities tickets and notifications accept. */
export const PRIORITIES = ['URGENT', 'CRITICAL', 'HIGH', 'MEDIUM', 'MODERATE', 'LOW', 'PLANNING'];

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

/** Tickets: list, create, JSON Patch. */
export const TICKETING_ROUTES: Route[] = [
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
];
