import { z } from 'zod';
import { buildPath } from '../../src/http/path.js';
import { defineTool } from '../../src/tool.js';
import { isRecord, tenantSchema, withId } from './schemas.js';

export default defineTool({
  name: 'activate_tenant',
  title: 'SyncGuard · Activate tenant',
  description: 'Re-activate a SyncGuard tenant switched off by deactivate_tenant. Id from list_tenants.',
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  services: ['syncguard'],
  listTool: 'list_tenants',
  input: z.strictObject({ id: z.string().min(1).describe('Tenant id.') }),
  output: z.object({ id: z.string(), isActive: z.boolean(), tenant: tenantSchema.optional() }),
  async handler(args, ctx) {
    const data = await ctx.api.syncguard.post(buildPath('/tenants/{id}/activate', { id: args.id }));
    const tenant = isRecord(data) ? withId(tenantSchema, data) : undefined;
    if (!tenant) return { id: args.id, isActive: true };
    // The tenant SyncGuard returns is the proof: its own isActive is reported, not the one asked for.
    return { id: args.id, isActive: tenant.isActive ?? true, tenant };
  },
});
