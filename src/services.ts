import { APIS, byApi, enablingVars } from './apis.js';
import type { Config } from './config.js';
import { NotConfiguredError, type ServiceName } from './errors.js';
import type { HttpClient } from './http/client.js';
import type { Endpoint } from './http/request.js';
import type { ApiView } from './http/view.js';
import type { SharedRotations } from './state/rotation.js';
import type { ApiViews } from './tool.js';

/** Auth scheme of each API (DESIGN.md §5, its record in src/apis.ts), built from the configured secrets. */
export function endpointsFrom(config: Pick<Config, 'services'>): Partial<Record<ServiceName, Endpoint>> {
  const out: Partial<Record<ServiceName, Endpoint>> = {};
  for (const api of APIS) {
    const c = config.services[api.name] as
      | (Partial<Record<string, string>> & { baseUrl: string })
      | undefined;
    if (!c) continue;
    const credentials: Endpoint['credentials'] = {};
    for (const spec of api.credentials) {
      const secret = c[spec.field];
      credentials[spec.id] = secret
        ? { env: spec.env, header: spec.header, scheme: spec.scheme, secret }
        : undefined;
    }
    out[api.name] = {
      service: api.name,
      baseUrl: c.baseUrl,
      defaultCredential: api.defaultCredential,
      missingEnv: api.credentials.find((s) => s.id === api.defaultCredential)?.env ?? enablingVars(api),
      credentials,
    };
  }
  return out;
}

const MISSING_ENV: Readonly<Record<ServiceName, string>> = byApi((a) => enablingVars(a, ' or '));

/**
 * The per-API views of the configured services; touching an unconfigured one throws NotConfiguredError.
 * `owner` names the principal whose credentials these are (HTTP for teams); with `rotations` (Redis), a
 * rotated key is told to the other replicas and picked up from them.
 */
export function createApiViews(
  client: HttpClient,
  config: Pick<Config, 'services'>,
  owner?: string,
  rotations?: SharedRotations,
): { views: ApiViews; configured: Partial<ApiViews> } {
  const configured: Partial<Record<ServiceName, ApiView>> = {};
  for (const endpoint of Object.values(endpointsFrom(config))) {
    if (!endpoint) continue;
    configured[endpoint.service] = client.view({ ...endpoint, owner }, { rotations });
  }
  const views = new Proxy(configured, {
    /** `'synap' in ctx.api` is true only for a configured service. */
    has(target, prop) {
      return typeof prop === 'string' && target[prop as ServiceName] !== undefined;
    },
    get(target, prop) {
      if (typeof prop !== 'string') return undefined;
      const view = target[prop as ServiceName];
      if (view) return view;
      if (prop in MISSING_ENV)
        throw new NotConfiguredError(prop as ServiceName, MISSING_ENV[prop as ServiceName]);
      return undefined;
    },
  }) as ApiViews;
  return { views, configured };
}
