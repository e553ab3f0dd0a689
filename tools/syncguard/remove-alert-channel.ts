import { z } from 'zod';
import { buildPath } from '../../src/http/path.js';
import { defineTool } from '../../src/tool.js';

export default defineTool({
  name: 'remove_alert_channel',
  title: 'SyncGuard · Remove alert channel',
  description:
    'Delete the SyncGuard alert channel of one provider and its credential; to pause alerts instead, set_alert_channel with isEnabled false. Confirm with the user first.',
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  services: ['syncguard'],
  listTool: 'get_workspace',
  input: z.strictObject({
    provider: z.enum(['slack', 'pagerduty', 'opsgenie', 'teams']).describe('Alert provider.'),
  }),
  output: z.object({ removed: z.boolean(), provider: z.string() }),
  async handler(args, ctx) {
    await ctx.api.syncguard.request({
      method: 'DELETE',
      path: buildPath('/workspaces/me/channels/{provider}', { provider: args.provider }),
    });
    return { removed: true, provider: args.provider };
  },
});
