/** Connector SIEM routes: querying events (a new query answers `PENDING` first, then `COMPLETE`). */
import { randomUUID } from 'node:crypto';
import { SYNQLY_FIELDS } from '../fields.js';
import { connectorPage, decodeCursor, encodeCursor, readLimit } from '../paging.js';
import { badRequest } from '../problem.js';
import { applyFilters, applyOrder } from '../query.js';
import type { Reply, Route, RouteContext } from '../route.js';
import { data, withRaw } from './context.js';

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

/** SIEM events. */
export const SIEM_ROUTES: Route[] = [
  { method: 'GET', path: '/v1/siem/events', surface: 'connector', handler: querySiemEvents },
];
