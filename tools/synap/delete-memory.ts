import { z } from 'zod';
import { buildPath } from '../../src/http/path.js';
import { defineTool } from '../../src/tool.js';
import { conform } from '../memory/shape.js';
import { memoryIdField } from './schemas.js';

const output = z.object({
  memory_id: z.string(),
  deleted_at: z.string().nullable().optional(),
});

export default defineTool({
  name: 'delete_memory',
  title: 'Synap · Delete memory',
  description:
    'Permanently forget one Synap memory (id from fetch_context, search_memory or get_memory_status). Confirm with the user first.',
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  services: ['synap'],
  listTool: 'fetch_context',
  input: z.strictObject({ memory_id: memoryIdField }),
  output,
  async handler(args, ctx) {
    const path = buildPath('/api/v1/memories/{memory_id}', { memory_id: args.memory_id });
    const res = await ctx.api.synap.request({ method: 'DELETE', path });
    return { ...conform(output, res.data), memory_id: args.memory_id };
  },
});
