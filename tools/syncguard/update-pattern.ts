import { z } from 'zod';
import { InputError } from '../../src/errors.js';
import { buildPath } from '../../src/http/path.js';
import { defineTool } from '../../src/tool.js';
import { patternSchema, withId } from './schemas.js';

export default defineTool({
  name: 'update_pattern',
  title: 'SyncGuard · Update pattern',
  description:
    'Enable or disable a SyncGuard failure pattern, or set its alert threshold (with a threshold the ' +
    'incident opens silently and alerts only once thresholdCount events fall inside the window). Pattern ' +
    'ids from list_patterns. Returns the updated pattern.',
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  services: ['syncguard'],
  listTool: 'list_patterns',
  input: z.strictObject({
    id: z.string().min(1).describe('Pattern id, e.g. "webhook_failure_spike" (from list_patterns).'),
    isEnabled: z.boolean().optional().describe('false stops the pattern from matching events.'),
    thresholdCount: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe('Events needed inside the window before alerting.'),
    thresholdWindowSeconds: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe('Length of the threshold window in seconds.'),
  }),
  output: patternSchema,
  async handler({ id, ...changes }, ctx) {
    if (Object.keys(changes).length === 0) {
      throw new InputError('Give at least one of isEnabled, thresholdCount, thresholdWindowSeconds.');
    }
    const data = await ctx.api.syncguard.request({
      method: 'PATCH',
      path: buildPath('/patterns/{id}', { id }),
      body: changes,
      signal: ctx.signal,
      deadline: ctx.deadline,
    });
    return withId(patternSchema, data.data);
  },
});
