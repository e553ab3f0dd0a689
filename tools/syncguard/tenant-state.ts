/** The result of activate_tenant and deactivate_tenant: the tenant's state as SyncGuard's answer shows it. */
import { z } from 'zod';
import type { ApiResponse } from '../../src/http/request.js';
import { isRecord, tenantSchema, withId } from './schemas.js';
import { noteField, unconfirmed } from './unconfirmed.js';

export const tenantStateOutput = z.object({
  id: z.string(),
  isActive: z
    .boolean()
    .describe("As SyncGuard's answer shows the tenant; with a note, what was asked (not confirmed)"),
  tenant: tenantSchema.optional(),
  note: noteField,
});

/** The result for tenant `id` after the `action` (e.g. `activation`) asking for isActive `asked`. */
export function tenantState(
  id: string,
  res: ApiResponse,
  asked: boolean,
  action: string,
): z.input<typeof tenantStateOutput> {
  const tenant = isRecord(res.data) ? withId(tenantSchema, res.data) : undefined;
  // The tenant SyncGuard returns is the proof: its own isActive is reported, not the one asked for.
  if (typeof tenant?.isActive === 'boolean') return { id, isActive: tenant.isActive, tenant };
  const note = unconfirmed(
    res.status,
    action,
    ["the tenant's isActive"],
    'isActive above is what was asked, not confirmed',
    'list_tenants shows the tenant as SyncGuard holds it.',
  );
  return tenant ? { id, isActive: asked, tenant, note } : { id, isActive: asked, note };
}
