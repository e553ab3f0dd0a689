import { z } from 'zod';
import { defineTool } from '../../src/tool.js';

export default defineTool({
  name: 'send_event',
  title: 'SyncGuard · Send event',
  description:
    'Report an integration failure to SyncGuard; it opens an incident or joins the open one for the same integrationKey and failure pattern. Returns the incident id (for resolve_incident), status, pattern, confidence and tenants. Each call records one more event.',
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  services: ['syncguard'],
  input: z.strictObject({
    integrationKey: z
      .string()
      .min(1)
      .describe('Integration, e.g. "payments-service"; groups events into incidents.'),
    eventType: z
      .string()
      .min(1)
      .describe(
        'What happened, matched to pattern triggers (e.g. "token_refresh_failed", "webhook_failed").',
      ),
    tenantId: z.string().min(1).describe("Your customer's external id."),
    errorCode: z
      .string()
      .min(1)
      .optional()
      .describe('Error code seen (e.g. "503", "invalid_grant"); improves confidence.'),
    rawPayload: z.record(z.string(), z.unknown()).optional().describe('Extra context, stored as JSON.'),
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
      signal: ctx.signal,
      deadline: ctx.deadline,
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
