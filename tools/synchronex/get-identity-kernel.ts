import { z } from 'zod';
import { defineTool } from '../../src/tool.js';
import { callOpts, kernelOutput, objectResult } from './schemas.js';

export default defineTool({
  name: 'get_identity_kernel',
  title: 'Synchronex · Get identity kernel',
  description:
    "Read the user's Synchronex identity kernel: who they are (name, company, role, timezone…), their " +
    'products, standing constraints and model preferences, plus an injection_block (≤500 tokens) meant to be ' +
    'placed in context at the start of a session. Use it first in a new session; change it with ' +
    'update_identity_kernel.',
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  services: ['synchronex'],
  input: z.strictObject({}),
  output: kernelOutput,
  async handler(_args, ctx) {
    const data = await ctx.api.synchronex.get('/memory/identity', callOpts(ctx));
    return objectResult(kernelOutput, data);
  },
});
