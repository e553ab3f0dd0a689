import { z } from 'zod';
import { errorText } from '../../src/error-text.js';
import { CancelledError, NotConfiguredError, SERVICE_LABEL, SynError } from '../../src/errors.js';
import { defineTool, type ToolContext } from '../../src/tool.js';
import { contextCount, contextHits, postContextFetch } from '../synap/schemas.js';
import { scopeOfIds, searchedText, synapCappedText, widenText } from '../synap/scope.js';
import { SEARCH_LIMIT, sxCutText } from '../synchronex/capped.js';
import { SX_SCOPE_NOTE } from '../synchronex/schemas.js';
import { firstText, idOf, isRecord, listIn } from './shape.js';

type MemoryService = 'synap' | 'synchronex';
const MEMORY_SERVICES: readonly MemoryService[] = ['synap', 'synchronex'];

const item = z.object({
  source: z.enum(['synap', 'synchronex']).describe('Which service remembered it'),
  id: z.string().optional().describe('Synap: memory id (get_memory); Synchronex: id of the decision, state…'),
  text: z.string(),
  type: z.string().optional().describe('fact, preference, episode, emotion, decision, product_state…'),
  score: z
    .number()
    .optional()
    .describe('Relevance or confidence as the service reports it (not comparable across services)'),
  product_name: z.string().optional(),
  created_at: z.string().optional(),
});
type Item = z.infer<typeof item>;

const output = z.object({
  items: z
    .array(item)
    .describe('Results of every service that answered, interleaved, each labelled with its source'),
  errors: z
    .array(z.object({ source: z.enum(['synap', 'synchronex']), message: z.string() }))
    .optional()
    .describe('Services that failed; the items come from the others'),
  synap_scope: z.enum(['user', 'customer', 'client']).optional(),
  note: z.string().optional(),
});

interface Args {
  query: string;
  limit?: number | undefined;
  user_id?: string | undefined;
  customer_id?: string | undefined;
}

/**
 * One service's answer: its results, how many it returned (some may have had no text to show), and the
 * sentence saying more may match than came back, if so.
 */
interface Answer {
  items: Item[];
  returned: number;
  cut?: string | undefined;
}

/** True when the service is configured (asked without touching its view, which would throw). */
function isConfigured(ctx: ToolContext, service: MemoryService): boolean {
  return ctx.api.configured(service);
}

/** Synap has no search endpoint: search is a context fetch with `search_query` (api-notes §4, §8.6). */
async function searchSynap(args: Args, ctx: ToolContext): Promise<Answer> {
  const scope = scopeOfIds(args);
  const body: Record<string, unknown> = { search_query: [args.query] };
  if (args.limit !== undefined) body.max_results = args.limit;
  if (args.user_id) body.user_id = args.user_id;
  if (args.customer_id) body.customer_id = args.customer_id;
  const data = await postContextFetch(ctx, scope, body);
  const items = contextHits(data).map((hit): Item => ({ source: 'synap', ...hit }));
  return { items, returned: contextCount(data) };
}

const SX_TEXT = [
  'text',
  'content',
  'summary',
  'decision',
  'snippet',
  'value',
  'title',
  'status',
  'next_session_starts_here',
];

/** Synchronex `GET /memory/search?query&limit` (decision 8.1); the response shape is unpublished. */
async function searchSynchronex(args: Args, ctx: ToolContext): Promise<Answer> {
  const data = await ctx.api.synchronex.get('/memory/search', {
    query: { query: args.query, limit: args.limit ?? SEARCH_LIMIT },
  });
  const listed = listIn(data, ['results', 'items', 'memories', 'matches', 'data']);
  let { items } = listed;
  if (items.length === 0 && isRecord(data) && firstText(data, SX_TEXT)) items = [data];
  const hits = items.map((raw) => {
    const hit: Item = {
      source: 'synchronex',
      text: firstText(raw, SX_TEXT) ?? JSON.stringify(raw).slice(0, 500),
    };
    const id = idOf(raw.id);
    if (id) hit.id = id;
    const type = firstText(raw, ['type', 'kind', 'category']);
    if (type) hit.type = type;
    const score = raw.score ?? raw.relevance ?? raw.similarity;
    if (typeof score === 'number' && Number.isFinite(score)) hit.score = score;
    const product = firstText(raw, ['product_name', 'product']);
    if (product) hit.product_name = product;
    const at = firstText(raw, ['created_at', 'updated_at', 'timestamp']);
    if (at) hit.created_at = at;
    return hit;
  });
  const limits = { asked: args.limit, fallback: SEARCH_LIMIT, max: 50, budgeted: false };
  return { items: hits, returned: hits.length, cut: sxCutText(hits.length, listed.rest, limits, 'results') };
}

