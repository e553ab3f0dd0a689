/**
 * The Synchronex emulator's data: the identity kernel, product states, the decision index, ingested project
 * signals, BYOK credentials, the active scope and AI cost records; plus search over them, the kernel's
 * injection block, and the portable MIF document (export, and the import that restores it).
 */
import { randomUUID } from 'node:crypto';
import { isRecord } from '../../json.js';

/** The identity kernel (PUT /memory/identity fields). */
export interface Kernel {
  identity: Record<string, unknown>;
  products: unknown[];
  constraints: unknown[];
  model_preferences: Record<string, unknown>;
  updated_at: string | null;
}

/** One product's state (POST /memory/product/{name}/state fields). */
export interface ProductState {
  name: string;
  status: string | null;
  what_works: string[];
  what_is_blocked: string[];
  open_questions: string[];
  next_session_starts_here: string | null;
  updated_at: string;
}

/** One recorded decision. */
export interface Decision {
  id: string;
  decision: string;
  product_name: string;
  reasoning: string | null;
  affects_products: string[];
  created_at: string;
}

/** One ingested project signal. */
export interface Signal {
  id: string;
  project_id: string;
  payload: Record<string, unknown>;
  received_at: string;
  /** When processing ends and search finds it (the ingest answer is a 202: accepted, processed later). */
  searchableMs: number;
}

/** A stored BYOK credential (the key is kept; only a preview ever leaves the emulator). */
export interface ByokCredential {
  id: string;
  service: string;
  label: string;
  key: string;
  created_at: string;
}

/** One AI call's cost. */
export interface CostRecord {
  product: string;
  model: string;
  cost_usd: number;
  tokens: number;
  atMs: number;
}

/** Everything one account holds. */
export interface SxStore {
  kernel: Kernel;
  products: Map<string, ProductState>;
  decisions: Decision[];
  signals: Signal[];
  byok: ByokCredential[];
  workspaceId: string | null;
  costs: CostRecord[];
}

const DAY = 86_400_000;

/** A fresh account with a few AI cost records (today, 1, 3 and 10 days ago). */
export function newStore(nowMs: number): SxStore {
  return {
    kernel: { identity: {}, products: [], constraints: [], model_preferences: {}, updated_at: null },
    products: new Map(),
    decisions: [],
    signals: [],
    byok: [],
    workspaceId: null,
    costs: [
      { product: 'sandbox-app', model: 'claude-sonnet', cost_usd: 0.42, tokens: 38_000, atMs: nowMs },
      { product: 'sandbox-app', model: 'gpt-4o-mini', cost_usd: 0.05, tokens: 61_000, atMs: nowMs - DAY },
      { product: 'docs-bot', model: 'claude-haiku', cost_usd: 0.11, tokens: 90_000, atMs: nowMs - 3 * DAY },
      { product: 'docs-bot', model: 'claude-sonnet', cost_usd: 1.3, tokens: 120_000, atMs: nowMs - 10 * DAY },
    ],
  };
}

/** A new prefixed id. */
export function newId(prefix: string): string {
  return `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 20)}`;
}

/** The ≤500-token text an agent injects at session start (from the identity kernel). */
export function injectionBlock(k: Kernel): string {
  const lines: string[] = [];
  const id = Object.entries(k.identity).filter(([, v]) => v !== null && v !== undefined && v !== '');
  if (id.length > 0) lines.push(`Identity: ${id.map(([key, v]) => `${key}=${String(v)}`).join(', ')}`);
  if (k.products.length > 0) {
    const names = k.products.map((p) =>
      typeof p === 'object' && p !== null && 'name' in p ? String((p as { name: unknown }).name) : String(p),
    );
    lines.push(`Products: ${names.join(', ')}`);
  }
  if (k.constraints.length > 0) lines.push(`Constraints: ${k.constraints.map(String).join('; ')}`);
  const prefs = Object.entries(k.model_preferences);
  if (prefs.length > 0)
    lines.push(`Model preferences: ${prefs.map(([key, v]) => `${key}=${String(v)}`).join(', ')}`);
  // ~4 characters a token: keep it within 500 tokens.
  return lines.join('\n').slice(0, 2000);
}

/** The identity kernel as GET /memory/identity answers it. */
export function kernelJson(k: Kernel): Record<string, unknown> {
  return {
    identity: k.identity,
    products: k.products,
    constraints: k.constraints,
    model_preferences: k.model_preferences,
    injection_block: injectionBlock(k),
    updated_at: k.updated_at,
  };
}

/** A product state as GET answers it. */
export function productJson(p: ProductState): Record<string, unknown> {
  return { ...p };
}

const STOP = new Set('a an and are as at be by for from in is it of on or the to was we with'.split(' '));

/** Search words: lowercase alphanumerics without stopwords. */
export function words(text: string): string[] {
  return (text.toLowerCase().match(/[a-z0-9]+/g) ?? []).filter((w) => w.length > 1 && !STOP.has(w));
}

