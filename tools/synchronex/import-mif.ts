import { z } from 'zod';
import { defineTool } from '../../src/tool.js';
import { ackOutput, objectResult } from './schemas.js';

export default defineTool({
  name: 'import_mif',
  title: 'Synchronex · Import MIF',
  description:
    'Import a Memory Interchange Format document (e.g. from export_mif) into Synchronex; it may replace current memory. Confirm with the user first.',
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
  services: ['synchronex'],
  input: z.strictObject({
    document: z.record(z.string(), z.unknown()).describe('The `document` field of export_mif, as returned.'),
  }),
  output: ackOutput,
  async handler(args, ctx) {
    const data = await ctx.api.synchronex.post('/memory/import-mif', {
      body: args.document,
    });
    return objectResult(ackOutput, data);
  },
});
