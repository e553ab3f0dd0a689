/**
 * Host and Origin validation (403 otherwise), against DNS rebinding: a web page must not reach a server on
 * this machine through a name it controls, nor call it from its own origin.
 */
import { type HttpConfig, isLoopbackHost } from '../config.js';

/** Host header → hostname without port (IPv6 kept in brackets). */
function hostnameOf(host: string): string {
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1);
  const colon = host.lastIndexOf(':');
  return colon === -1 ? host : host.slice(0, colon);
}

export interface HostGuard {
  hostAllowed(host: string | undefined): boolean;
  originAllowed(origin: string | undefined): boolean;
}

export function hostGuard(cfg: HttpConfig): HostGuard {
  const loopbackBind = isLoopbackHost(cfg.host);
  const allowedHosts = new Set(cfg.allowedHosts.map((h) => h.toLowerCase()));
  const allowedOrigins = new Set(cfg.allowedOrigins.map((o) => o.toLowerCase().replace(/\/$/, '')));
  return {
    hostAllowed(host) {
      if (!host) return false;
      const h = host.toLowerCase();
      if (allowedHosts.has(h) || allowedHosts.has(hostnameOf(h))) return true;
      if (isLoopbackHost(hostnameOf(h))) return true;
      // Bound to a public address with a token and no host list: the token is the guard.
      return !loopbackBind && allowedHosts.size === 0;
    },
    originAllowed(origin) {
      if (origin === undefined) return true;
      const o = origin.toLowerCase();
      if (allowedOrigins.has(o)) return true;
      try {
        const u = new URL(o);
        return (u.protocol === 'http:' || u.protocol === 'https:') && isLoopbackHost(u.hostname);
      } catch {
        return false;
      }
    },
  };
}
