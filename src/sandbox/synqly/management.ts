/**
 * Management API routes (organization token), api-notes §1a: integration tokens, accounts, integrations,
 * integration points and the token list. Lists page with `limit` + `start_after` (the last item's
 * `name`) and answer `{result, total?}` (+ `cursor` when `managementCursor` is on).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { SYNQLY_FIELDS } from './fields.js';
import type { Reply, Route, RouteContext } from './http.js';
import {
  type Account,
  DEFAULT_ADHOC_TTL_MS,
  dataOf,
  type Integration,
  type IntegrationPoint,
  integrationPermissions,
  iso,
  issueToken,
  type Obj,
  parseTtl,
  providerFullname,
  refreshTokenView,
  revokeIntegrationTokens,
  type SynqlyState,
  tokenObject,
} from './model.js';
import { badRequest, conflict, notFound } from './problem.js';
import { managementPage } from './query.js';

const DAY_MS = 24 * 3_600_000;
const MONTH_MS = 30 * DAY_MS;

function bodyObject(ctx: RouteContext, required: boolean): Obj {
  const body = ctx.req.json;
  if (body === undefined && !required) return {};
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badRequest('The request body must be a JSON object', { id: 'body', location: 'body' });
  }
  return body as Obj;
}

function optString(body: Obj, key: string): string | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' || v === '') {
    throw badRequest(
      `Invalid ${key}`,
      { id: key, location: 'body', value: v },
      { detail: `${key} must be a non-empty string.` },
    );
  }
  return v;
}

function optStringArray(body: Obj, key: string): string[] | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || !v.every((s) => typeof s === 'string')) {
    throw badRequest(
      `Invalid ${key}`,
      { id: key, location: 'body', value: v },
      { detail: `${key} must be an array of strings.` },
    );
  }
  return v as string[];
}

function optObject(body: Obj, key: string): Obj | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) {
    throw badRequest(`Invalid ${key}`, { id: key, location: 'body', value: v });
  }
  return v as Obj;
}

function optArray(body: Obj, key: string): unknown[] | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw badRequest(`Invalid ${key}`, { id: key, location: 'body', value: v });
  return v;
}

/** A `{result, total?, cursor?}` list answer for Management. */
function listReply<T extends { name: string }>(
  ctx: RouteContext,
  all: readonly T[],
  view: (item: T) => unknown,
  fields: readonly string[],
): Reply {
  const { page, more, total } = managementPage(all, ctx.req.query, fields);
  const body: Obj = { result: page.map(view) };
  if (ctx.req.query.get('total') === 'true') body.total = total;
  if (ctx.state.managementCursor) body.cursor = more ? (page.at(-1)?.name ?? '') : '';
  return { body };
}

function accountOf(state: SynqlyState, id: string): Account {
  const account = state.accounts.get(id);
  if (!account) throw notFound('Account', id, 'List accounts with GET /v1/accounts.');
  return account;
}

function integrationOf(state: SynqlyState, accountId: string, integrationId: string): Integration {
  accountOf(state, accountId);
  const integration = state.integrations.get(integrationId);
  if (!integration || integration.account_id !== accountId) {
    throw notFound(
      'Integration',
      integrationId,
      `List the account's integrations with GET /v1/integrations/${accountId}.`,
    );
  }
  return integration;
}

function param(ctx: RouteContext, name: string): string {
  return ctx.params[name] ?? '';
}

function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

// ── Tokens ───────────────────────────────────────────────────────────────────

