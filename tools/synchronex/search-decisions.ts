import { z } from 'zod';
import { defineTool } from '../../src/tool.js';
import { DECISIONS_LIMIT, sxCutText } from './capped.js';
import { decisionItem, itemsResult, SCOPE_NOTE } from './schemas.js';

const output = z.object({
  items: z.array(decisionItem),
  count: z.number().optional(),
  tokens_used: z.number().optional(),
  note: z.string().optional().describe('Set when more may match, and how to get them'),
});

export default defineTool({
  name: 'search_decisions',
  title: 'Synchronex · Search decisions',
  description: `Search Synchronex decisions (from create_decision, with reasons) so settled questions stay settled; ids for delete_decision. ${SCOPE_NOTE}`,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  services: ['synchronex'],
  input: z.strictObject({
    query: z.string().min(1).describe('What the decision was about.'),
    product_name: z.string().min(1).optional().describe('Only this product.'),
    limit: z.number().int().min(1).max(100).optional().describe(`Default ${DECISIONS_LIMIT}.`),
    token_budget: z.number().int().min(1).optional().describe('Max tokens of text returned.'),
  }),
  output,
  async handler(args, ctx) {
    const query = { ...args, limit: args.limit ?? DECISIONS_LIMIT };
    const data = await ctx.api.synchronex.get('/memory/decisions/search', { query });
    const { items, rest } = itemsResult(decisionItem, data, ['decisions', 'results', 'items', 'data']);
    const out: z.input<typeof output> = { items };
    if (typeof rest.count === 'number') out.count = rest.count;
    if (typeof rest.tokens_used === 'number') out.tokens_used = rest.tokens_used;
    const limits = { asked: args.limit, fallback: DECISIONS_LIMIT, max: 100, budgeted: true };
    const cut = sxCutText(items.length, rest, { ...limits, tokenBudget: args.token_budget }, 'decisions');
    if (cut) out.note = cut;
    return out;
  },
});
