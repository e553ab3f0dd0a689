import { z } from 'zod';
import { buildPath } from '../../src/http/path.js';
import { defineTool } from '../../src/tool.js';
import { objectResult, productNameField, productStateOutput, SCOPE_NOTE } from './schemas.js';

export default defineTool({
  name: 'get_product_state',
  title: 'Synchronex · Get product state',
  description: `Where work on a product stands in Synchronex, with the handoff note. Use at session start; names from get_identity_kernel. ${SCOPE_NOTE}`,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  services: ['synchronex'],
  listTool: 'get_identity_kernel',
  input: z.strictObject({ name: productNameField }),
  output: productStateOutput,
  async handler(args, ctx) {
    const path = buildPath('/memory/product/{name}/state', { name: args.name });
    const data = await ctx.api.synchronex.get(path);
    return objectResult(productStateOutput, data);
  },
});