function createIntegrationToken(ctx: RouteContext): Reply {
  const { state } = ctx;
  const accountId = param(ctx, 'accountId');
  const integrationId = param(ctx, 'integrationId');
  integrationOf(state, accountId, integrationId);
  const body = bodyObject(ctx, false);
  const name = optString(body, 'name');
  const ttl =
    body.token_ttl === undefined || body.token_ttl === null ? DEFAULT_ADHOC_TTL_MS : parseTtl(body.token_ttl);
  const record = issueToken(state, {
    ...(name ? { name } : {}),
    owner: { type: 'integration', accountId, integrationId },
    tokenType: 'adhoc',
    ttlMs: ttl,
  });
  state.minted.push(record.access.secret);
  return { body: { result: tokenObject(record.access, integrationPermissions(accountId, integrationId)) } };
}

function listTokens(ctx: RouteContext): Reply {
  const live = [...ctx.state.refreshTokens.values()].filter((r) => r.expires > ctx.now);
  return listReply(ctx, live, refreshTokenView, SYNQLY_FIELDS.tokens);
}

// ── Accounts ─────────────────────────────────────────────────────────────────

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

// ── Integrations ─────────────────────────────────────────────────────────────

function createIntegration(ctx: RouteContext): Reply {
  const { state } = ctx;
  const account = accountOf(state, param(ctx, 'accountId'));
  const body = bodyObject(ctx, true);
  const config = optObject(body, 'provider_config');
  if (!config) {
    throw badRequest(
      'provider_config is required',
      { id: 'provider_config', location: 'body' },
      {
        remediation: 'Send provider_config with its type, e.g. {"type": "ticketing_jira", ...}.',
      },
    );
  }
  const type = config.type;
  if (typeof type !== 'string' || !/^[a-z]+_[a-z0-9_]+$/.test(type)) {
    throw badRequest(
      'Invalid provider_config.type',
      { id: 'provider_config.type', location: 'body', value: type },
      {
        remediation: 'Use a provider config type such as "ticketing_jira" or "siem_splunk".',
      },
    );
  }
  const name = optString(body, 'name') ?? uniqueName(type.replace(/_/g, '-'));
  if ([...state.integrations.values()].some((i) => i.account_id === account.id && i.name === name)) {
    throw conflict(
      'Integration already exists',
      `An integration named '${name}' already exists in this account.`,
    );
  }
  const pointId = optString(body, 'integration_point_id');
  if (pointId !== undefined && !state.points.has(pointId)) {
    throw badRequest('Unknown integration_point_id', {
      id: 'integration_point_id',
      location: 'body',
      value: pointId,
    });
  }
  const id = randomUUID();
  const token = issueToken(state, {
    owner: { type: 'integration', accountId: account.id, integrationId: id },
    tokenType: 'default',
    ttlMs: DAY_MS,
  });
  const stamp = iso(ctx.now);
  const optional: Partial<Integration> = {};
  if (pointId !== undefined) optional.integration_point_id = pointId;
  const bridge = optObject(body, 'bridge_selector');
  if (bridge) optional.bridge_selector = bridge;
  const webhook = optObject(body, 'webhook_config');
  if (webhook) optional.webhook_config = webhook;
  const mappings = optArray(body, 'mappings');
  if (mappings) optional.mappings = mappings;
  const additional = optArray(body, 'additional_mappings');
  if (additional) optional.additional_mappings = additional;
  const integration: Integration = {
    id,
    name,
    fullname: optString(body, 'fullname') ?? providerFullname(type),
    refresh_token_id: token.id,
    account_id: account.id,
    category: type.split('_')[0] ?? type,
    provider_config: config,
    provider_fullname: providerFullname(type),
    provider_type: type,
    ...optional,
    created_at: stamp,
    updated_at: stamp,
  };
  state.integrations.set(id, integration);
  dataOf(state, id);
  const permissions = integrationPermissions(account.id, id);
  token.refresh.expires = ctx.now + MONTH_MS;
  return {
    body: {
      result: {
        integration,
        token: {
          access: tokenObject(token.access, permissions),
          refresh: tokenObject(token.refresh, permissions),
        },
      },
    },
  };
}

