import { z } from 'zod';
import { defineTool } from '../../src/tool.js';
import { listOutput, pageQuery, pagingArgs, readPage, tenantSchema, withId } from './schemas.js';

export default defineTool({
  name: 'list_tenants',
  title: 'SyncGuard · List tenants',
  description:
    'List SyncGuard tenants (your customers), active or not, with ids for deactivate_tenant and activate_tenant.',
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  services: ['syncguard'],
  input: z.strictObject({ ...pagingArgs }),
  output: listOutput(tenantSchema),
  async handler(args, ctx) {
    const paging = pageQuery('list_tenants', args);
    const data = await ctx.api.syncguard.get('/tenants', {
      query: { page: paging.page, pageSize: paging.pageSize },
    });
    const { items, nextCursor } = readPage('list_tenants', data, paging);
    const tenants = items.map((t) => withId(tenantSchema, t));
    return nextCursor ? { items: tenants, nextCursor } : { items: tenants };
  },
});
