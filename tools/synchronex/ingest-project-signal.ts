import { z } from 'zod';
import { buildPath } from '../../src/http/path.js';
import { defineTool } from '../../src/tool.js';
import { ackOutput, objectResult } from './schemas.js';

export default defineTool({
  name: 'ingest_project_signal',
  title: 'Synchronex · Ingest project signal',
  description:
    'Send a project signal (release, incident, metric, note) to Synchronex; it becomes memory that search_memory finds. Returns the acknowledgement.',
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  services: ['synchronex'],
  input: z.strictObject({
    project_id: z.string().min(1).describe('Project id.'),
    signal: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('JSON body, e.g. {"type": "release", "summary": "v0.3 shipped"}.'),
  }),
  output: ackOutput,
  async handler(args, ctx) {
    const path = buildPath('/ingest/{project_id}', { project_id: args.project_id });
    const data = await ctx.api.synchronex.post(path, { body: args.signal ?? {} });
    return objectResult(ackOutput, data);
  },
});
