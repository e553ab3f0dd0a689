import { z } from 'zod';
import { defineTool } from '../../src/tool.js';
import { isRecord, listIn } from './schemas.js';

export default defineTool({
  name: 'get_workspace_trends',
  title: 'SyncGuard · Get workspace trends',
  description:
    'Per-pattern SyncGuard incident counts over recent days with a trend, to spot a worsening integration.',
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  services: ['syncguard'],
  input: z.strictObject({}),
  output: z.object({
    items: z.array(z.looseObject({})).describe('One entry per pattern, as SyncGuard reports it.'),
  }),
  async handler(_args, ctx) {
    const data = await ctx.api.syncguard.get('/workspaces/trends');
    return { items: listIn('trends', data).filter(isRecord) };
  },
});
