/**
 * The Synchronex emulator's routes (seed 004), all under `/api/v1`. Order of checks: injected status fault,
 * route (unknown → 404), bearer token (`sx_live_…` key or `sxo_…` OAuth token; → 401), daily rate limit
 * (→ flat 429), the endpoint's scope (→ 403 FORBIDDEN), then the handler. Authenticated answers carry
 * `X-RateLimit-Limit/Remaining/Reset` for the UTC day.
 */
import type { ServerResponse } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Clock } from '../common/clock.js';
import type { FaultInjector } from '../common/faults.js';
import { sendJson } from '../common/json-body.js';
import { findRoute } from '../common/router.js';
import type { EmulatorRequest } from '../common/server.js';
import { codeForStatus, errorBody, notFound, rateLimitBody, SxApiError, validation } from './envelope.js';
import {
  type Decision,
  exportMif,
  importMif,
  injectionBlock,
  kernelJson,
  newId,
  type ProductState,
  productJson,
  productText,
  type SxStore,
  score,
  signalText,
  words,
} from './model.js';

/** Base path of every route. */
export const BASE_PATH = '/api/v1';

/** What a credential may do. API keys carry `read`/`write`; OAuth tokens `memory:*` and `decisions:*`. */
export type Scope = 'read' | 'write' | 'memory:read' | 'memory:write' | 'decisions:read' | 'decisions:write';

/** One accepted bearer token. */
export interface TokenInfo {
  scopes: ReadonlySet<Scope>;
  /** Requests made in the current UTC day. */
  used: { day: number; count: number };
}

/** What the routes read and mutate. */
export interface SxState {
  readonly clock: Clock;
  tokens: Map<string, TokenInfo>;
  dailyLimit: number;
  store: SxStore;
  readonly statusFaults: FaultInjector;
}

interface Ctx {
  state: SxState;
  req: EmulatorRequest;
  params: Record<string, string>;
  now: number;
}

interface Reply {
  status?: number;
  body: unknown;
}

type Need = 'read' | 'write';
type Area = 'memory' | 'decisions';

interface Route {
  method: string;
  path: string;
  pattern: RegExp;
  names: string[];
  need: Need;
  area: Area;
  handler: (ctx: Ctx) => Reply;
}

