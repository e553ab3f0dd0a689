/** Synap's credits: the ledger every billed call debits, its two paging forms, and the balance. */
import { randomUUID } from 'node:crypto';
import { type Ctx, iso, type Reply, type SynapState } from './state.js';
import { queryInt } from './validate.js';

const STARTING_CREDITS = 1000;

/** Writes a ledger debit of `delta` credits for `metric`. */
export function debit(state: SynapState, now: number, delta: number, metric: string): void {
  state.store.ledger.push({
    ledger_id: `led_${randomUUID()}`,
    entry_type: 'debit',
    delta,
    metric_type: metric,
    category: metric.startsWith('context') ? 'retrieval' : 'ingestion',
    created_at: iso(now),
  });
}

/** `GET /v1/credits/ledger`, newest first, in the documented page form or the SDK's limit/offset one. */
export function ledger(ctx: Ctx): Reply {
  const q = ctx.req.query;
  const entries = [...ctx.state.store.ledger].reverse();
  if (q.has('limit') || q.has('offset')) {
    // The Python SDK's form (limit/offset → {entries, total, limit, offset}).
    const limit = queryInt(q, 'limit', 100, 1, 1000);
    const offset = queryInt(q, 'offset', 0, 0, Number.MAX_SAFE_INTEGER);
    return { body: { entries: entries.slice(offset, offset + limit), total: entries.length, limit, offset } };
  }
  // The documented paginated envelope (seed 003): page (1), page_size (20, max 100).
  const page = queryInt(q, 'page', 1, 1, Number.MAX_SAFE_INTEGER);
  const pageSize = queryInt(q, 'page_size', 20, 1, 100);
  const start = (page - 1) * pageSize;
  return {
    body: {
      data: entries.slice(start, start + pageSize),
      page,
      page_size: pageSize,
      total: entries.length,
      total_pages: Math.ceil(entries.length / pageSize),
    },
  };
}

/** `GET /v1/credits/balance`: the starting credits less every debit. */
export function balance(ctx: Ctx): Reply {
  const spent = ctx.state.store.ledger.reduce((sum, e) => sum + e.delta, 0);
  const credits = Math.round((STARTING_CREDITS + spent) * 100) / 100;
  return {
    body: {
      client_id: `client_${ctx.state.instanceId}`,
      balance_credits: credits,
      warning_low: credits < 50,
      buckets: [{ source_type: 'sandbox', balance: credits, expires_at: null }],
    },
  };
}
