import { z } from 'zod';
import { buildPath } from '../../src/http/path.js';
import { defineTool } from '../../src/tool.js';
import { conform } from '../memory/shape.js';
import { statusOutput } from './schemas.js';

export default defineTool({
  name: 'get_memory_status',
  title: 'Synap · Get memory status',
  description:
    'Progress of a Synap ingestion from add_memory; once completed, the created memory ids (for get_memory). Poll again while queued or processing.',
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  services: ['synap'],
  input: z.strictObject({
    ingestion_id: z.string().min(1).describe('From add_memory.'),
  }),
  output: statusOutput,
  async handler(args, ctx) {
    const path = buildPath('/api/v1/memories/status/{ingestion_id}', { ingestion_id: args.ingestion_id });
    const data = await ctx.api.synap.get(path);
    return conform(statusOutput, data);
  },
});
