/**
 * Management API routes (organization token), api-notes §1a: integration tokens, accounts, integrations,
 * integration points and the token list. Lists page with `limit` + `start_after` (the last item's
 * `name`) and answer `{result, total?}` (+ `cursor` when `managementCursor` is on).
 */
import type { Route } from '../route.js';
import { ACCOUNT_ROUTES } from './accounts.js';
import { INTEGRATION_ROUTES, POINT_ROUTES } from './integrations.js';
import { TOKEN_ROUTES } from './tokens.js';

/** The Management routes. */
export const managementRoutes: readonly Route[] = [
  ...TOKEN_ROUTES,
  ...ACCOUNT_ROUTES,
  ...INTEGRATION_ROUTES,
  ...POINT_ROUTES,
];
