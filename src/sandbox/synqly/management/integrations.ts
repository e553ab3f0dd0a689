/** Management integration and integration-point routes. */
import { randomUUID } from 'node:crypto';
import { SYNQLY_FIELDS } from '../fields.js';
import { dataOf, type Integration, type IntegrationPoint, iso, providerFullname } from '../model.js';
import { badRequest, conflict } from '../problem.js';
import type { Reply, Route, RouteContext } from '../route.js';
import { integrationPermissions, issueToken, revokeIntegrationTokens, tokenObject } from '../tokens.js';
import { bodyObject, optArray, optObject, optString, optStringArray, param } from './body.js';
import { accountOf, integrationOf, listReply, same, uniqueName } from './lookup.js';

const DAY_MS = 24 * 3_600_000;

const MONTH_MS = 30 * DAY_MS;

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

/** Integrations: all, an account's, create, read, delete. */
export const INTEGRATION_ROUTES: Route[] = [
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
];

/** Integration points: list, create. */
export const POINT_ROUTES: Route[] = [
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
