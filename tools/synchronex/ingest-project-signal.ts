import { z } from 'zod';
import { buildPath } from '../../src/http/path.js';
import { defineTool } from '../../src/tool.js';
import { ackOutput, callOpts, objectResult } from './schemas.js';

export default defineTool({
  name: 'ingest_project_signal',
  title: 'Synchronex · Ingest project signal',
  description:
    'Send a signal about a project to Synchronex (a release, an incident, a metric, a note) so it becomes ' +
    'part of the memory later searched with search_memory. The signal object is sent as the request body ' +
    'as given. Returns the acknowledgement (id, status). Each call ingests one more signal.',
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  services: ['synchronex'],
  input: z.strictObject({
    project_id: z.string().min(1).describe('The project the signal is about.'),
    signal: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('The signal, e.g. {"type": "release", "summary": "v0.3 shipped"}; sent as the JSON body.'),
  }),
  output: ackOutput,
  async handler(args, ctx) {
    const path = buildPath('/ingest/{project_id}', { project_id: args.project_id });
    const data = await ctx.api.synchronex.post(path, { body: args.signal ?? {}, ...callOpts(ctx) });
    return objectResult(ackOutput, data);
  },
});
