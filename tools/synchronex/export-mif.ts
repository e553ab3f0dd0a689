import { z } from 'zod';
import { defineTool } from '../../src/tool.js';
import { isRecord } from '../memory/shape.js';

const output = z.object({
  document: z
    .record(z.string(), z.unknown())
    .optional()
    .describe('The MIF document; pass it unchanged as import_mif.document to restore it.'),
  text: z.string().optional().describe('The export as text, when Synchronex did not answer with JSON.'),
});

export default defineTool({
  name: 'export_mif',
  title: 'Synchronex · Export MIF',
  description:
    "Export the user's whole Synchronex memory (identity kernel, product states, decisions) as a Memory Interchange Format document, for backup or a move (import_mif restores it). Can be large.",
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  services: ['synchronex'],
  input: z.strictObject({}),
  output,
  async handler(_args, ctx) {
    const data = await ctx.api.synchronex.get('/memory/export-mif');
    if (isRecord(data)) return { document: data };
    if (typeof data === 'string') return { text: data };
    return { document: { items: Array.isArray(data) ? data : [] } };
  },
});
