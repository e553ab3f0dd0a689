/** The outbound proxy for the upstream APIs, from the variables curl and undici read. */
import { ConfigError } from '../errors.js';
import { isHttpUrl, type OnProblem, tolerate } from './env.js';
import type { Env, ProxyConfig } from './types.js';

/**
 * The proxy variables, read the way curl and undici read them (lowercase wins over uppercase). Loopback is
 * always added to NO_PROXY: the sandbox and local APIs are never sent through a proxy.
 */
export function proxyFrom(env: Env, onProblem?: OnProblem): ProxyConfig | undefined {
  const pick = (name: string) => env[name.toLowerCase()]?.trim() || env[name]?.trim() || undefined;
  const withScheme = (v: string | undefined) => (v && !/^[a-z]+:\/\//i.test(v) ? `http://${v}` : v);
  const proxyUrl = (name: string) => {
    const value = withScheme(pick(name));
    const check = () => {
      if (value && !isHttpUrl(value)) {
        // The value is not echoed: a proxy URL may carry a password.
        throw new ConfigError(`${name}: not a proxy URL (example: http://proxy.example.com:8080).`);
      }
      return value;
    };
    return tolerate(name, check, undefined, onProblem);
  };
  const httpProxy = proxyUrl('HTTP_PROXY');
  const httpsProxy = proxyUrl('HTTPS_PROXY');
  if (!httpProxy && !httpsProxy) return undefined;
  const noProxy = [pick('NO_PROXY'), 'localhost', '127.0.0.1', '::1']
    .filter((v) => v !== undefined)
    .join(',');
  return { httpProxy, httpsProxy, noProxy };
}

/** The password of a proxy URL (`http://user:pass@host`), which is a secret like the keys. */
export function proxyPassword(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const password = new URL(/^[a-z]+:\/\//i.test(url) ? url : `http://${url}`).password;
    return password ? decodeURIComponent(password) : undefined;
  } catch {
    return undefined;
  }
}