/** Share of the query words present in the text (prefix match for words of 4+ letters). */
export function score(query: readonly string[], text: string): number {
  if (query.length === 0) return 1;
  const have = words(text);
  const hit = query.filter((q) =>
    have.some((w) => w === q || (Math.min(q.length, w.length) >= 4 && (w.startsWith(q) || q.startsWith(w)))),
  );
  return hit.length / query.length;
}

/** The searchable text of a product state. */
export function productText(p: ProductState): string {
  return [
    p.name,
    p.status ?? '',
    ...p.what_works,
    ...p.what_is_blocked,
    ...p.open_questions,
    p.next_session_starts_here ?? '',
  ].join(' ');
}

/** The searchable text of a signal. */
export function signalText(s: Signal): string {
  const p = s.payload;
  for (const key of ['summary', 'message', 'title', 'text', 'description']) {
    const v = p[key];
    if (typeof v === 'string' && v !== '') return v;
  }
  return JSON.stringify(p);
}

/** The Memory Interchange Format document of an account. */
export function exportMif(store: SxStore, nowMs: number): Record<string, unknown> {
  return {
    mif_version: '1.0',
    format: 'synchronex-mif',
    exported_at: new Date(nowMs).toISOString(),
    identity_kernel: {
      identity: store.kernel.identity,
      products: store.kernel.products,
      constraints: store.kernel.constraints,
      model_preferences: store.kernel.model_preferences,
    },
    product_states: [...store.products.values()].map(productJson),
    decisions: store.decisions.map((d) => ({ ...d })),
  };
}

function strings(v: unknown): string[] {
  if (Array.isArray(v)) return v.filter((s): s is string => typeof s === 'string');
  return typeof v === 'string' && v !== '' ? [v] : [];
}

/**
 * Restores an account from a MIF document: the kernel, every product state and every decision in it replace
 * what was there. Returns counts, or an error message naming what is wrong.
 */
export function importMif(
  store: SxStore,
  doc: unknown,
  nowIso: string,
): { ok: true; counts: Record<string, number> } | { ok: false; message: string } {
  if (!isRecord(doc)) return { ok: false, message: 'The MIF document must be a JSON object.' };
  if (typeof doc.mif_version !== 'string') return { ok: false, message: 'mif_version is required.' };
  const kernel = doc.identity_kernel;
  if (kernel !== undefined && !isRecord(kernel))
    return { ok: false, message: 'identity_kernel must be an object.' };
  const states = doc.product_states ?? [];
  const decisions = doc.decisions ?? [];
  if (!Array.isArray(states) || !states.every(isRecord)) {
    return { ok: false, message: 'product_states must be a list of objects.' };
  }
  if (!Array.isArray(decisions) || !decisions.every(isRecord)) {
    return { ok: false, message: 'decisions must be a list of objects.' };
  }
  for (const [i, d] of decisions.entries()) {
    if (typeof d.decision !== 'string' || typeof d.product_name !== 'string') {
      return { ok: false, message: `decisions[${i}] needs decision and product_name.` };
    }
  }
  for (const [i, s] of states.entries()) {
    if (typeof s.name !== 'string' || s.name === '')
      return { ok: false, message: `product_states[${i}].name is required.` };
  }
  if (kernel) {
    store.kernel = {
      identity: isRecord(kernel.identity) ? kernel.identity : {},
      products: Array.isArray(kernel.products) ? kernel.products : [],
      constraints: Array.isArray(kernel.constraints) ? kernel.constraints : [],
      model_preferences: isRecord(kernel.model_preferences) ? kernel.model_preferences : {},
      updated_at: nowIso,
    };
  }
  store.products = new Map(
    states.map((s) => [
      String(s.name),
      {
        name: String(s.name),
        status: typeof s.status === 'string' ? s.status : null,
        what_works: strings(s.what_works),
        what_is_blocked: strings(s.what_is_blocked),
        open_questions: strings(s.open_questions),
        next_session_starts_here:
          typeof s.next_session_starts_here === 'string' ? s.next_session_starts_here : null,
        updated_at: typeof s.updated_at === 'string' ? s.updated_at : nowIso,
      },
    ]),
  );
  store.decisions = decisions.map((d) => ({
    id: typeof d.id === 'string' && d.id !== '' ? d.id : newId('dec'),
    decision: String(d.decision),
    product_name: String(d.product_name),
    reasoning: typeof d.reasoning === 'string' ? d.reasoning : null,
    affects_products: strings(d.affects_products),
    created_at: typeof d.created_at === 'string' ? d.created_at : nowIso,
  }));
  return {
    ok: true,
    counts: {
      product_states: store.products.size,
      decisions: store.decisions.length,
      identity_kernel: kernel ? 1 : 0,
    },
  };
}
