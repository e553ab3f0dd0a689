import { z } from 'zod';
import { defineTool } from '../../src/tool.js';
import { callOpts, decisionItem, itemsResult } from './schemas.js';

const output = z.object({
  items: z.array(decisionItem),
  count: z.number().optional(),
  tokens_used: z.number().optional(),
});

export default defineTool({
  name: 'search_decisions',
  title: 'Synchronex · Search decisions',
  description:
    'Search the Synchronex decision index: decisions recorded earlier (with create_decision) and why they ' +
    'were taken, so an agent does not reopen settled questions. Filter by product_name; token_budget caps ' +
    'how much text comes back. Returns matching decisions with ids (for delete_decision).',
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  services: ['synchronex'],
  input: z.strictObject({
    query: z.string().min(1).describe('What the decision was about (e.g. "database choice").'),
    product_name: z.string().min(1).optional().describe('Only decisions of this product.'),
    limit: z.number().int().min(1).max(100).optional().describe('Most decisions to return.'),
    token_budget: z.number().int().min(1).optional().describe('Upper bound on the tokens of text returned.'),
  }),
  output,
  async handler(args, ctx) {
    const data = await ctx.api.synchronex.get('/memory/decisions/search', { query: args, ...callOpts(ctx) });
    const { items, rest } = itemsResult(decisionItem, data, ['decisions', 'results', 'items', 'data']);
    const out: z.input<typeof output> = { items };
    if (typeof rest.count === 'number') out.count = rest.count;
    if (typeof rest.tokens_used === 'number') out.tokens_used = rest.tokens_used;
    return out;
  },
});
