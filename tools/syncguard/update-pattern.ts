import { z } from 'zod';
import { InputError } from '../../src/errors.js';
import { buildPath } from '../../src/http/path.js';
import { defineTool } from '../../src/tool.js';
import { patternSchema, withId } from './schemas.js';
import { noteField, notShown, unconfirmed } from './unconfirmed.js';

export default defineTool({
  name: 'update_pattern',
  title: 'SyncGuard · Update pattern',
  description:
    "Enable or disable a SyncGuard failure pattern or set its alert threshold (the incident opens silently and alerts once thresholdCount events fall in the window). Id from list_patterns. A note names changes SyncGuard's answer did not show.",
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  services: ['syncguard'],
  listTool: 'list_patterns',
  input: z.strictObject({
    id: z.string().min(1).describe('Pattern id.'),
    isEnabled: z.boolean().optional().describe('false stops matching.'),
    thresholdCount: z.number().int().min(1).optional().describe('Events in the window before alerting.'),
    thresholdWindowSeconds: z.number().int().min(1).optional().describe('Threshold window.'),
  }),
  output: patternSchema.extend({ note: noteField }),
  async handler({ id, ...changes }, ctx) {
    if (Object.keys(changes).length === 0) {
      throw new InputError('Give at least one of isEnabled, thresholdCount, thresholdWindowSeconds.');
    }
    const res = await ctx.api.syncguard.request({
      method: 'PATCH',
      path: buildPath('/patterns/{id}', { id }),
      body: changes,
    });
    const pattern = withId(patternSchema, res.data);
    // Only what the answer shows is reported: a change it does not show is named, never filled in from args.
    // The one exception is the id, which the model needs to act on the pattern: an answer without it gets the
    // id sent, and the note says so.
    const missing = notShown(pattern, Object.keys(changes));
    const notes: string[] = [];
    if (missing.length > 0) {
      const check = 'list_patterns shows the pattern as SyncGuard holds it.';
      notes.push(unconfirmed(res.status, 'change', missing, 'not confirmed', check));
    }
    if (pattern.id === '') notes.push("The id is the one sent: SyncGuard's answer did not show it.");
    if (notes.length === 0) return pattern;
    return { ...pattern, id: pattern.id || id, note: notes.join(' ') };
  },
});
