import { APIS, type CredentialField, enablingVars, type ServiceName } from './apis.js';
import { type BindView, type CallScope, CallView, type ServiceViews } from './call-view.js';
import type { Config } from './config.js';
import { MintedTokens } from './credentials/synqly/minted-tokens.js';
import { TokenOwners } from './credentials/synqly/token-owners.js';
import { SynqlyView } from './credentials/synqly/view.js';
import type { HttpClient } from './http/client.js';
import type { Endpoint } from './http/request.js';
import type { ApiView } from './http/view.js';
import type { SharedCache } from './state/redis-cache.js';
import type { SharedRotations } from './state/rotation.js';

/** Auth scheme of each API (DESIGN.md §5, its record in src/apis.ts), built from the configured secrets. */
export function endpointsFrom(config: Pick<Config, 'services'>): Partial<Record<ServiceName, Endpoint>> {
  const out: Partial<Record<ServiceName, Endpoint>> = {};
  for (const api of APIS) {
    const c: (Partial<Record<CredentialField, string | undefined>> & { baseUrl: string }) | undefined =
      config.services[api.name];
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

/** What the API views of one principal are built with besides the client and configuration. */
export interface ViewOptions {
  /** The principal whose credentials these are (HTTP for teams). */
  owner?: string | undefined;
  /** With Redis: a rotated key is told to the other replicas and picked up from them. */
  rotations?: SharedRotations | undefined;
  /** With Redis: minted Synqly tokens are shared between replicas. */
  shared?: SharedCache | undefined;
  /** The clock minted Synqly tokens and looked-up token owners expire by (tests share the emulator's); default Date.now. */
  now?: (() => number) | undefined;
}

/**
 * The API views of the configured services, and how each is bound to a call (src/call-view.ts): Synqly's
 * over minted integration tokens of its own (one cache per principal, shared between replicas with Redis).
 */
export function createApiViews(
  client: HttpClient,
  config: Pick<Config, 'services'>,
  opts: ViewOptions = {},
): ServiceViews {
  const configured: Partial<Record<ServiceName, ApiView>> = {};
  const bind: Partial<Record<ServiceName, (call: CallScope) => CallView>> = {};
  for (const endpoint of Object.values(endpointsFrom(config))) {
    if (!endpoint) continue;
    const view = client.view({ ...endpoint, owner: opts.owner }, { rotations: opts.rotations });
    configured[endpoint.service] = view;
    bind[endpoint.service] =
      endpoint.service === 'synqly' ? synqlyBinder(view, opts) : (call) => new CallView(view, call);
  }
  // Each binder makes its API's own view (synqlyBinder a SynqlyView), as ServiceViews['bind'] says.
  return { configured, bind: bind as ServiceViews['bind'] };
}

/** Synqly's call views, over minted integration tokens of their own (shared between replicas with Redis). */
function synqlyBinder(view: ApiView, opts: ViewOptions): BindView<'synqly'> {
  const minted = new MintedTokens({ shared: opts.shared, now: opts.now });
  const owners = new TokenOwners(opts.now);
  return (call) => new SynqlyView(view, call, minted, owners);
}
