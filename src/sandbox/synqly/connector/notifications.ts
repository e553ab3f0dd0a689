/** Connector notification routes: creating a notification. */
import { randomUUID } from 'node:crypto';
import { iso, type Obj } from '../model.js';
import { badRequest } from '../problem.js';
import type { Reply, Route, RouteContext } from '../route.js';
import { data } from './context.js';
import { PRIORITIES } from './ticketing.js';

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

/** Notifications: create. */
export const NOTIFICATION_ROUTES: Route[] = [
  {
    method: 'POST',
    path: '/v1/notifications/create',
    surface: 'connector',
    body: 'json',
    handler: createNotification,
  },
];
