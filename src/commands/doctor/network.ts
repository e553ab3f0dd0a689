/** Reachability of a base URL (DNS, then TCP), directly or through the configured proxy. */
import { lookup } from 'node:dns/promises';
import { isIP, Socket } from 'node:net';
import { type ApiRecord, regionEnv } from '../../apis.js';
import { isLoopbackHost, type ProxyConfig } from '../../config.js';
import { type Check, fail, ok } from './report.js';

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(Object.assign(new Error(`${what}: no answer within ${ms / 1000} s`), { code: 'ETIMEDOUT' })),
      ms,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function tcpConnect(host: string, port: number, ms: number): Promise<number> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    const done = (err?: Error) => {
      socket.destroy();
      if (err) reject(err);
      else resolve(Date.now() - started);
    };
    socket.setTimeout(ms, () =>
      done(Object.assign(new Error(`no answer within ${ms / 1000} s`), { code: 'ETIMEDOUT' })),
    );
    socket.once('error', done);
    socket.connect(port, host, () => done());
  });
}

function codeOf(err: unknown): string {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? code : err instanceof Error ? err.message : String(err);
}

/** Error codes and messages of a failed TLS handshake. */
export const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|SSL|EPROTO/;

/** The proxy that carries requests to `target` (as the client's EnvHttpProxyAgent picks it), if any. */
export function proxyFor(target: URL, proxy: ProxyConfig | undefined): URL | undefined {
  if (!proxy) return undefined;
  const host = target.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  for (const raw of proxy.noProxy.split(/[\s,]+/)) {
    const entry = raw.trim().toLowerCase().replace(/:\d+$/, '');
    if (entry === '') continue;
    if (entry === '*') return undefined;
    const suffix = entry.replace(/^\*?\./, '');
    if (host === suffix || host.endsWith(`.${suffix}`)) return undefined;
  }
  const chosen = target.protocol === 'https:' ? (proxy.httpsProxy ?? proxy.httpProxy) : proxy.httpProxy;
  return chosen ? new URL(chosen) : undefined;
}

/** DNS and TCP reachability of a base URL, or of the proxy that carries its requests. */
export async function reachability(
  api: ApiRecord,
  baseUrl: string,
  ms: number,
  proxy: URL | undefined,
): Promise<{ checks: Check[]; reachable: boolean }> {
  const env = api.baseUrlEnv;
  const url = proxy ?? new URL(baseUrl);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
  // Only host and port of a proxy are shown: its URL may carry a password.
  const via = proxy ? `proxy ${host}:${port} (HTTPS_PROXY/HTTP_PROXY)` : undefined;
  const where = proxy ? 'the proxy variables (HTTPS_PROXY, HTTP_PROXY, NO_PROXY)' : env;
  const checks: Check[] = [];
  if (isIP(host) === 0) {
    try {
      const addrs = await withTimeout(lookup(host, { all: true }), ms, 'DNS');
      const shown = addrs.map((a) => a.address).slice(0, 3);
      checks.push(ok('DNS', `${via ? `${via}: ` : ''}${host} → ${shown.join(', ')}`));
    } catch (err) {
      const code = codeOf(err);
      checks.push(
        fail(
          'DNS',
          `${via ? `${via}: ` : ''}${host} does not resolve (${code})`,
          code === 'ENOTFOUND'
            ? proxy
              ? `check the proxy host in ${where}`
              : `check the host name in ${env} for a typo (the documented default is ${defaultBase(api)})`
            : 'check the network connection and DNS settings (VPN?)',
        ),
      );
      return { checks, reachable: false };
    }
  }
  try {
    const took = await tcpConnect(host, port, ms);
    checks.push(ok('TCP', `${via ? `${via}: ` : ''}${host}:${port} accepts connections (${took} ms)`));
  } catch (err) {
    const code = codeOf(err);
    const fix =
      code === 'ECONNREFUSED'
        ? api.selfHosted && !proxy && isLoopbackHost(host)
          ? `${api.label} is self-hosted: start it (its API listens on port ${new URL(api.defaultBaseUrl).port} by default), or set ${api.baseUrlEnv} to where it runs`
          : `nothing listens there: check the host and port in ${where}`
        : `a firewall, VPN or proxy is in the way, or the host in ${where} is wrong` +
          (proxy ? '' : '; behind a corporate proxy, set HTTPS_PROXY (see Troubleshooting → proxies)');
    checks.push(fail('TCP', `${via ? `${via}: ` : ''}cannot connect to ${host}:${port} (${code})`, fix));
    return { checks, reachable: false };
  }
  return { checks, reachable: true };
}

/** The documented base URL in words: the default, and each other region's host. */
export function defaultBase(api: ApiRecord): string {
  const region = regionEnv(api);
  const others = Object.entries(api.regions ?? {}).filter(([, url]) => url !== api.defaultBaseUrl);
  if (!region || others.length === 0) return api.defaultBaseUrl;
  return `${api.defaultBaseUrl} (${others.map(([k, url]) => `${region}=${k}: ${url}`).join('; ')})`;
}
