import { z } from 'zod';
import { defineTool } from '../../src/tool.js';
import { decisionItem, objectResult } from './schemas.js';

export default defineTool({
  name: 'create_decision',
  title: 'Synchronex · Create decision',
  description:
    'Record a decision in the Synchronex decision index so later sessions find it with search_decisions.',
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  services: ['synchronex'],
  input: z.strictObject({
    decision: z.string().min(1).describe('What was decided.'),
    product_name: z.string().min(1).describe('Its product.'),
    reasoning: z.string().min(1).optional().describe('Why.'),
    affects_products: z.array(z.string().min(1)).optional().describe('Other products affected.'),
  }),
  output: decisionItem,
  async handler(args, ctx) {
    const data = await ctx.api.synchronex.post('/memory/decisions', { body: args });
    return objectResult(decisionItem, data);
  },
});
