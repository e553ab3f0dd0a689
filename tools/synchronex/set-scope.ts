import { z } from 'zod';
import { defineTool } from '../../src/tool.js';
import { objectResult, scopeOutput } from './schemas.js';

export default defineTool({
  name: 'set_scope',
  title: 'Synchronex · Set scope',
  description:
    'Switch the active Synchronex scope for every later call with the key, by anyone using it (other agents and sessions too). get_scope shows it.',
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  services: ['synchronex'],
  input: z.strictObject({
    workspace_id: z.string().min(1).nullable().describe('Team workspace id, or null for personal.'),
  }),
  output: scopeOutput,
  async handler(args, ctx) {
    const res = await ctx.api.synchronex.request({
      method: 'PATCH',
      path: '/scope',
      body: { workspace_id: args.workspace_id },
    });
    return objectResult(scopeOutput, res.data);
  },
});
