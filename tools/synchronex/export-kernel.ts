import { z } from 'zod';
import { defineTool } from '../../src/tool.js';
import { objectResult } from './schemas.js';

const output = z.looseObject({
  injection_block: z.string().nullable().optional().describe('Text to place in context at session start'),
  text: z.string().optional().describe('The export as text, when Synchronex did not answer with JSON.'),
});

export default defineTool({
  name: 'export_kernel',
  title: 'Synchronex · Export kernel',
  description:
    'Export the active Synchronex kernel (identity, product context, scope) to hand to another agent. For editable fields use get_identity_kernel.',
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  services: ['synchronex'],
  input: z.strictObject({}),
  output,
  async handler(_args, ctx) {
    const data = await ctx.api.synchronex.get('/kernel/export');
    return objectResult(output, data);
  },
});
