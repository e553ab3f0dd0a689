import { z } from 'zod';
import { defineTool } from '../../src/tool.js';
import { listIn, patternSchema, withId } from './schemas.js';

export default defineTool({
  name: 'list_patterns',
  title: 'SyncGuard · List patterns',
  description:
    "SyncGuard's failure patterns in priority order, with triggers and alert thresholds. Ids for update_pattern.",
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  services: ['syncguard'],
  input: z.strictObject({}),
  output: z.object({ items: z.array(patternSchema) }),
  async handler(_args, ctx) {
    const data = await ctx.api.syncguard.get('/patterns');
    return { items: listIn('patterns', data).map((p) => withId(patternSchema, p)) };
  },
});
