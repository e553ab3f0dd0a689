import { z } from 'zod';
import { defineTool } from '../../src/tool.js';
import { kernelOutput, objectResult, SCOPE_NOTE } from './schemas.js';

export default defineTool({
  name: 'get_identity_kernel',
  title: 'Synchronex · Get identity kernel',
  description: `Read the user's Synchronex identity kernel (who they are, their products and constraints) with an injection_block (≤500 tokens) for context. Use first in a new session. ${SCOPE_NOTE}`,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  services: ['synchronex'],
  input: z.strictObject({}),
  output: kernelOutput,
  async handler(_args, ctx) {
    const data = await ctx.api.synchronex.get('/memory/identity');
    return objectResult(kernelOutput, data);
  },
});
