/**
 * Each API's configuration (base URL and credentials), built from its record in src/apis.ts: the same loop
 * reads every API, so a new API needs no code here.
 */
import { APIS, type ApiRecord, enablingVars, regionEnv } from '../apis.js';
import { ConfigError, type ServiceName } from '../errors.js';
import { isHttpUrl, type OnProblem, type ReadFile, readSecret, tolerate } from './env.js';
import type { Env, ServicesConfig } from './types.js';

/** Documented default base URLs (DESIGN.md §6), of the APIs without regions (those default to a region's). */
export const DEFAULT_BASE_URLS: Readonly<Partial<Record<ServiceName, string>>> = Object.fromEntries(
  APIS.filter((a) => !a.regions).map((a) => [a.name, a.defaultBaseUrl]),
);

function baseUrl(env: Env, name: string, fallback: string): string {
  const raw = env[name]?.trim() || fallback;
  if (!isHttpUrl(raw)) {
    throw new ConfigError(`${name}: "${raw}" is not a valid http(s) base URL (example: ${fallback}).`);
  }
  return raw.replace(/\/+$/, '');
}

/** The base URL of one API: its variable, else its region's host, else the documented default. */
function apiBaseUrl(api: ApiRecord, env: Env, onProblem: OnProblem | undefined): string {
  const region = regionEnv(api);
  let fallback = api.defaultBaseUrl;
  if (region && api.regions) {
    const regions = api.regions;
    fallback = tolerate(
      region,
      () => {
        const key = (env[region]?.trim() || (Object.keys(regions)[0] ?? '')).toLowerCase();
        const url = regions[key];
        if (!url) {
          throw new ConfigError(
            `${region}: "${env[region]}" is not a ${api.label} region; use one of: ${Object.keys(regions).join(', ')}.`,
          );
        }
        return url;
      },
      api.defaultBaseUrl,
      onProblem,
    );
  }
  return tolerate(api.baseUrlEnv, () => baseUrl(env, api.baseUrlEnv, fallback), fallback, onProblem);
}

/**
 * The services configured by `env` (the server's environment, or one principal's credentials over the
 * server's base URLs), and one notice per service left out; each built from its record in src/apis.ts.
 * With `onProblem` (doctor), an unusable variable is reported and treated as unset instead of thrown.
 */
export function servicesFrom(
  env: Env,
  readFile: ReadFile,
  onProblem?: OnProblem,
): { services: ServicesConfig; notices: string[] } {
  const notices: string[] = [];
  const services: Record<string, Record<string, string | undefined>> = {};
  for (const api of APIS) {
    const read = (name: string) => readSecret(env, name, readFile, onProblem);
    const values: Record<string, string | undefined> = {};
    for (const c of api.credentials) if (c.enables) values[c.field] = read(c.env);
    const url = apiBaseUrl(api, env, onProblem);
    if (!api.credentials.some((c) => c.enables && values[c.field] !== undefined)) {
      notices.push(`${api.label}: skipped (set ${enablingVars(api)} to enable its tools)`);
      continue;
    }
    for (const c of api.credentials) if (!c.enables) values[c.field] = read(c.env);
    services[api.name] = { baseUrl: url, ...values };
    const warning = api.baseUrlWarning?.(url);
    if (warning) notices.push(`${api.label}: warning: ${warning}`);
  }
  // Each entry has the fields its record names, which is what ServicesConfig is derived from; the compiler
  // cannot follow that through the loop over APIS.
  return { services: services as ServicesConfig, notices };
}
