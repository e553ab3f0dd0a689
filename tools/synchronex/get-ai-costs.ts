import { z } from 'zod';
import { buildPath } from '../../src/http/path.js';
import { defineTool } from '../../src/tool.js';
import { callOpts, objectResult } from './schemas.js';

const output = z.looseObject({
  product: z.string().nullable().optional(),
  days: z.number().nullable().optional(),
  total_cost_usd: z.number().nullable().optional(),
});

export default defineTool({
  name: 'get_ai_costs',
  title: 'Synchronex · Get AI costs',
  description:
    'Read the AI cost telemetry Synchronex keeps: spend over the last `days`, for all products or for one ' +
    'product (then broken down for that product only). Use to answer "what did the AI cost this week". ' +
    'Returns the summary as Synchronex reports it (totals and breakdowns).',
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  services: ['synchronex'],
  input: z.strictObject({
    product: z.string().min(1).optional().describe('Only this product; omit for all products.'),
    days: z.number().int().min(1).max(365).optional().describe('Look-back window in days.'),
  }),
  output,
  async handler(args, ctx) {
    const path = args.product ? buildPath('/ai/costs/{product}', { product: args.product }) : '/ai/costs';
    const data = await ctx.api.synchronex.get(path, { query: { days: args.days }, ...callOpts(ctx) });
    return objectResult(output, data);
  },
});
