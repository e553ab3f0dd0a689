import { z } from 'zod';
import { SynError } from '../../src/errors.js';
import { conform, defineTool } from '../../src/tool.js';
import { asRecord } from './schemas.js';

const workspace = z.object({
  id: z.string().nullable().optional(),
  name: z.string().nullable().optional(),
  apiKeyPrefix: z.string().nullable().optional(),
  isActive: z.boolean().nullable().optional(),
});

export default defineTool({
  name: 'create_workspace',
  title: 'SyncGuard · Create workspace',
  description:
    "Create a SyncGuard workspace (a team's separate incident space) with SYNCGUARD_JWT. Its API key is shown once: the user must store it. This server stays on the current workspace.",
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  services: ['syncguard'],
  needs: 'jwt',
  input: z.strictObject({ name: z.string().min(1).describe('Workspace name.') }),
  output: z.object({
    workspace,
    apiKey: z.string().describe("The new workspace's key, shown once."),
    next_step: z.string(),
  }),
  async handler(args, ctx) {
    const data = asRecord(
      await ctx.api.syncguard.post('/workspaces', {
        body: { name: args.name },
        credential: 'jwt',
      }),
    );
    const apiKey = data.apiKey;
    if (typeof apiKey !== 'string' || apiKey === '') {
      throw new SynError('SyncGuard created the workspace but its answer holds no API key.');
    }
    ctx.secret(apiKey, { showOnce: true });
    return {
      workspace: conform(workspace, data.workspace),
      apiKey,
      next_step: 'Tell the user to store this key now; it will not be shown again.',
    };
  },
});
