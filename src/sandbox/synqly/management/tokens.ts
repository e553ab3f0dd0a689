/** Management token routes: minting an integration token (with its refresh token) and the token list. */
import { SYNQLY_FIELDS } from '../fields.js';
import type { Reply, Route, RouteContext } from '../route.js';
import {
  DEFAULT_ADHOC_TTL_MS,
  integrationPermissions,
  issueToken,
  parseTtl,
  refreshTokenView,
  tokenObject,
} from '../tokens.js';
import { bodyObject, optString, param } from './body.js';
import { integrationOf, listReply } from './lookup.js';

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

/** Minting an integration token, and the token list. */
export const TOKEN_ROUTES: Route[] = [
  {
    method: 'POST',
    path: '/v1/tokens/:accountId/:integrationId',
    surface: 'management',
    body: 'json',
    handler: createIntegrationToken,
  },
  { method: 'GET', path: '/v1/tokens', surface: 'management', handler: listTokens },
];
