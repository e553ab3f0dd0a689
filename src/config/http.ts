/** The Streamable HTTP settings: bind address, port, sessions, connection limits and timeouts. */
import { intOption, list, type OnProblem, tolerate } from './env.js';
import type { ServeFlags } from './flags.js';
import type { Env, HttpConfig } from './types.js';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** True for an address only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** The bind address `--host` asks for; loopback by default. */
export function hostFrom(flags: ServeFlags): string {
  return flags.opt('host') ?? '127.0.0.1';
}

/**
 * The HTTP settings of `flags` and `env`, with the bearer token already read (see access.ts). With
 * `onProblem` (doctor), an unusable limit variable is reported and its default used.
 */
export function httpFrom(
  flags: ServeFlags,
  env: Env,
  token: string | undefined,
  onProblem: OnProblem | undefined,
): HttpConfig {
  const envInt = (name: string, fallback: number, min: number, max: number) =>
    tolerate(
      name,
      () => intOption(name, env[name]?.trim() || undefined, fallback, min, max),
      fallback,
      onProblem,
    );
  return {
    host: hostFrom(flags),
    port: intOption('--port', flags.opt('port'), 3000, 0, 65535),
    stateless: flags.flag('stateless'),
    token,
    allowedOrigins: list(env.SYN_MCP_ALLOWED_ORIGINS) ?? [],
    allowedHosts: list(env.SYN_MCP_ALLOWED_HOSTS) ?? [],
    trustedProxies: list(env.SYN_MCP_TRUSTED_PROXIES) ?? [],
    maxBodyBytes: 4 * 1024 * 1024,
    sessionIdleMs: intOption('--session-timeout', flags.opt('session-timeout'), 1800, 1, 86_400) * 1000,
    maxSessionsPerPrincipal: envInt('SYN_MCP_MAX_SESSIONS_PER_PRINCIPAL', 100, 1, 1000),
    maxConnections: envInt('SYN_MCP_MAX_CONNECTIONS', 512, 4, 100_000),
    headersTimeoutMs: envInt('SYN_MCP_HEADERS_TIMEOUT', 10, 1, 600) * 1000,
    bodyTimeoutMs: envInt('SYN_MCP_BODY_TIMEOUT', 30, 1, 3600) * 1000,
  };
}
