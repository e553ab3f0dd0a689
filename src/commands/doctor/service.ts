/** All the checks of one configured API: its credentials, its base URL, reachability and the probe. */
import { API, type ApiRecord, type CredentialField, enablingVars, regionEnv } from '../../apis.js';
import { type Config, type Env, isLoopbackHost } from '../../config.js';
import { AuthError, type ServiceName } from '../../errors.js';
import type { ApiView } from '../../http/view.js';
import { jwtCheck, keyChecks, synqlyChecks } from './credentials.js';
import { defaultBase, proxyFor, reachability } from './network.js';
import { probe, readFailure } from './probe.js';
import { type Check, fail, ok, skip, warn } from './report.js';

/** The offline checks of an API's credentials, and which of them may be sent to it. */
function credentialChecks(
  api: ApiRecord,
  values: Partial<Record<CredentialField, string | undefined>>,
  now: number,
): { checks: Check[]; sendable: string[]; integration: boolean } {
  const checks: Check[] = [];
  const sendable: string[] = [];
  let integration = false;
  for (const spec of api.credentials) {
    const value = values[spec.field];
    if (spec.shape) {
      if (value === undefined) continue;
      const r = keyChecks(api, { ...spec, shape: spec.shape }, value);
      checks.push(...r.checks);
      if (r.sendable) sendable.push(spec.id);
    } else if (spec.field === 'jwt') {
      if (value !== undefined) checks.push(jwtCheck(spec, value, now));
    }
  }
  if (api.name === 'synqly') {
    const r = synqlyChecks(values.orgToken, values.integrationToken);
    checks.push(...r.checks);
    if (r.org) sendable.push(api.defaultCredential);
    integration = r.integration;
  }
  return { checks, sendable, integration };
}

/** The checks of one configured API. */
export async function checkService(
  service: ServiceName,
  config: Config,
  views: Partial<Record<ServiceName, ApiView>>,
  env: Env,
  ms: number,
  now: number,
  networkAllowed: boolean,
): Promise<Check[]> {
  const api = API[service];
  const values: Partial<Record<CredentialField | 'baseUrl', string | undefined>> =
    config.services[service] ?? {};
  const creds = credentialChecks(api, values, now);
  const checks = creds.checks;
  const sendable = creds.sendable;
  const synqlyIntegration = creds.integration;
  const pathWarning = values.baseUrl ? api.baseUrlWarning?.(values.baseUrl) : undefined;
  if (pathWarning) {
    checks.push(
      warn(
        'base URL path',
        pathWarning,
        `set ${api.baseUrlEnv} to the API root (it should ${api.baseShape.want})`,
      ),
    );
  }
  if (!networkAllowed) {
    checks.push(skip('network checks', 'not tried: fix the base URL first'));
    return checks;
  }
  const baseUrl = views[service]?.endpoint.baseUrl ?? '';
  const baseEnv = api.baseUrlEnv;
  const region = regionEnv(api);
  const given = env[baseEnv]?.trim();
  const origin = given ? baseEnv : region && env[region] ? `${region}=${env[region]}` : 'default';
  const shape = api.baseShape;
  const host = new URL(baseUrl).hostname;
  if (!shape.test.test(baseUrl)) {
    checks.push(
      warn(
        baseEnv,
        `${baseUrl} (${origin}) does not ${shape.want}`,
        `set ${baseEnv} to the documented base URL (default ${defaultBase(api)})`,
      ),
    );
  } else if (baseUrl.startsWith('http:') && !isLoopbackHost(host.replace(/^\[|\]$/g, ''))) {
    checks.push(
      warn(
        baseEnv,
        `${baseUrl} (${origin}) is plain http: the key travels unencrypted`,
        `use https:// in ${baseEnv}`,
      ),
    );
  } else {
    checks.push(ok(baseEnv, `${baseUrl} (${origin})`));
  }
  const reach = await reachability(api, baseUrl, ms, proxyFor(new URL(baseUrl), config.proxy));
  checks.push(...reach.checks);
  const view = views[service];
  const { path, query } = api.probe;
  const what = `GET ${path}${
    query
      ? `?${Object.entries(query)
          .map(([k, v]) => `${k}=${v}`)
          .join('&')}`
      : ''
  }`;
  if (!reach.reachable || !view) {
    checks.push(skip(what, 'not tried: the API cannot be reached'));
    return checks;
  }
  if (sendable.length === 0 && !synqlyIntegration) {
    checks.push(skip(what, 'not tried: fix the credential first'));
    return checks;
  }
  for (const credential of sendable) {
    const credentialEnv = view.endpoint.credentials[credential]?.env ?? '';
    const several = api.credentials.filter((c) => c.enables).length > 1;
    const name = several ? `${what} with ${credentialEnv}` : what;
    try {
      const r = await probe(view, api, credential, ms);
      checks.push(ok(name, `HTTP 200 in ${r.ms} ms${api.probe.detail?.(r.data) ?? ''}`));
    } catch (err) {
      checks.push(readFailure(api, credentialEnv, err, name));
    }
  }
  const integrationEnv = api.credentials.find((c) => c.id === 'integration')?.env;
  if (synqlyIntegration && integrationEnv) {
    // An integration token must be refused by the Management API (403); accepted, it is an organization token.
    const name = `${what} with ${integrationEnv}`;
    try {
      await probe(view, api, 'integration', ms);
      checks.push(
        fail(
          name,
          `the Management API accepted it: ${integrationEnv} holds an organization token`,
          `put the organization token in ${view.endpoint.credentials.org?.env ?? enablingVars(api)} and unset ${integrationEnv} (connector tools mint integration tokens themselves)`,
        ),
      );
    } catch (err) {
      if (err instanceof AuthError && err.status === 403) {
        checks.push(ok(name, 'refused with 403, as an integration token should be: the kind is right'));
      } else {
        checks.push(readFailure(api, integrationEnv, err, name));
      }
    }
  }
  return checks;
}
