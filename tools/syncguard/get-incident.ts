import { z } from 'zod';
import { buildPath } from '../../src/http/path.js';
import { conform, defineTool } from '../../src/tool.js';
import { affectedTenant, asRecord, incidentDetail, toIncidentSummary } from './schemas.js';

export default defineTool({
  name: 'get_incident',
  title: 'SyncGuard · Get incident',
  description:
    'One SyncGuard incident in full, with its affected tenants and event counts. Id from list_incidents or send_event.',
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  services: ['syncguard'],
  listTool: 'list_incidents',
  input: z.strictObject({
    id: z.string().min(1).describe('Incident id.'),
  }),
  output: incidentDetail,
  async handler(args, ctx) {
    const data = asRecord(await ctx.api.syncguard.get(buildPath('/incidents/{id}', { id: args.id })));
    const tenants = Array.isArray(data.affectedTenants)
      ? data.affectedTenants.map((t) => conform(affectedTenant, t))
      : undefined;
    const detail = { ...conform(incidentDetail, data), ...toIncidentSummary(data) };
    return tenants ? { ...detail, affectedTenants: tenants } : detail;
  },
});
