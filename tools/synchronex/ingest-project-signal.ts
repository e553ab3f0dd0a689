import { z } from 'zod';
import { buildPath } from '../../src/http/path.js';
import { defineTool } from '../../src/tool.js';
import { acceptedText } from './accepted.js';
import { ackOutput, objectResult } from './schemas.js';

const output = ackOutput.extend({
  note: z.string().describe('Accepted for processing is not stored yet'),
});

export default defineTool({
  name: 'ingest_project_signal',
  title: 'Synchronex · Ingest project signal',
  description:
    'Send a project signal to Synchronex, which processes it into memory for search_memory. note says if it was only accepted for processing (not searchable yet).',
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  services: ['synchronex'],
  input: z.strictObject({
    project_id: z.string().min(1).describe('Project id.'),
    signal: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('e.g. {"type": "release", "summary": "v0.3 shipped"}.'),
  }),
  output,
  async handler(args, ctx) {
    const path = buildPath('/ingest/{project_id}', { project_id: args.project_id });
    const res = await ctx.api.synchronex.request({ method: 'POST', path, body: args.signal ?? {} });
    const ack = objectResult(ackOutput, res.data);
    return { ...ack, note: acceptedText(res.status, ack.status) };
  },
});
