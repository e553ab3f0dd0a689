import { z } from 'zod';
import { buildPath } from '../../src/http/path.js';
import { conform, defineTool } from '../../src/tool.js';
import { listIn } from './schemas.js';

const entry = z.object({
  fromStatus: z.string().nullable().optional(),
  toStatus: z.string().nullable().optional(),
  reason: z.string().nullable().optional(),
  occurredAt: z.string().nullable().optional(),
});

export default defineTool({
  name: 'get_incident_timeline',
  title: 'SyncGuard · Get incident timeline',
  description:
    "A SyncGuard incident's state transitions with reasons, e.g. to explain a reopen. Id from list_incidents.",
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  services: ['syncguard'],
  listTool: 'list_incidents',
  input: z.strictObject({ id: z.string().min(1).describe('Incident id.') }),
  output: z.object({ id: z.string(), entries: z.array(entry) }),
  async handler(args, ctx) {
    const data = await ctx.api.syncguard.get(buildPath('/incidents/{id}/timeline', { id: args.id }));
    return { id: args.id, entries: listIn('timeline', data).map((e) => conform(entry, e)) };
  },
});
