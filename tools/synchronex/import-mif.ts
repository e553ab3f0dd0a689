import { z } from 'zod';
import { defineTool } from '../../src/tool.js';
import { ackOutput, callOpts, objectResult } from './schemas.js';

export default defineTool({
  name: 'import_mif',
  title: 'Synchronex · Import MIF',
  description:
    'Import a Memory Interchange Format document into Synchronex (e.g. one produced by export_mif), ' +
    'restoring the identity kernel, product states and decisions it holds; what it contains may replace ' +
    'the current memory. Returns what Synchronex reports about the import.',
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
  services: ['synchronex'],
  input: z.strictObject({
    document: z
      .record(z.string(), z.unknown())
      .describe('The MIF document, exactly as export_mif returned it (its `document` field).'),
  }),
  output: ackOutput,
  async handler(args, ctx) {
    const data = await ctx.api.synchronex.post('/memory/import-mif', {
      body: args.document,
      ...callOpts(ctx),
    });
    return objectResult(ackOutput, data);
  },
});
