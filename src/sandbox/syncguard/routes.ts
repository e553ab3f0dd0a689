/**
 * The SyncGuard emulator's route table (seed 002, "API Reference"), all under `/api/v1`.
 * `/auth/register|login|token` are deliberately not emulated (api-notes §8.2: not exposed as tools).
 */
import { INCIDENT_ROUTES } from './incident-routes.js';
import type { Route } from './router.js';
import { TENANT_ROUTES } from './tenant-routes.js';
import { WORKSPACE_ROUTES } from './workspace-routes.js';

/** Every emulated endpoint of seed 002 ("API Reference"), in the order the router tries them. */
export const routes: Route[] = [...INCIDENT_ROUTES, ...WORKSPACE_ROUTES, ...TENANT_ROUTES];
