/** Synchronex's decision routes under `/memory/decisions`: search, record, delete. */
import { notFound, validation } from './envelope.js';
import { type Decision, newId, score, words } from './model.js';
import { type Ctx, iso, type Reply } from './state.js';
import { body, type Obj, optString, queryLimit, reqString } from './validate.js';

function decisionJson(d: Decision, s?: number): Obj {
  return s === undefined ? { ...d } : { ...d, score: s };
}

/** `GET /memory/decisions/search`: decisions ranked by the query words. */
export function searchDecisions(ctx: Ctx): Reply {
  const q = ctx.req.query;
  const query = q.get('query')?.trim() ?? '';
  const product = q.get('product_name') ?? undefined;
  const limit = queryLimit(q, 'limit', 100) ?? 20;
  const budget = queryLimit(q, 'token_budget', 100_000);
  const want = words(query);
  const ranked = ctx.state.store.decisions
    .filter((d) => !product || d.product_name === product || d.affects_products.includes(product))
    .map((d, i) => ({ d, i, s: score(want, `${d.decision} ${d.reasoning ?? ''} ${d.product_name}`) }))
    .filter((r) => r.s > 0)
    .sort((a, b) => b.s - a.s || b.i - a.i)
    .slice(0, limit);
  const out: Obj[] = [];
  let tokens = 0;
  for (const r of ranked) {
    const cost = Math.ceil(`${r.d.decision} ${r.d.reasoning ?? ''}`.length / 4);
    if (budget !== undefined && tokens + cost > budget && out.length > 0) break;
    tokens += cost;
    out.push(decisionJson(r.d, r.s));
  }
  return { body: { decisions: out, count: out.length, tokens_used: tokens } };
}

/** `POST /memory/decisions`. */
export function createDecision(ctx: Ctx): Reply {
  const b = body(ctx);
  const affects = b.affects_products;
  if (affects !== undefined && (!Array.isArray(affects) || !affects.every((s) => typeof s === 'string'))) {
    throw validation('affects_products must be a list of strings.');
  }
  const d: Decision = {
    id: newId('dec'),
    decision: reqString(b, 'decision'),
    product_name: reqString(b, 'product_name'),
    reasoning: optString(b, 'reasoning') ?? null,
    affects_products: (affects as string[] | undefined) ?? [],
    created_at: iso(ctx.now),
  };
  ctx.state.store.decisions.push(d);
  return { status: 201, body: decisionJson(d) };
}

/** `DELETE /memory/decisions/{id}`. */
export function deleteDecision(ctx: Ctx): Reply {
  const id = ctx.params.id ?? '';
  const list = ctx.state.store.decisions;
  const i = list.findIndex((d) => d.id === id);
  if (i < 0) throw notFound(`Decision ${id} not found.`);
  list.splice(i, 1);
  return { body: { id, deleted: true } };
}
