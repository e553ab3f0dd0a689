import { z } from 'zod';
import { buildPath } from '../../src/http/path.js';
import { defineTool } from '../../src/tool.js';
import { conform } from '../memory/shape.js';
import { memoryIdField, memoryOutput } from './schemas.js';

export default defineTool({
  name: 'get_memory',
  title: 'Synap · Get memory',
  description:
    'Read one Synap memory with its type and confidence. Id from get_memory_status, fetch_context or search_memory.',
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  services: ['synap'],
  listTool: 'fetch_context',
  input: z.strictObject({ memory_id: memoryIdField }),
  output: memoryOutput,
  async handler(args, ctx) {
    const path = buildPath('/api/v1/memories/{memory_id}', { memory_id: args.memory_id });
    const data = await ctx.api.synap.get(path);
    return conform(memoryOutput, data);
  },
});
