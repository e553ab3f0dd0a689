import { z } from 'zod';
import { defineTool } from '../../src/tool.js';
import { conform } from '../memory/shape.js';
import { documentField, documentTypeField, metadataField } from './schemas.js';

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
    'Store a document in Synap memory, extracted asynchronously (ingestion_id for get_memory_status). The ids set the scope, and only a search there finds it: on B2B, user_id + customer_id → that user, customer_id alone → that customer; on B2C, either id → that user (search with that id as user_id); neither → client-wide.',
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  services: ['synap'],
  input: z.strictObject({
    document: documentField,
    document_type: documentTypeField,
    document_id: z.string().min(1).optional().describe('Your id; a repeat is refused (409).'),
    document_created_at: z.string().min(1).optional().describe('When written, ISO 8601.'),
    user_id: z.string().min(1).optional().describe('External user id.'),
    customer_id: z.string().min(1).optional().describe('External customer id; required with user_id on B2B.'),
    mode: z.enum(['fast', 'long-range']).optional().describe('Default long-range.'),
    metadata: metadataField,
  }),
  output,
  async handler(args, ctx) {
    const data = await ctx.api.synap.post('/api/v1/memories/create', { body: args });
    return conform(output, data);
  },
});
