import { z } from 'zod';
import { defineTool } from '../../src/tool.js';
import { objectResult, scopeOutput } from './schemas.js';

export default defineTool({
  name: 'get_scope',
  title: 'Synchronex · Get scope',
  description:
    'Read the active Synchronex scope: the team workspace whose memory the key uses, or null for personal memory. set_scope changes it.',
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  services: ['synchronex'],
  input: z.strictObject({}),
  output: scopeOutput,
  async handler(_args, ctx) {
    const data = await ctx.api.synchronex.get('/scope');
    return objectResult(scopeOutput, data);
  },
});
