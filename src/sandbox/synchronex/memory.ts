/**
 * Synchronex's memory routes: the identity kernel, product state, memory search, MIF import, consolidation
 * and project ingest.
 */
import { notFound, validation } from './envelope.js';
import {
  importMif,
  injectionBlock,
  kernelJson,
  newId,
  type ProductState,
  productJson,
  productText,
  score,
  signalText,
  words,
} from './model.js';
import { type Ctx, iso, type Reply } from './state.js';
import { body, type Obj, optString, optStringList, queryLimit } from './validate.js';

// ── identity kernel and product state ────────────────────────────────────────────────────────────────

/** `PUT /memory/identity`: replaces each part of the identity kernel the body gives. */
export function putIdentity(ctx: Ctx): Reply {
  const b = body(ctx);
  const k = ctx.state.store.kernel;
  const isRecord = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (b.identity !== undefined && !isRecord(b.identity)) throw validation('identity must be an object.');
  if (b.model_preferences !== undefined && !isRecord(b.model_preferences)) {
    throw validation('model_preferences must be an object.');
  }
  if (b.products !== undefined && (!Array.isArray(b.products) || b.products.length > 10)) {
    throw validation('products must be a list of at most 10 product snapshots.');
  }
  if (b.constraints !== undefined && !Array.isArray(b.constraints))
    throw validation('constraints must be a list.');
  if (b.identity !== undefined) k.identity = b.identity as Obj;
  if (b.products !== undefined) k.products = b.products as unknown[];
  if (b.constraints !== undefined) k.constraints = b.constraints as unknown[];
  if (b.model_preferences !== undefined) k.model_preferences = b.model_preferences as Obj;
  k.updated_at = iso(ctx.now);
  return { body: kernelJson(k) };
}

/** `GET /memory/product/{name}/state`. */
export function getProduct(ctx: Ctx): Reply {
  const name = ctx.params.name ?? '';
  const p = ctx.state.store.products.get(name);
  if (!p) throw notFound(`No state recorded for product ${name}.`);
  return { body: productJson(p) };
}

/** `POST /memory/product/{name}/state`: creates or updates a product's state. */
export function postProduct(ctx: Ctx): Reply {
  const name = ctx.params.name ?? '';
  const b = body(ctx);
  const existing = ctx.state.store.products.get(name);
  const p: ProductState = existing ?? {
    name,
    status: null,
    what_works: [],
    what_is_blocked: [],
    open_questions: [],
    next_session_starts_here: null,
    updated_at: iso(ctx.now),
  };
  const status = optString(b, 'status');
  const works = optStringList(b, 'what_works');
  const blocked = optStringList(b, 'what_is_blocked');
  const questions = optStringList(b, 'open_questions');
  const next = optString(b, 'next_session_starts_here');
  if (status !== undefined) p.status = status;
  if (works !== undefined) p.what_works = works;
  if (blocked !== undefined) p.what_is_blocked = blocked;
  if (questions !== undefined) p.open_questions = questions;
  if (next !== undefined) p.next_session_starts_here = next;
  p.updated_at = iso(ctx.now);
  ctx.state.store.products.set(name, p);
  return { status: existing ? 200 : 201, body: productJson(p) };
}

// ── search ───────────────────────────────────────────────────────────────────────────────────────────

/** `GET /memory/search`: kernel, product state, decisions and signals ranked by the query words. */
export function searchMemory(ctx: Ctx): Reply {
  const q = ctx.req.query;
  const query = q.get('query')?.trim() ?? '';
  if (query === '') throw validation('query is required.');
  const limit = queryLimit(q, 'limit', 100) ?? 10;
  const product = q.get('product_name') ?? undefined;
  const want = words(query);
  const { store } = ctx.state;
  const hits: Array<Obj & { score: number }> = [];
  for (const d of store.decisions) {
    if (product && d.product_name !== product) continue;
    const s = score(want, `${d.decision} ${d.reasoning ?? ''} ${d.product_name}`);
    if (s > 0) {
      hits.push({
        id: d.id,
        type: 'decision',
        product_name: d.product_name,
        text: d.decision,
        score: s,
        created_at: d.created_at,
      });
    }
  }
  for (const p of store.products.values()) {
    if (product && p.name !== product) continue;
    const s = score(want, productText(p));
    if (s > 0) {
      const text = [p.status, p.next_session_starts_here].filter(Boolean).join(' — ') || productText(p);
      hits.push({
        id: `product:${p.name}`,
        type: 'product_state',
        product_name: p.name,
        text,
        score: s,
        created_at: p.updated_at,
      });
    }
  }
  if (!product) {
    const block = injectionBlock(store.kernel);
    const s = block ? score(want, block) : 0;
    if (s > 0)
      hits.push({
        id: 'identity',
        type: 'identity',
        text: block,
        score: s,
        created_at: store.kernel.updated_at,
      });
  }
  for (const sig of store.signals) {
    if (ctx.now < sig.searchableMs) continue;
    const s = score(want, signalText(sig));
    if (s > 0) {
      hits.push({
        id: sig.id,
        type: 'signal',
        product_name: sig.project_id,
        text: signalText(sig),
        score: s,
        created_at: sig.received_at,
      });
    }
  }
  hits.sort((a, b) => b.score - a.score);
  const results = hits.slice(0, limit);
  return { body: { query, results, count: results.length } };
}

// ── MIF, consolidation, ingest ───────────────────────────────────────────────────────────────────────

/** `POST /memory/import-mif`. */
export function importRoute(ctx: Ctx): Reply {
  const result = importMif(ctx.state.store, ctx.req.body, iso(ctx.now));
  if (!result.ok) throw validation(result.message);
  return { body: { imported: result.counts, status: 'completed' } };
}

/** `POST /memory/consolidate`: drops duplicate decisions at once and answers 202 with a queued job. */
export function consolidate(ctx: Ctx): Reply {
  body(ctx);
  const { store } = ctx.state;
  const seen = new Set<string>();
  const before = store.decisions.length;
  store.decisions = store.decisions.filter((d) => {
    const key = `${d.product_name}\u0000${d.decision.trim().toLowerCase()}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return {
    status: 202,
    body: {
      job_id: newId('job'),
      status: 'queued',
      queued_at: iso(ctx.now),
      duplicates_found: before - store.decisions.length,
    },
  };
}

/** `POST /ingest/{project_id}`: accepts a signal, searchable once processed (`signalDelayMs`), and answers 202. */
export function ingest(ctx: Ctx): Reply {
  const payload = body(ctx);
  const signal = {
    id: newId('sig'),
    project_id: ctx.params.project_id ?? '',
    payload,
    received_at: iso(ctx.now),
    searchableMs: ctx.now + ctx.state.signalDelayMs,
  };
  ctx.state.store.signals.push(signal);
  return {
    status: 202,
    body: {
      id: signal.id,
      project_id: signal.project_id,
      status: 'accepted',
      received_at: signal.received_at,
    },
  };
}
