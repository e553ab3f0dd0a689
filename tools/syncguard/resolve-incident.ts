import { z } from 'zod';
import { buildPath } from '../../src/http/path.js';
import { defineTool } from '../../src/tool.js';
import { incidentSummary, toIncidentSummary } from './schemas.js';

export default defineTool({
  name: 'resolve_incident',
  title: 'SyncGuard · Resolve incident',
  description:
    'Close a SyncGuard incident by hand, e.g. once the integration is fixed. Id from list_incidents or send_event. Returns the incident.',
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  services: ['syncguard'],
  listTool: 'list_incidents',
  input: z.strictObject({
    id: z.string().min(1).describe('Incident id.'),
  }),
  output: z.object({
    resolved: z.boolean(),
    id: z.string(),
    incident: incidentSummary.optional().describe('The incident after resolving, when SyncGuard returns it.'),
  }),
  async handler(args, ctx) {
    const data = await ctx.api.syncguard.post(buildPath('/incidents/{id}/resolve', { id: args.id }));
    const isIncident = typeof data === 'object' && data !== null && 'id' in data;
    if (!isIncident) return { resolved: true, id: args.id };
    // The incident SyncGuard returns is the proof: one it still shows open is not reported as resolved.
    const incident = toIncidentSummary(data);
    const status = incident.status;
    return { resolved: typeof status !== 'string' || status === 'Closed', id: args.id, incident };
  },
});
