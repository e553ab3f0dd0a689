import { z } from 'zod';
import { conform, defineTool } from '../../src/tool.js';
import { asRecord, channelSchema, toChannel } from './schemas.js';

/** The workspace as shown to the model: settings and channels, never channel credentials. */
export const workspaceSchema = z.object({
  id: z.string().nullable().optional(),
  name: z.string().nullable().optional(),
  apiKeyPrefix: z.string().nullable().optional(),
  isActive: z.boolean().nullable().optional(),
  recoveryWindowSeconds: z.number().nullable().optional(),
  closeWindowSeconds: z.number().nullable().optional(),
  cooldownWindowSeconds: z.number().nullable().optional(),
  channels: z.array(channelSchema).optional(),
});

/** Trims an upstream workspace to the declared fields; channel config values are dropped. */
export function toWorkspace(raw: unknown): z.infer<typeof workspaceSchema> {
  const src = asRecord(raw);
  const { channels: _ignored, ...out } = conform(workspaceSchema, src);
  return Array.isArray(src.channels) ? { ...out, channels: src.channels.map(toChannel) } : out;
}

export default defineTool({
  name: 'get_workspace',
  title: 'SyncGuard · Get workspace',
  description:
    'The current SyncGuard workspace with its lifecycle windows and alert channels (never their credentials).',
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  services: ['syncguard'],
  input: z.strictObject({}),
  output: workspaceSchema,
  async handler(_args, ctx) {
    return toWorkspace(await ctx.api.syncguard.get('/workspaces/me'));
  },
});
