import { z } from 'zod';
import { buildPath } from '../../src/http/path.js';
import { defineTool } from '../../src/tool.js';
import { tenantState, tenantStateOutput } from './tenant-state.js';

export default defineTool({
  name: 'activate_tenant',
  title: 'SyncGuard · Activate tenant',
  description: 'Re-activate a SyncGuard tenant switched off by deactivate_tenant. Id from list_tenants.',
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  services: ['syncguard'],
  listTool: 'list_tenants',
  input: z.strictObject({ id: z.string().min(1).describe('Tenant id.') }),
  output: tenantStateOutput,
  async handler(args, ctx) {
    const res = await ctx.api.syncguard.request({
      method: 'POST',
      path: buildPath('/tenants/{id}/activate', { id: args.id }),
    });
    return tenantState(args.id, res, true, 'activation');
  },
});
