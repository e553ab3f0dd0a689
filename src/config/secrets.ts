/** Every secret a configuration holds, so the logger and error messages can redact them. */
import { APIS, type CredentialField } from '../apis.js';
import { stateKeyForms } from '../confirm/key.js';
import { proxyPassword } from './proxy.js';
import type { Config, ServicesConfig } from './types.js';

/** The password of a Redis URL. */
function redisPassword(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const password = new URL(url).password;
    return password ? decodeURIComponent(password) : undefined;
  } catch {
    return undefined;
  }
}

/** The credentials of configured services, as their records name them. */
function serviceSecrets(services: ServicesConfig): (string | undefined)[] {
  return APIS.flatMap((api) => {
    const s: Partial<Record<CredentialField, string | undefined>> | undefined = services[api.name];
    return api.credentials.map((c) => s?.[c.field]);
  });
}

/** Every secret in a Config, for redaction. */
export function secretsOf(config: Config): string[] {
  return [
    ...serviceSecrets(config.services),
    config.http.token,
    ...(config.principals ?? []).flatMap((p) => serviceSecrets(p.services)),
    ...Object.values(config.byokKeys),
    ...[config.proxy?.httpProxy, config.proxy?.httpsProxy].map(proxyPassword),
    redisPassword(config.redisUrl),
    config.redisUrl,
    ...(config.stateKey === undefined ? [] : stateKeyForms(config.stateKey)),
  ].filter((v): v is string => typeof v === 'string');
}
