import { z } from 'zod';
import { defineTool } from '../../src/tool.js';
import { ackOutput, objectResult } from './schemas.js';

export default defineTool({
  name: 'consolidate_memory',
  title: 'Synchronex · Consolidate memory',
  description:
    "Start Synchronex's asynchronous memory consolidation (merges duplicates; may rewrite or remove redundant entries). Confirm with the user first.",
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
  services: ['synchronex'],
  input: z.strictObject({}),
  output: ackOutput,
  async handler(_args, ctx) {
    const data = await ctx.api.synchronex.post('/memory/consolidate', { body: {} });
    return objectResult(ackOutput, data);
  },
});
