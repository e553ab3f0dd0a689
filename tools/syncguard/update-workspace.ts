import { z } from 'zod';
import { InputError } from '../../src/errors.js';
import { defineTool } from '../../src/tool.js';
import { toWorkspace, workspaceSchema } from './get-workspace.js';

const seconds = (what: string) => z.number().int().min(1).optional().describe(what);

export default defineTool({
  name: 'update_workspace',
  title: 'SyncGuard · Update workspace',
  description:
    'Rename the SyncGuard workspace or change its incident lifecycle windows: how long without events ' +
    'before Recovering (default 300 s), how long stable before Closed (600 s), and how long after closing ' +
    'a new event reopens the same incident (900 s). Returns the workspace.',
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  services: ['syncguard'],
  input: z.strictObject({
    name: z.string().min(1).optional().describe('New workspace name.'),
    recoveryWindowSeconds: seconds('No events for this long moves an Open incident to Recovering.'),
    closeWindowSeconds: seconds('Stable for this long moves a Recovering incident to Closed.'),
    cooldownWindowSeconds: seconds('A new event within this long after closing reopens the same incident.'),
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
      signal: ctx.signal,
      deadline: ctx.deadline,
    });
    return toWorkspace(res.data);
  },
});
