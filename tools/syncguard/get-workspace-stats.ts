import { z } from 'zod';
import { defineTool } from '../../src/tool.js';

export default defineTool({
  name: 'get_workspace_stats',
  title: 'SyncGuard · Get workspace stats',
  description:
    'SyncGuard workspace health: open and recovering incidents, MTTR, reopen rate and top patterns.',
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  services: ['syncguard'],
  input: z.strictObject({}),
  output: z.looseObject({}).describe('The statistics as SyncGuard reports them.'),
  async handler(_args, ctx) {
    const data = await ctx.api.syncguard.get('/workspaces/stats');
    return typeof data === 'object' && data !== null && !Array.isArray(data)
      ? (data as Record<string, unknown>)
      : { stats: data };
  },
});
