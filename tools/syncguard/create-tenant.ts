import { z } from 'zod';
import { defineTool } from '../../src/tool.js';
import { tenantSchema, withId } from './schemas.js';

export default defineTool({
  name: 'create_tenant',
  title: 'SyncGuard · Create tenant',
  description:
    'Register a tenant (one of your customers) in SyncGuard before its first event, e.g. to name it; events also create tenants. Returns the tenant.',
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  services: ['syncguard'],
  input: z.strictObject({
    externalId: z.string().min(1).describe("The customer's external id, as events send it in tenantId."),
    name: z.string().min(1).optional().describe('Display name.'),
  }),
  output: tenantSchema,
  async handler(args, ctx) {
    const data = await ctx.api.syncguard.post('/tenants', {
      body: args,
    });
    return withId(tenantSchema, data);
  },
});
