import { z } from 'zod';
import { InputError } from '../../src/errors.js';
import { buildPath } from '../../src/http/path.js';
import { defineTool } from '../../src/tool.js';
import { patternSchema, withId } from './schemas.js';

export default defineTool({
  name: 'update_pattern',
  title: 'SyncGuard · Update pattern',
  description:
    'Enable or disable a SyncGuard failure pattern or set its alert threshold (the incident opens silently and alerts once thresholdCount events fall in the window). Id from list_patterns. Returns the pattern.',
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  services: ['syncguard'],
  listTool: 'list_patterns',
  input: z.strictObject({
    id: z.string().min(1).describe('Pattern id.'),
    isEnabled: z.boolean().optional().describe('false stops the pattern matching.'),
    thresholdCount: z.number().int().min(1).optional().describe('Events in the window before alerting.'),
    thresholdWindowSeconds: z.number().int().min(1).optional().describe('Threshold window.'),
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
    });
    return withId(patternSchema, data.data);
  },
});
