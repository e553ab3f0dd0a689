import { z } from 'zod';
import { SynError } from '../../src/errors.js';
import { conform, defineTool } from '../../src/tool.js';
import { asRecord } from './schemas.js';

const workspace = z.object({
  id: z.string().nullable().optional(),
  name: z.string().nullable().optional(),
  apiKeyPrefix: z.string().nullable().optional(),
});

export default defineTool({
  name: 'rotate_api_key',
  title: 'SyncGuard · Rotate API key',
  description:
    'Rotate the SyncGuard API key; the old key stops working at once. Confirm with the user first. The new key is shown in this result only, once; this server then sends it as X-Api-Key on every SyncGuard call, and the user must set SYNCGUARD_API_KEY to it before the next restart.',
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
  services: ['syncguard'],
  input: z.strictObject({}),
  output: z.object({
    workspace,
    apiKey: z.string().describe('The new key, shown once.'),
    next_step: z.string(),
  }),
  async handler(_args, ctx) {
    const data = asRecord(await ctx.api.syncguard.post('/workspaces/rotate-key'));
    const apiKey = data.apiKey;
    if (typeof apiKey !== 'string' || apiKey === '') {
      throw new SynError(
        'SyncGuard rotated the key but its answer holds no new key: check the workspace in SyncGuard.',
      );
    }
    ctx.secret(apiKey, { showOnce: true });
    ctx.api.syncguard.setSecret('apiKey', apiKey);
    return {
      workspace: conform(workspace, data.workspace),
      apiKey,
      next_step:
        'Tell the user to store this key now and set SYNCGUARD_API_KEY to it in their MCP configuration; it ' +
        'will not be shown again. This server already uses it; the old key no longer works.',
    };
  },
});
