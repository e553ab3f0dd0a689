/** Connector identity routes: the audit log, users, and user actions. */
import { SYNQLY_FIELDS } from '../fields.js';
import { connectorList } from '../paging.js';
import { notFound } from '../problem.js';
import type { Reply, Route, RouteContext } from '../route.js';
import { data, param, withRaw } from './context.js';

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

/** Identity: the audit log, users, user actions. */
export const IDENTITY_ROUTES: Route[] = [
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
];
