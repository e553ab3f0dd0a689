import { z } from 'zod';
import { buildPath } from '../../src/http/path.js';
import { defineTool } from '../../src/tool.js';
import { incidentSummary, isRecord, toIncidentSummary } from './schemas.js';
import { noteField, unconfirmed } from './unconfirmed.js';

export default defineTool({
  name: 'resolve_incident',
  title: 'SyncGuard · Resolve incident',
  description:
    'Close a SyncGuard incident by hand, e.g. once the integration is fixed. Id from list_incidents or send_event.',
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  services: ['syncguard'],
  listTool: 'list_incidents',
  input: z.strictObject({
    id: z.string().min(1).describe('Incident id.'),
  }),
  output: z.object({
    resolved: z
      .boolean()
      .describe("As SyncGuard's answer shows the incident's status; true with a note: asked, not confirmed"),
    id: z.string(),
    incident: incidentSummary.optional().describe('The incident after resolving, when SyncGuard returns it.'),
    note: noteField,
  }),
  async handler(args, ctx) {
    const res = await ctx.api.syncguard.request({
      method: 'POST',
      path: buildPath('/incidents/{id}/resolve', { id: args.id }),
    });
    const data = res.data;
    const incident = isRecord(data) && 'id' in data ? toIncidentSummary(data) : undefined;
    const status = incident?.status;
    // The incident SyncGuard returns is the proof: one it shows in any status but closed is not reported as
    // resolved, and the note says which status that was (compared as list_incidents does, ignoring case).
    if (typeof status === 'string') {
      if (status.toLowerCase() === 'closed') return { resolved: true, id: args.id, incident };
      const note = `SyncGuard's answer shows the incident in status ${status}, not Closed: not resolved.`;
      return { resolved: false, id: args.id, incident, note };
    }
    const note = unconfirmed(
      res.status,
      'resolve',
      ["the incident's status"],
      'resolved above is what was asked, not confirmed',
      'get_incident shows the incident as SyncGuard holds it.',
    );
    return incident ? { resolved: true, id: args.id, incident, note } : { resolved: true, id: args.id, note };
  },
});