function deleteIntegration(ctx: RouteContext): Reply {
  const { state } = ctx;
  const integration = integrationOf(state, param(ctx, 'accountId'), param(ctx, 'integrationId'));
  revokeIntegrationTokens(state, integration.id);
  state.integrations.delete(integration.id);
  state.data.delete(integration.id);
  return undefined;
}

// ── Integration points ───────────────────────────────────────────────────────

function createIntegrationPoint(ctx: RouteContext): Reply {
  const { state } = ctx;
  const body = bodyObject(ctx, true);
  const connector = body.connector;
  if (typeof connector !== 'string' || connector === '') {
    throw badRequest('connector is required', { id: 'connector', location: 'body', value: connector });
  }
  const environments = optObject(body, 'environments');
  if (!environments) {
    throw badRequest(
      'environments is required',
      { id: 'environments', location: 'body' },
      {
        remediation: 'Send environments, e.g. {"prod": ["ticketing_jira"]} or {}.',
      },
    );
  }
  const test = optStringArray(environments, 'test');
  const prod = optStringArray(environments, 'prod');
  const name = optString(body, 'name') ?? uniqueName(connector);
  if ([...state.points.values()].some((p) => p.name === name)) {
    throw conflict(
      'Integration point already exists',
      `An integration point named '${name}' already exists.`,
    );
  }
  const stamp = iso(ctx.now);
  const point: IntegrationPoint = {
    id: randomUUID(),
    name,
    connector,
    environments: { ...(test ? { test } : {}), ...(prod ? { prod } : {}) },
    created_at: stamp,
    updated_at: stamp,
  };
  const fullname = optString(body, 'fullname');
  if (fullname) point.fullname = fullname;
  const description = optString(body, 'description');
  if (description) point.description = description;
  for (const key of ['mappings', 'additional_mappings', 'scheduled_operations'] as const) {
    const v = optArray(body, key);
    if (v) point[key] = v;
  }
  state.points.set(point.id, point);
  return { body: { result: point } };
}

const same = <T>(x: T): T => x;

/** The Management routes. */
export const managementRoutes: readonly Route[] = [
  {
    method: 'POST',
    path: '/v1/tokens/:accountId/:integrationId',
    surface: 'management',
    body: 'json',
    handler: createIntegrationToken,
  },
  { method: 'GET', path: '/v1/tokens', surface: 'management', handler: listTokens },
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
  {
    method: 'GET',
    path: '/v1/integrations',
    surface: 'management',
    handler: (ctx) => listReply(ctx, [...ctx.state.integrations.values()], same, SYNQLY_FIELDS.integrations),
  },
  {
    method: 'GET',
    path: '/v1/integrations/:accountId',
    surface: 'management',
    handler: (ctx) => {
      const account = accountOf(ctx.state, param(ctx, 'accountId'));
      const own = [...ctx.state.integrations.values()].filter((i) => i.account_id === account.id);
      return listReply(ctx, own, same, SYNQLY_FIELDS.integrations);
    },
  },
  {
    method: 'POST',
    path: '/v1/integrations/:accountId',
    surface: 'management',
    body: 'json',
    handler: createIntegration,
  },
  {
    method: 'GET',
    path: '/v1/integrations/:accountId/:integrationId',
    surface: 'management',
    handler: (ctx) => ({
      body: { result: integrationOf(ctx.state, param(ctx, 'accountId'), param(ctx, 'integrationId')) },
    }),
  },
  {
    method: 'DELETE',
    path: '/v1/integrations/:accountId/:integrationId',
    surface: 'management',
    handler: deleteIntegration,
  },
  {
    method: 'GET',
    path: '/v1/integration-points',
    surface: 'management',
    handler: (ctx) => listReply(ctx, [...ctx.state.points.values()], same, SYNQLY_FIELDS.integrationPoints),
  },
  {
    method: 'POST',
    path: '/v1/integration-points',
    surface: 'management',
    body: 'json',
    handler: createIntegrationPoint,
  },
];
