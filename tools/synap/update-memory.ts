import { z } from 'zod';
import { buildPath } from '../../src/http/path.js';
import { defineTool } from '../../src/tool.js';
import { conform } from '../memory/shape.js';
import { documentField, documentTypeField, memoryIdField, memoryOutput, metadataField } from './schemas.js';

export default defineTool({
  name: 'update_memory',
  title: 'Synap · Update memory',
  description:
    'Correct or extend one Synap memory (id from fetch_context, search_memory or get_memory_status) per merge_strategy. Confirm with the user first.',
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
  services: ['synap'],
  listTool: 'fetch_context',
  input: z.strictObject({
    memory_id: memoryIdField,
    document: documentField,
    merge_strategy: z.enum(['replace', 'append', 'smart-merge']).optional().describe('Default smart-merge.'),
    document_type: documentTypeField,
    metadata: metadataField,
  }),
  output: memoryOutput,
  async handler(args, ctx) {
    const { memory_id, ...body } = args;
    const path = buildPath('/api/v1/memories/{memory_id}', { memory_id });
    const data = await ctx.api.synap.request({ method: 'PATCH', path, body });
    return conform(memoryOutput, data.data);
  },
});
