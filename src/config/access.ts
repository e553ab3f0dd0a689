/**
 * Who may call over HTTP: one bearer token (SYN_MCP_HTTP_TOKEN), principals each with their own token and
 * credentials (SYN_MCP_PRINCIPALS_FILE, for teams), or OAuth access tokens mapped to principals; and the rules
 * that tie them to the bind address.
 */
import { APIS, regionEnv } from '../apis.js';
import { ConfigError } from '../errors.js';
import { loadPrincipals, PRINCIPAL_CREDENTIALS } from '../principals.js';
import { type OnProblem, type ReadFile, readSecret } from './env.js';
import { isLoopbackHost } from './http.js';
import { servicesFrom } from './services.js';
import type { Env, OAuthConfig, PrincipalConfig } from './types.js';

/** How HTTP callers authenticate; all undefined on a loopback bind without a token. */
export interface Access {
  token: string | undefined;
  principals: PrincipalConfig[] | undefined;
  oauth: OAuthConfig | undefined;
}

/** What `accessFrom` reads besides the environment. */
export interface AccessInput {
  host: string;
  transport: 'stdio' | 'http';
  oauthIssuer: string | undefined;
  resource: string | undefined;
}

/**
 * The token, principals and OAuth settings, checked together: principals exclude the shared token, OAuth
 * needs principals, and a non-loopback bind needs some authentication (a token strong enough).
 */
export function accessFrom(
  input: AccessInput,
  env: Env,
  readFile: ReadFile,
  onProblem: OnProblem | undefined,
): Access {
  const { host, transport } = input;
  const token = readSecret(env, 'SYN_MCP_HTTP_TOKEN', readFile, onProblem);
  const principalsFile = env.SYN_MCP_PRINCIPALS_FILE?.trim() || undefined;
  const principals =
    transport === 'http' && principalsFile ? principalsFrom(principalsFile, env, readFile) : undefined;
  const oauth = oauthFrom(input.oauthIssuer, input.resource, env.SYN_MCP_OAUTH_SCOPES, transport);
  if (oauth && !principals) {
    throw new ConfigError(
      '--oauth-issuer: set SYN_MCP_PRINCIPALS_FILE too: each token subject (sub) must map to a principal (its "subject").',
    );
  }
  if (principals && token) {
    throw new ConfigError(
      'SYN_MCP_PRINCIPALS_FILE and SYN_MCP_HTTP_TOKEN are both set: with principals every caller has its own token; unset SYN_MCP_HTTP_TOKEN.',
    );
  }
  if (transport === 'http' && !isLoopbackHost(host)) {
    if (!token && !principals && !oauth) {
      throw new ConfigError(
        `--host ${host}: binding a non-loopback address needs SYN_MCP_HTTP_TOKEN (clients must send it as a bearer token) or SYN_MCP_PRINCIPALS_FILE.`,
      );
    }
    if (token) checkTokenStrength(token, host);
  }
  return { token, principals, oauth };
}

/** `--oauth-issuer` and `--resource`, both or neither, as URLs (https, or http on loopback). */
function oauthFrom(
  issuer: string | undefined,
  resource: string | undefined,
  scopes: string | undefined,
  transport: 'stdio' | 'http',
): OAuthConfig | undefined {
  if (issuer === undefined && resource === undefined) return undefined;
  if (issuer === undefined || resource === undefined) {
    throw new ConfigError(
      "--oauth-issuer and --resource go together: the authorization server, and this server's own URL (e.g. https://mcp.example.com/mcp).",
    );
  }
  if (transport !== 'http') throw new ConfigError('--oauth-issuer: OAuth applies to --http only.');
  for (const [flag, value] of [
    ['--oauth-issuer', issuer],
    ['--resource', resource],
  ] as const) {
    let u: URL;
    try {
      u = new URL(value);
    } catch {
      throw new ConfigError(`${flag}: "${value}" is not a URL.`);
    }
    const secure = u.protocol === 'https:' || (u.protocol === 'http:' && isLoopbackHost(u.hostname));
    if (!secure || u.hash || u.search || u.username) {
      throw new ConfigError(
        `${flag}: "${value}" must be an https URL (http only on loopback) without query, fragment or user.`,
      );
    }
  }
  const wanted = (scopes ?? 'mcp').split(/[\s,]+/).filter((s) => s !== '');
  return { issuer, resource, scopes: wanted.length ? wanted : ['mcp'] };
}

/** The variables that say where each API is (never a secret): a principal's services use the server's. */
const BASE_URL_VARS = APIS.flatMap((a) => [regionEnv(a), a.baseUrlEnv]).filter(
  (v): v is string => v !== undefined,
);

/** The principals of `path`, each with its services built from its own credentials over the server's base URLs. */
function principalsFrom(path: string, env: Env, readFile: ReadFile): PrincipalConfig[] {
  const bases = Object.fromEntries(BASE_URL_VARS.map((name) => [name, env[name]]));
  const noFile: ReadFile = () => {
    throw new Error('unreachable: principal credentials are resolved already');
  };
  return loadPrincipals(path, env, readFile).map((p) => {
    // Only the principal's own credentials: never the server's SYNCGUARD_API_KEY or its _FILE variants.
    const own: Record<string, string | undefined> = { ...bases };
    for (const name of PRINCIPAL_CREDENTIALS) own[name] = p.credentials[name];
    return {
      name: p.name,
      tokenSha256: p.tokenSha256,
      subject: p.subject,
      toolsets: p.toolsets,
      tools: p.tools,
      readOnly: p.readOnly,
      services: servicesFrom(own, noFile).services,
    };
  });
}

/**
 * Estimated entropy of a token in bits: its length times the bits per character of the smallest alphabet
 * its character classes fit, but no more than the spread of its characters shows (Shannon, plus one bit):
 * `aaaa…` or `abab…` is weak whatever its length.
 */
export function tokenBits(token: string): number {
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/];
  const sizes = [26, 26, 10, 33];
  const alphabet = classes.reduce((sum, re, i) => sum + (re.test(token) ? (sizes[i] ?? 0) : 0), 0);
  const counts = new Map<string, number>();
  for (const ch of token) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let shannon = 0;
  for (const n of counts.values()) {
    const p = n / token.length;
    shannon -= p * Math.log2(p);
  }
  return token.length * Math.min(Math.log2(Math.max(alphabet, 2)), shannon + 1);
}

/** On a non-loopback bind, a bearer token shorter than 32 characters or with under 128 bits is refused. */
function checkTokenStrength(token: string, host: string): void {
  if (token.length < 32 || tokenBits(token) < 128) {
    throw new ConfigError(
      `--host ${host}: SYN_MCP_HTTP_TOKEN is too weak for a non-loopback bind (needs at least 32 characters ` +
        'and 128 bits of entropy); generate one with: openssl rand -hex 32',
    );
  }
}
