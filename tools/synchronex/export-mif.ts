import { z } from 'zod';
import { SynError } from '../../src/errors.js';
import { defineTool } from '../../src/tool.js';
import { isRecord } from '../memory/shape.js';

const output = z.object({
  document: z
    .record(z.string(), z.unknown())
    .optional()
    .describe('The MIF document; pass it unchanged as import_mif.document to restore it.'),
  text: z.string().optional().describe('The export as text, when Synchronex did not answer with JSON.'),
});

/** What an answer that is neither a document nor text was, in words. */
function whatCame(data: unknown): string {
  if (data === null) return 'an empty body';
  if (Array.isArray(data)) return `a JSON list of ${data.length} entries`;
  return `a bare JSON ${typeof data}`;
}

export default defineTool({
  name: 'export_mif',
  title: 'Synchronex · Export MIF',
  description:
    "Export the user's whole Synchronex memory as a Memory Interchange Format document, for backup or a move (import_mif restores it). Can be large.",
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  services: ['synchronex'],
  input: z.strictObject({}),
  output,
  async handler(_args, ctx) {
    const data = await ctx.api.synchronex.get('/memory/export-mif');
    if (isRecord(data)) return { document: data };
    if (typeof data === 'string') return { text: data };
    // Anything else is not a MIF document: wrapping it as one would show an empty or invented export as the
    // user's memory, and import_mif of it could replace that memory with nothing.
    throw new SynError(
      `Synchronex answered the MIF export with ${whatCame(data)}, not a MIF document: nothing was exported, ` +
        'so there is no document to back up or to pass to import_mif. Tell the user; do not import anything.',
    );
  },
});
