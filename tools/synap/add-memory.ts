import { z } from 'zod';
import { defineTool } from '../../src/tool.js';
import { conform } from '../memory/shape.js';
import { callOpts, documentField, documentTypeField, metadataField } from './schemas.js';

const output = z.object({
  ingestion_id: z.string().describe('Pass to get_memory_status to follow the ingestion.'),
  document_id: z.string().nullable().optional(),
  status: z.string().describe('queued at first; extraction runs asynchronously'),
  queued_at: z.string().nullable().optional(),
});

export default defineTool({
  name: 'add_memory',
  title: 'Synap · Add memory',
  description:
    'Store a document (chat transcript, note, email…) in Synap long-term memory. Synap extracts facts, ' +
    'preferences, episodes and emotions from it asynchronously. The scope follows the ids: user_id (with ' +
    'customer_id on B2B instances) → that user; customer_id alone → that customer; neither → shared by the ' +
    'whole client. Returns the ingestion_id to follow with get_memory_status (which lists the memory ids once ' +
    'completed). Each call ingests one more document; reuse document_id to prevent duplicates (409).',
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  services: ['synap'],
  input: z.strictObject({
    document: documentField,
    document_type: documentTypeField,
    document_id: z
      .string()
      .min(1)
      .optional()
      .describe('Your own id for the document; Synap refuses a second document with the same id (409).'),
    document_created_at: z
      .string()
      .min(1)
      .optional()
      .describe('When the document was originally written, ISO 8601 (e.g. 2025-03-01T12:00:00Z).'),
    user_id: z.string().min(1).optional().describe('External id of the user this memory is about.'),
    customer_id: z
      .string()
      .min(1)
      .optional()
      .describe('External id of the customer (organisation) it belongs to; required with user_id on B2B.'),
    mode: z
      .enum(['fast', 'long-range'])
      .optional()
      .describe('fast or long-range extraction (API default long-range).'),
    metadata: metadataField,
  }),
  output,
  async handler(args, ctx) {
    const data = await ctx.api.synap.post('/api/v1/memories/create', { body: args, ...callOpts(ctx) });
    return conform(output, data);
  },
});
