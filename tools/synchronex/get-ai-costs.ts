import { z } from 'zod';
import { buildPath } from '../../src/http/path.js';
import { defineTool } from '../../src/tool.js';
import { objectResult } from './schemas.js';

const output = z.looseObject({
  product: z.string().nullable().optional(),
  days: z.number().nullable().optional(),
  total_cost_usd: z.number().nullable().optional(),
});

export default defineTool({
  name: 'get_ai_costs',
  title: 'Synchronex · Get AI costs',
  description: 'Synchronex AI cost totals and breakdowns over the last `days`, for all products or one.',
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  services: ['synchronex'],
  input: z.strictObject({
    product: z.string().min(1).optional().describe('Only this product.'),
    days: z.number().int().min(1).max(365).optional().describe('Look-back window.'),
  }),
  output,
  async handler(args, ctx) {
    const path = args.product ? buildPath('/ai/costs/{product}', { product: args.product }) : '/ai/costs';
    const data = await ctx.api.synchronex.get(path, { query: { days: args.days } });
    return objectResult(output, data);
  },
});
