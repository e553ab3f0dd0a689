/** What the Management routes share: paged list answers, account and integration lookups (→ 404), names. */
import { randomBytes } from 'node:crypto';
import type { Account, Integration, Obj, SynqlyState } from '../model.js';
import { managementPage } from '../paging.js';
import { notFound } from '../problem.js';
import type { Reply, RouteContext } from '../route.js';

/** A `{result, total?, cursor?}` list answer for Management. */
export function listReply<T extends { name: string }>(
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

/** The account `id`; 404 when there is none. */
export function accountOf(state: SynqlyState, id: string): Account {
  const account = state.accounts.get(id);
  if (!account) throw notFound('Account', id, 'List accounts with GET /v1/accounts.');
  return account;
}

/** The integration `integrationId` of account `accountId`; 404 when either is missing. */
export function integrationOf(state: SynqlyState, accountId: string, integrationId: string): Integration {
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

/** A default name: `prefix` and 8 random hex digits. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/** The identity view, for lists shown as stored. */
export const same = <T>(x: T): T => x;
