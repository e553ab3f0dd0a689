/** SyncGuard's tenant routes: list, create, deactivate, activate. */
import { randomUUID } from 'node:crypto';
import { ApiError, ErrorCode, notFound } from './envelope.js';
import { type Tenant, tenantJson } from './model.js';
import type { KeyContext, Route } from './router.js';
import { optionalString, pageOf, paging, requiredString, requireObject } from './validate.js';

function findTenant(ctx: KeyContext): Tenant {
  const id = ctx.params.id ?? '';
  const tenant = ctx.ws.tenants.find((t) => t.id === id);
  if (tenant === undefined) throw notFound(`Tenant ${id} not found.`);
  return tenant;
}

/** Tenants: list, create, deactivate, activate. */
export const TENANT_ROUTES: Route[] = [
  {
    method: 'GET',
    path: '/tenants',
    auth: 'apiKey',
    handler: (ctx) => {
      const { page, pageSize } = paging(ctx.req.query);
      return { data: pageOf(ctx.ws.tenants.map(tenantJson), page, pageSize) };
    },
  },
  {
    method: 'POST',
    path: '/tenants',
    auth: 'apiKey',
    handler: (ctx) => {
      const body = requireObject(ctx.req.body);
      const externalId = requiredString(body, 'externalId');
      const name = optionalString(body, 'name');
      if (ctx.ws.tenants.some((t) => t.externalId === externalId)) {
        throw new ApiError(409, ErrorCode.Conflict, `Tenant with externalId '${externalId}' already exists.`);
      }
      const tenant: Tenant = {
        id: randomUUID(),
        externalId,
        name: name?.trim() ?? externalId,
        isActive: true,
        createdAt: ctx.now,
      };
      ctx.ws.tenants.push(tenant);
      return { data: tenantJson(tenant) };
    },
  },
  {
    method: 'DELETE',
    path: '/tenants/:id',
    auth: 'apiKey',
    handler: (ctx) => {
      const tenant = findTenant(ctx);
      tenant.isActive = false;
      return { data: tenantJson(tenant), message: 'Tenant deactivated.' };
    },
  },
  {
    method: 'POST',
    path: '/tenants/:id/activate',
    auth: 'apiKey',
    handler: (ctx) => {
      const tenant = findTenant(ctx);
      tenant.isActive = true;
      return { data: tenantJson(tenant), message: 'Tenant activated.' };
    },
  },
];
