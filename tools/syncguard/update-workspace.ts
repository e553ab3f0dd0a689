import { z } from 'zod';
import { InputError } from '../../src/errors.js';
import { defineTool } from '../../src/tool.js';
import { toWorkspace, workspaceSchema } from './get-workspace.js';

const seconds = (what: string) => z.number().int().min(1).optional().describe(what);

export default defineTool({
  name: 'update_workspace',
  title: 'SyncGuard · Update workspace',
  description:
    'Rename the SyncGuard workspace or change its incident lifecycle windows. Returns the workspace.',
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  services: ['syncguard'],
  input: z.strictObject({
    name: z.string().min(1).optional().describe('New name.'),
    recoveryWindowSeconds: seconds('Quiet seconds before Open → Recovering (default 300).'),
    closeWindowSeconds: seconds('Stable time before Recovering → Closed (default 600).'),
    cooldownWindowSeconds: seconds('A new event this soon after closing reopens (default 900).'),
  }),
  output: workspaceSchema,
  async handler(args, ctx) {
    if (Object.keys(args).length === 0) {
      throw new InputError('Give at least one field to change: name or one of the *WindowSeconds.');
    }
    const res = await ctx.api.syncguard.request({
      method: 'PATCH',
      path: '/workspaces/me',
      body: args,
    });
    return toWorkspace(res.data);
  },
});