function route(method: string, path: string, need: Need, handler: (ctx: Ctx) => Reply): Route {
  const names: string[] = [];
  const source = path.replace(/\{([a-z_]+)\}/g, (_, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  const area: Area = path.startsWith('/memory/decisions') ? 'decisions' : 'memory';
  return { method, path, pattern: new RegExp(`^${source}/?$`), names, need, area, handler };
}

const iso = (ms: number) => new Date(ms).toISOString();
const DAY = 86_400_000;

type Obj = Record<string, unknown>;

function body(ctx: Ctx): Obj {
  const b = ctx.req.body;
  if (b === undefined) return {};
  if (typeof b !== 'object' || b === null || Array.isArray(b))
    throw validation('The body must be a JSON object.');
  return b as Obj;
}

function optString(b: Obj, field: string): string | undefined {
  const v = b[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw validation(`${field} must be a string.`);
  return v;
}

function reqString(b: Obj, field: string): string {
  const v = optString(b, field);
  if (v === undefined || v.trim() === '') throw validation(`${field} is required.`);
  return v;
}

function optStringList(b: Obj, field: string): string[] | undefined {
  const v = b[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return [v];
  if (!Array.isArray(v) || !v.every((s) => typeof s === 'string')) {
    throw validation(`${field} must be a string or a list of strings.`);
  }
  return v as string[];
}

function queryLimit(q: URLSearchParams, name: string, max: number): number | undefined {
  const raw = q.get(name);
  if (raw === null) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw validation(`${name} must be an integer from 1 to ${max}.`);
  return n;
}

// ── identity kernel and product state ────────────────────────────────────────────────────────────────

function putIdentity(ctx: Ctx): Reply {
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

function getProduct(ctx: Ctx): Reply {
  const name = ctx.params.name ?? '';
  const p = ctx.state.store.products.get(name);
  if (!p) throw notFound(`No state recorded for product ${name}.`);
  return { body: productJson(p) };
}

function postProduct(ctx: Ctx): Reply {
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

function searchMemory(ctx: Ctx): Reply {
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

function decisionJson(d: Decision, s?: number): Obj {
  return s === undefined ? { ...d } : { ...d, score: s };
}

function searchDecisions(ctx: Ctx): Reply {
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

function createDecision(ctx: Ctx): Reply {
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

function deleteDecision(ctx: Ctx): Reply {
  const id = ctx.params.id ?? '';
  const list = ctx.state.store.decisions;
  const i = list.findIndex((d) => d.id === id);
  if (i < 0) throw notFound(`Decision ${id} not found.`);
  list.splice(i, 1);
  return { body: { id, deleted: true } };
}

// ── MIF, consolidation, ingest ───────────────────────────────────────────────────────────────────────

function importRoute(ctx: Ctx): Reply {
  const result = importMif(ctx.state.store, ctx.req.body, iso(ctx.now));
  if (!result.ok) throw validation(result.message);
  return { body: { imported: result.counts, status: 'completed' } };
}

function consolidate(ctx: Ctx): Reply {
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

function ingest(ctx: Ctx): Reply {
  const payload = body(ctx);
  const signal = {
    id: newId('sig'),
    project_id: ctx.params.project_id ?? '',
    payload,
    received_at: iso(ctx.now),
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

// ── AI costs, BYOK, kernel export, scope ─────────────────────────────────────────────────────────────

function costs(ctx: Ctx): Reply {
  const days = queryLimit(ctx.req.query, 'days', 365) ?? 30;
  const product = ctx.params.product;
  const since = ctx.now - days * DAY;
  const rows = ctx.state.store.costs.filter((c) => c.atMs > since && (!product || c.product === product));
  if (product && !ctx.state.store.costs.some((c) => c.product === product)) {
    throw notFound(`No AI cost records for product ${product}.`);
  }
  const sum = (list: typeof rows) => Math.round(list.reduce((t, c) => t + c.cost_usd, 0) * 10_000) / 10_000;
  const group = (key: 'product' | 'model') =>
    [...new Set(rows.map((c) => c[key]))].map((k) => {
      const mine = rows.filter((c) => c[key] === k);
      return {
        [key]: k,
        cost_usd: sum(mine),
        requests: mine.length,
        tokens: mine.reduce((t, c) => t + c.tokens, 0),
      };
    });
  const base = { days, total_cost_usd: sum(rows), requests: rows.length, by_model: group('model') };
  return { body: product ? { product, ...base } : { ...base, by_product: group('product') } };
}

function preview(key: string): string {
  return key.length > 8 ? `…${key.slice(-4)}` : '…';
}

function byokJson(c: { id: string; service: string; label: string; key: string; created_at: string }): Obj {
  return {
    id: c.id,
    service: c.service,
    label: c.label,
    key_preview: preview(c.key),
    created_at: c.created_at,
  };
}

function createByok(ctx: Ctx): Reply {
  const b = body(ctx);
  const cred = {
    id: newId('byok'),
    service: reqString(b, 'service'),
    label: reqString(b, 'label'),
    key: reqString(b, 'key'),
    created_at: iso(ctx.now),
  };
  ctx.state.store.byok.push(cred);
  return { status: 201, body: byokJson(cred) };
}

function deleteByok(ctx: Ctx): Reply {
  const id = ctx.params.id ?? '';
  const list = ctx.state.store.byok;
  const i = list.findIndex((c) => c.id === id);
  if (i < 0) throw notFound(`BYOK credential ${id} not found.`);
  list.splice(i, 1);
  return { body: { id, deleted: true } };
}

function kernelExport(ctx: Ctx): Reply {
  const { store } = ctx.state;
  return {
    body: {
      format: 'synchronex-kernel',
      exported_at: iso(ctx.now),
      injection_block: injectionBlock(store.kernel),
      kernel: kernelJson(store.kernel),
      product_states: [...store.products.values()].map(productJson),
      workspace_id: store.workspaceId,
    },
  };
}

function scopeJson(store: SxStore): Obj {
  return { workspace_id: store.workspaceId, scope: store.workspaceId === null ? 'personal' : 'workspace' };
}

function patchScope(ctx: Ctx): Reply {
  const b = body(ctx);
  if (!('workspace_id' in b))
    throw validation('workspace_id is required (a workspace id, or null for personal).');
  const v = b.workspace_id;
  if (v !== null && (typeof v !== 'string' || v.trim() === '')) {
    throw validation('workspace_id must be a non-empty string or null.');
  }
  ctx.state.store.workspaceId = v;
  return { body: scopeJson(ctx.state.store) };
}

const ROUTES: Route[] = [
  route('GET', '/memory/identity', 'read', (ctx) => ({ body: kernelJson(ctx.state.store.kernel) })),
  route('PUT', '/memory/identity', 'write', putIdentity),
  route('GET', '/memory/product/{name}/state', 'read', getProduct),
  route('POST', '/memory/product/{name}/state', 'write', postProduct),
  route('GET', '/memory/search', 'read', searchMemory),
  route('GET', '/memory/export-mif', 'read', (ctx) => ({ body: exportMif(ctx.state.store, ctx.now) })),
  route('POST', '/memory/import-mif', 'write', importRoute),
  route('POST', '/memory/consolidate', 'write', consolidate),
  route('GET', '/memory/decisions/search', 'read', searchDecisions),
  route('POST', '/memory/decisions', 'write', createDecision),
  route('DELETE', '/memory/decisions/{id}', 'write', deleteDecision),
  route('POST', '/ingest/{project_id}', 'write', ingest),
  route('GET', '/ai/costs', 'read', costs),
  route('GET', '/ai/costs/{product}', 'read', costs),
  route('GET', '/byok', 'read', (ctx) => ({ body: { credentials: ctx.state.store.byok.map(byokJson) } })),
  route('POST', '/byok', 'write', createByok),
  route('DELETE', '/byok/{id}', 'write', deleteByok),
  route('GET', '/kernel/export', 'read', kernelExport),
  route('POST', '/kernel/export', 'read', kernelExport),
  route('GET', '/scope', 'read', (ctx) => ({ body: scopeJson(ctx.state.store) })),
  route('PATCH', '/scope', 'write', patchScope),
];

/** The route for a path under BASE_PATH (see findRoute in ../common/router.ts). */
function routeFor(method: string, path: string): ReturnType<typeof findRoute<Route>> {
  if (!path.startsWith(`${BASE_PATH}/`)) return undefined;
  return findRoute(ROUTES, method, path.slice(BASE_PATH.length));
}

/** True when the token's scopes allow the route (API keys: read/write; OAuth: memory:* / decisions:*). */
export function allows(scopes: ReadonlySet<Scope>, need: Need, area: Area): boolean {
  if (scopes.has(need)) return true;
  // A write scope includes reading.
  if (need === 'read' && scopes.has('write')) return true;
  if (scopes.has(`${area}:${need}`)) return true;
  return need === 'read' && scopes.has(`${area}:write`);
}

/** The X-RateLimit-* headers of a token's UTC day. */
function dayHeaders(state: SxState, info: TokenInfo, now: number): Record<string, string> {
  const day = Math.floor(now / DAY);
  return {
    'x-ratelimit-limit': String(state.dailyLimit),
    'x-ratelimit-remaining': String(Math.max(0, state.dailyLimit - info.used.count)),
    'x-ratelimit-reset': String(((day + 1) * DAY) / 1000),
  };
}

/** The request handler for `createEmulatorServer`. */
export function createHandler(state: SxState): (req: EmulatorRequest, res: ServerResponse) => void {
  return (req, res) => {
    const now = state.clock.now();
    const token = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
    const info = token === undefined ? undefined : state.tokens.get(token);
    let headers: Record<string, string> = {};
    if (info) {
      const day = Math.floor(now / DAY);
      if (info.used.day !== day) info.used = { day, count: 0 };
      info.used.count += 1;
      headers = dayHeaders(state, info, now);
    }
    const resetAt = (Math.floor(now / DAY) + 1) * DAY;

    const fault = state.statusFaults.take(req.method, req.path);
    if (fault?.kind === 'status') {
      const extra: Record<string, string> = { ...headers };
      if (fault.retryAfter !== undefined) extra['retry-after'] = fault.retryAfter;
      let faultBody = fault.body;
      if (faultBody === undefined) {
        faultBody =
          fault.status === 429
            ? rateLimitBody(Number(fault.retryAfter ?? 60), state.dailyLimit, resetAt)
            : errorBody(codeForStatus(fault.status), `${STATUS_CODES[fault.status] ?? 'Error'}.`);
      }
      sendJson(res, fault.status, faultBody, extra);
      return;
    }

    const found = routeFor(req.method, req.path);
    if (!found) {
      sendJson(res, 404, errorBody('NOT_FOUND', `No route for ${req.method} ${req.path}.`), headers);
      return;
    }
    if (!info || !(token?.startsWith('sx_live_') || token?.startsWith('sxo_'))) {
      sendJson(res, 401, errorBody('UNAUTHORIZED', 'Missing, expired, or revoked bearer token.'));
      return;
    }
    if (info.used.count > state.dailyLimit) {
      const wait = Math.max(1, Math.ceil((resetAt - now) / 1000));
      sendJson(res, 429, rateLimitBody(wait, state.dailyLimit, resetAt), {
        ...headers,
        'retry-after': String(wait),
      });
      return;
    }
    const { route: r, params } = found;
    if (!allows(info.scopes, r.need, r.area)) {
      const what = token.startsWith('sxo_') ? `the ${r.area}:${r.need} OAuth scope` : `the ${r.need} scope`;
      sendJson(
        res,
        403,
        errorBody('FORBIDDEN', `This token lacks ${what} required by ${r.method} ${BASE_PATH}${r.path}.`),
        headers,
      );
      return;
    }
    try {
      const reply = r.handler({ state, req, params, now });
      sendJson(res, reply.status ?? 200, reply.body, headers);
    } catch (err) {
      if (!(err instanceof SxApiError)) throw err;
      sendJson(res, err.status, errorBody(err.code, err.message), headers);
    }
  };
}
