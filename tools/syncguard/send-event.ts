import { z } from 'zod';
import { defineTool } from '../../src/tool.js';

export default defineTool({
  name: 'send_event',
  title: 'SyncGuard · Send event',
  description:
    'Report an integration failure to SyncGuard: it opens an incident or joins the open one for that integrationKey and pattern. Returns the incident id (for resolve_incident), status, pattern, confidence and tenants.',
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  services: ['syncguard'],
  input: z.strictObject({
    integrationKey: z.string().min(1).describe('Integration, e.g. "payments-service".'),
    eventType: z
      .string()
      .min(1)
      .describe('What happened, e.g. "token_refresh_failed"; matched to pattern triggers.'),
    tenantId: z.string().min(1).describe("Your customer's external id."),
    errorCode: z.string().min(1).optional().describe('Error code seen, e.g. "503"; improves confidence.'),
    rawPayload: z.record(z.string(), z.unknown()).optional().describe('Extra context.'),
  }),
  output: z.object({
    eventId: z.string().nullable(),
    incidentId: z.string().nullable().describe('null when the event matched no pattern'),
    incidentStatus: z.string().nullable(),
    patternId: z.string().nullable(),
    confidence: z.string().nullable().describe('High or Medium'),
    isNewIncident: z.boolean(),
    affectedTenants: z.array(z.string()).optional(),
  }),
  async handler(args, ctx) {
    const data = await ctx.api.syncguard.post<Record<string, unknown> | null>('/events', {
      body: args,
    });
    const d = data ?? {};
    const str = (v: unknown) =>
      typeof v === 'string' ? v : v === undefined || v === null ? null : String(v);
    const out = {
      eventId: str(d.eventId),
      incidentId: str(d.incidentId),
      incidentStatus: str(d.incidentStatus),
      patternId: str(d.patternId),
      confidence: str(d.confidence),
      isNewIncident: d.isNewIncident === true,
    };
    const tenants = d.affectedTenants;
    return Array.isArray(tenants) ? { ...out, affectedTenants: tenants.map(String) } : out;
  },
});
