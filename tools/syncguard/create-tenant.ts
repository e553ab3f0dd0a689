import { z } from 'zod';
import { defineTool } from '../../src/tool.js';
import { tenantSchema, withId } from './schemas.js';
import { noteField, notShown, unconfirmed } from './unconfirmed.js';

export default defineTool({
  name: 'create_tenant',
  title: 'SyncGuard · Create tenant',
  description:
    "Register a tenant (one of your customers) in SyncGuard before its first event, e.g. to name it; events also create tenants. A note names what SyncGuard's answer did not show.",
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  services: ['syncguard'],
  input: z.strictObject({
    externalId: z.string().min(1).describe("The customer's external id, as events send it in tenantId."),
    name: z.string().min(1).optional().describe('Display name.'),
  }),
  output: tenantSchema.extend({ note: noteField }),
  async handler(args, ctx) {
    const res = await ctx.api.syncguard.request({ method: 'POST', path: '/tenants', body: args });
    const tenant = withId(tenantSchema, res.data);
    // Not filled in from the arguments: what was asked for is not what SyncGuard confirms it stored.
    const missing = notShown(tenant, ['id', 'externalId']);
    if (missing.length === 0) return tenant;
    return {
      ...tenant,
      note: unconfirmed(
        res.status,
        'tenant',
        missing,
        'the tenant it stored is not confirmed',
        'list_tenants shows it; check there before creating it again.',
      ),
    };
  },
});
