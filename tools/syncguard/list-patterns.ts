import { z } from 'zod';
import { defineTool } from '../../src/tool.js';
import { patternSchema, withId } from './schemas.js';

export default defineTool({
  name: 'list_patterns',
  title: 'SyncGuard · List patterns',
  description:
    "SyncGuard's twelve failure patterns in priority order with their trigger event types and error codes, " +
    'whether each is enabled and its alert threshold. Use before update_pattern, or to see why an event ' +
    'was classified as it was.',
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  services: ['syncguard'],
  input: z.strictObject({}),
  output: z.object({ items: z.array(patternSchema) }),
  async handler(_args, ctx) {
    const data = await ctx.api.syncguard.get('/patterns', { signal: ctx.signal, deadline: ctx.deadline });
    const list = Array.isArray(data) ? data : [];
    return { items: list.map((p) => withId(patternSchema, p)) };
  },
});
