import type { Config } from './config.js';
import { NotConfiguredError, type ServiceName } from './errors.js';
import type { ApiView, Endpoint, HttpClient } from './http/client.js';
import type { SharedRotations } from './state/rotation.js';
import type { ApiViews } from './tool.js';

/** Auth scheme of each API (DESIGN.md §5), built from the configured secrets. */
export function endpointsFrom(config: Pick<Config, 'services'>): Partial<Record<ServiceName, Endpoint>> {
  const s = config.services;
  const out: Partial<Record<ServiceName, Endpoint>> = {};
  if (s.syncguard) {
    out.syncguard = {
      service: 'syncguard',
      baseUrl: s.syncguard.baseUrl,
      defaultCredential: 'apiKey',
      missingEnv: 'SYNCGUARD_API_KEY',
      credentials: {
        apiKey: { env: 'SYNCGUARD_API_KEY', header: 'X-Api-Key', scheme: 'raw', secret: s.syncguard.apiKey },
        jwt: s.syncguard.jwt
          ? { env: 'SYNCGUARD_JWT', header: 'Authorization', scheme: 'bearer', secret: s.syncguard.jwt }
          : undefined,
      },
    };
  }
  if (s.synqly) {
    const { orgToken, integrationToken } = s.synqly;
    out.synqly = {
      service: 'synqly',
      baseUrl: s.synqly.baseUrl,
      defaultCredential: 'org',
      missingEnv: 'SYNQLY_ORG_TOKEN',
      credentials: {
        org: orgToken
          ? { env: 'SYNQLY_ORG_TOKEN', header: 'Authorization', scheme: 'bearer', secret: orgToken }
          : undefined,
        integration: integrationToken
          ? {
              env: 'SYNQLY_INTEGRATION_TOKEN',
              header: 'Authorization',
              scheme: 'bearer',
              secret: integrationToken,
            }
          : undefined,
      },
    };
  }
  const bearer = [
    ['synapse', 'SYNAPSE_API_KEY'],
    ['synap', 'SYNAP_API_KEY'],
    ['synchronex', 'SYNCHRONEX_API_KEY'],
  ] as const;
  for (const [service, env] of bearer) {
    const c = s[service];
    if (!c) continue;
    out[service] = {
      service,
      baseUrl: c.baseUrl,
      defaultCredential: 'apiKey',
      missingEnv: env,
      credentials: { apiKey: { env, header: 'Authorization', scheme: 'bearer', secret: c.apiKey } },
    };
  }
  return out;
}

const MISSING_ENV: Readonly<Record<ServiceName, string>> = {
  syncguard: 'SYNCGUARD_API_KEY',
  synapse: 'SYNAPSE_API_KEY',
  synqly: 'SYNQLY_ORG_TOKEN or SYNQLY_INTEGRATION_TOKEN',
  synap: 'SYNAP_API_KEY',
  synchronex: 'SYNCHRONEX_API_KEY',
};

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
    const view = client.view({ ...endpoint, owner });
    configured[endpoint.service] = rotations ? rotations.wrap(view) : view;
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
