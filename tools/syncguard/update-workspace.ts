import { z } from 'zod';
import { InputError } from '../../src/errors.js';
import { defineTool } from '../../src/tool.js';
import { toWorkspace, workspaceSchema } from './get-workspace.js';
import { noteField, notShown, unconfirmed } from './unconfirmed.js';

const seconds = (what: string) => z.number().int().min(1).optional().describe(what);

export default defineTool({
  name: 'update_workspace',
  title: 'SyncGuard · Update workspace',
  description:
    "Rename the SyncGuard workspace or change its incident lifecycle windows. A note names changes SyncGuard's answer did not show.",
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  services: ['syncguard'],
  input: z.strictObject({
    name: z.string().min(1).optional().describe('New name.'),
    recoveryWindowSeconds: seconds('Quiet seconds before Open → Recovering (default 300).'),
    closeWindowSeconds: seconds('Stable time before Recovering → Closed (default 600).'),
    cooldownWindowSeconds: seconds('A new event this soon after closing reopens (default 900).'),
  }),
  output: workspaceSchema.extend({ note: noteField }),
  async handler(args, ctx) {
    if (Object.keys(args).length === 0) {
      throw new InputError('Give at least one field to change: name or one of the *WindowSeconds.');
    }
    const res = await ctx.api.syncguard.request({
      method: 'PATCH',
      path: '/workspaces/me',
      body: args,
    });
    const workspace = toWorkspace(res.data);
    // Only what the answer shows is reported: a change it does not show is named, never filled in from args.
    const missing = notShown(workspace, Object.keys(args));
    if (missing.length === 0) return workspace;
    return {
      ...workspace,
      note: unconfirmed(
        res.status,
        'change',
        missing,
        'not confirmed',
        'get_workspace shows the workspace as SyncGuard holds it.',
      ),
    };
  },
});
