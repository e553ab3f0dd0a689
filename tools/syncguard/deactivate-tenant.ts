import { z } from 'zod';
import { buildPath } from '../../src/http/path.js';
import { defineTool } from '../../src/tool.js';
import { tenantState, tenantStateOutput } from './tenant-state.js';

export default defineTool({
  name: 'deactivate_tenant',
  title: 'SyncGuard · Deactivate tenant',
  description:
    'Soft-deactivate a SyncGuard tenant, e.g. a churned customer; activate_tenant reverses it. Id from list_tenants. Confirm with the user first.',
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  services: ['syncguard'],
  listTool: 'list_tenants',
  input: z.strictObject({ id: z.string().min(1).describe('Tenant id.') }),
  output: tenantStateOutput,
  async handler(args, ctx) {
    const res = await ctx.api.syncguard.request({
      method: 'DELETE',
      path: buildPath('/tenants/{id}', { id: args.id }),
    });
    return tenantState(args.id, res, false, 'deactivation');
  },
});
