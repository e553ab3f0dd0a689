/** Synchronex's account routes: AI costs, BYOK credentials, the kernel export and the memory scope. */
import { notFound, validation } from './envelope.js';
import { injectionBlock, kernelJson, newId, productJson, type SxStore } from './model.js';
import { type Ctx, iso, type Reply } from './state.js';
import { body, type Obj, queryLimit, reqString } from './validate.js';

/** A day in milliseconds. */
export const DAY = 86_400_000;

/** `GET /ai/costs[/{product}]`: the cost records of the last `days` (default 30), summed. */
export function costs(ctx: Ctx): Reply {
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

/** A BYOK credential as the API returns it: the key shown only as a preview. */
export function byokJson(c: {
  id: string;
  service: string;
  label: string;
  key: string;
  created_at: string;
}): Obj {
  return {
    id: c.id,
    service: c.service,
    label: c.label,
    key_preview: preview(c.key),
    created_at: c.created_at,
  };
}

/** `POST /byok`. */
export function createByok(ctx: Ctx): Reply {
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

/** `DELETE /byok/{id}`. */
export function deleteByok(ctx: Ctx): Reply {
  const id = ctx.params.id ?? '';
  const list = ctx.state.store.byok;
  const i = list.findIndex((c) => c.id === id);
  if (i < 0) throw notFound(`BYOK credential ${id} not found.`);
  list.splice(i, 1);
  return { body: { id, deleted: true } };
}

/** `GET|POST /kernel/export`: the identity kernel and product states, with the injection block. */
export function kernelExport(ctx: Ctx): Reply {
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

/** The memory scope as the API returns it. */
export function scopeJson(store: SxStore): Obj {
  return { workspace_id: store.workspaceId, scope: store.workspaceId === null ? 'personal' : 'workspace' };
}

/** `PATCH /scope`. */
export function patchScope(ctx: Ctx): Reply {
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
