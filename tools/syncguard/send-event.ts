import { z } from 'zod';
import { defineTool } from '../../src/tool.js';

export default defineTool({
  name: 'send_event',
  title: 'SyncGuard · Send event',
  description:
    'Report an integration failure to SyncGuard: it opens an incident or joins the open one for that integrationKey and pattern. Returns the incident id, for resolve_incident.',
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
    incidentId: z
      .string()
      .nullable()
      .describe('null with an eventId: the event matched no pattern; null without one: see note'),
    incidentStatus: z.string().nullable(),
    patternId: z.string().nullable(),
    confidence: z.string().nullable().describe('High or Medium'),
    isNewIncident: z.boolean(),
    affectedTenants: z.array(z.string()).optional(),
    note: z.string().optional(),
  }),
  async handler(args, ctx) {
    const res = await ctx.api.syncguard.request<Record<string, unknown> | null>({
      method: 'POST',
      path: '/events',
      body: args,
    });
    const d = res.data ?? {};
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
    const shown = Array.isArray(tenants) ? { ...out, affectedTenants: tenants.map(String) } : out;
    if (out.eventId !== null || out.incidentId !== null) return shown;
    // Only an answer naming the stored event says "matched no pattern"; without it nothing is known, and
    // sending again would record the failure twice (POST /events is not idempotent).
    return {
      ...shown,
      note:
        `SyncGuard accepted the event (HTTP ${res.status}) but its answer did not say what became of it ` +
        '(no eventId or incidentId): it may have opened or joined an incident, or matched no pattern. ' +
        `Do not send it again (that would record it twice); list_incidents with integrationKey ${JSON.stringify(args.integrationKey)} shows any incident it is in.`,
    };
  },
});