/** Round-robin across the services' lists, so each keeps its best results near the top. */
function interleave(lists: readonly Item[][]): Item[] {
  const out: Item[] = [];
  const longest = Math.max(0, ...lists.map((l) => l.length));
  for (let i = 0; i < longest; i++) {
    for (const list of lists) {
      const next = list[i];
      if (next) out.push(next);
    }
  }
  return out;
}

export default defineTool({
  name: 'search_memory',
  title: 'Synap · Search memory (Synap and Synchronex)',
  description: `Search Synap and Synchronex memory in one list labelled by source. Synap searches one scope: user_id → that user (with customer_id on B2B); customer_id alone → that customer (B2B only; on B2C pass either id as user_id); neither → client-wide only; synap_scope and note say which. If one service fails, errors says so. Filters: fetch_context, search_decisions. ${SX_SCOPE_NOTE}`,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  services: ['synap', 'synchronex'],
  input: z.strictObject({
    query: z.string().min(1).describe('What to recall, in words.'),
    limit: z
      .number()
      .int()
      .min(1)
      .max(50)
      .optional()
      .describe(`Most results per service and overall (default ${SEARCH_LIMIT} per service).`),
    service: z.enum(['synap', 'synchronex']).optional().describe('Only this service (default both).'),
    user_id: z.string().min(1).optional().describe('Synap user id (user scope).'),
    customer_id: z
      .string()
      .min(1)
      .optional()
      .describe("The user's customer (B2B), or alone for customer scope."),
  }),
  output,
  async handler(args, ctx) {
    const targets = args.service ? [args.service] : MEMORY_SERVICES.filter((s) => isConfigured(ctx, s));
    if (targets.length === 0) throw new NotConfiguredError('synap', 'SYNAP_API_KEY or SYNCHRONEX_API_KEY');
    const settled = await Promise.allSettled(
      targets.map((s) => (s === 'synap' ? searchSynap(args, ctx) : searchSynchronex(args, ctx))),
    );
    if (ctx.signal.aborted) throw new CancelledError();
    const lists: Item[][] = [];
    const errors: { source: MemoryService; message: string }[] = [];
    const failures: unknown[] = [];
    settled.forEach((r, i) => {
      const source = targets[i] ?? 'synap';
      if (r.status === 'fulfilled') lists.push(r.value.items);
      else {
        failures.push(r.reason);
        errors.push({ source, message: errorText(r.reason) });
        ctx.log.warn(`search_memory: ${SERVICE_LABEL[source]} failed: ${errors.at(-1)?.message ?? ''}`);
      }
    });
    if (lists.length === 0) {
      if (failures.length === 1) throw failures[0];
      throw new SynError(
        `search_memory: every memory service failed. ${errors.map((e) => `${SERVICE_LABEL[e.source]}: ${e.message}`).join(' | ')}`,
      );
    }
    const merged = interleave(lists);
    const items = args.limit !== undefined ? merged.slice(0, args.limit) : merged;
    const notes: string[] = [];
    const dropped = merged.length - items.length;
    if (dropped > 0) {
      notes.push(
        `${dropped} more results the services returned were left out to keep to limit ${args.limit}.`,
      );
    }
    if (errors.length > 0) {
      const failed = errors.map((e) => SERVICE_LABEL[e.source]).join(' and ');
      notes.push(`${failed} could not be searched; these results come from the other service only.`);
    }
    const out: z.input<typeof output> = { items };
    if (errors.length > 0) out.errors = errors;
    const synapIndex = targets.indexOf('synap');
    const synap = synapIndex >= 0 ? settled[synapIndex] : undefined;
    const synchronex = settled[targets.indexOf('synchronex')];
    if (synchronex?.status === 'fulfilled' && synchronex.value.cut) notes.push(synchronex.value.cut);
    if (synap?.status === 'fulfilled') {
      const scope = scopeOfIds(args);
      out.synap_scope = scope;
      notes.push(searchedText(scope, args));
      if (!items.some((i) => i.source === 'synap')) notes.push(`Nothing matched there. ${widenText(scope)}`);
      const capped = synapCappedText(synap.value.returned, args.limit, 'limit');
      if (capped) notes.push(capped);
    }
    if (notes.length > 0) out.note = notes.join(' ');
    return out;
  },
});
