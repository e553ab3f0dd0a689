/** Management account routes. */
import { randomUUID } from 'node:crypto';
import { SYNQLY_FIELDS } from '../fields.js';
import { type Account, iso } from '../model.js';
import { badRequest, conflict } from '../problem.js';
import type { Reply, Route, RouteContext } from '../route.js';
import { revokeIntegrationTokens } from '../tokens.js';
import { bodyObject, optString, optStringArray, param } from './body.js';
import { accountOf, listReply, same, uniqueName } from './lookup.js';

function createAccount(ctx: RouteContext): Reply {
  const { state } = ctx;
  const body = bodyObject(ctx, false);
  const name = optString(body, 'name') ?? uniqueName('account');
  const fullname = optString(body, 'fullname') ?? name;
  const environment = body.environment ?? 'prod';
  if (environment !== 'test' && environment !== 'prod') {
    throw badRequest(
      'Invalid environment',
      { id: 'environment', location: 'body', value: environment },
      {
        remediation: 'Use "test" or "prod".',
      },
    );
  }
  const labels = optStringArray(body, 'labels');
  if ([...state.accounts.values()].some((a) => a.name === name)) {
    throw conflict('Account already exists', `An account named '${name}' already exists.`);
  }
  const stamp = iso(ctx.now);
  const account: Account = {
    id: randomUUID(),
    name,
    fullname,
    organization_id: state.organizationId,
    environment,
    ...(labels ? { labels } : {}),
    created_at: stamp,
    updated_at: stamp,
  };
  state.accounts.set(account.id, account);
  return { body: { result: { account } } };
}

function deleteAccount(ctx: RouteContext): Reply {
  const { state } = ctx;
  const account = accountOf(state, param(ctx, 'accountId'));
  for (const integration of [...state.integrations.values()]) {
    if (integration.account_id !== account.id) continue;
    revokeIntegrationTokens(state, integration.id);
    state.integrations.delete(integration.id);
    state.data.delete(integration.id);
  }
  state.accounts.delete(account.id);
  return undefined;
}

/** Accounts: list, create, read, delete. */
export const ACCOUNT_ROUTES: Route[] = [
  {
    method: 'GET',
    path: '/v1/accounts',
    surface: 'management',
    handler: (ctx) => listReply(ctx, [...ctx.state.accounts.values()], same, SYNQLY_FIELDS.accounts),
  },
  { method: 'POST', path: '/v1/accounts', surface: 'management', body: 'json', handler: createAccount },
  {
    method: 'GET',
    path: '/v1/accounts/:accountId',
    surface: 'management',
    handler: (ctx) => ({ body: { result: accountOf(ctx.state, param(ctx, 'accountId')) } }),
  },
  { method: 'DELETE', path: '/v1/accounts/:accountId', surface: 'management', handler: deleteAccount },
];
