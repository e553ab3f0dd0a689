import { readFileSync } from 'node:fs';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { API, APIS, type ApiRecord, enablingVars, regionEnv } from './apis.js';
import { parseStateKey, stateKeyForms } from './confirm/key.js';
import { CONFIRM_MODES, type ConfirmMode } from './confirm/policy.js';
import { ConfigError, type ServiceName } from './errors.js';
import { parseRateRule } from './http/ratelimit.js';
import type { LogLevel } from './log.js';
import { loadPrincipals, PRINCIPAL_CREDENTIALS } from './principals.js';
import { PROFILES, type SchemaProfile } from './profiles.js';
import type { RateRule } from './state/rates.js';

const SERVICES: readonly ServiceName[] = APIS.map((a) => a.name);

/** Environment as read at startup (process.env, or a test's own object). */
export type Env = Readonly<Record<string, string | undefined>>;

/** SyncGuard: X-Api-Key, plus an optional JWT for workspace creation. */
export interface SyncGuardConfig {
  baseUrl: string;
  apiKey: string;
  jwt: string | undefined;
}
/** Synapse, Synap, Synchronex: one bearer key each. */
export interface KeyConfig {
  baseUrl: string;
  apiKey: string;
}
/** Synqly: an organization token (Management) and/or an integration token (Connector). */
export interface SynqlyConfig {
  baseUrl: string;
  orgToken: string | undefined;
  integrationToken: string | undefined;
}

/** The configured services; a service without a credential is absent. */
export interface ServicesConfig {
  syncguard?: SyncGuardConfig;
  synapse?: KeyConfig;
  synqly?: SynqlyConfig;
  synap?: KeyConfig;
  synchronex?: KeyConfig;
}

/** Streamable HTTP mode settings. */
export interface HttpConfig {
  host: string;
  port: number;
  stateless: boolean;
  /** Bearer token MCP clients must send; mandatory off loopback. */
  token: string | undefined;
  /** Origins accepted besides loopback ones (SYN_MCP_ALLOWED_ORIGINS). */
  allowedOrigins: readonly string[];
  /** Host header values accepted besides loopback ones (SYN_MCP_ALLOWED_HOSTS). */
  allowedHosts: readonly string[];
  /**
   * Addresses of reverse proxies whose X-Forwarded-For is believed (SYN_MCP_TRUSTED_PROXIES): failed logins
   * are then counted per client address, not per proxy.
   */
  trustedProxies: readonly string[];
  maxBodyBytes: number;
  /** Stateful sessions idle longer than this are closed. */
  sessionIdleMs: number;
  /** Open stateful sessions one principal may hold (SYN_MCP_MAX_SESSIONS_PER_PRINCIPAL; principals mode). */
  maxSessionsPerPrincipal: number;
  /** Open TCP connections at most; more are closed at once (SYN_MCP_MAX_CONNECTIONS, default 512). */
  maxConnections: number;
  /** How long a request's headers, then its body, may take to arrive (ms). */
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
}

/** One principal of SYN_MCP_PRINCIPALS_FILE: how it authenticates, its tool policy and its own services. */
export interface PrincipalConfig {
  name: string;
  /** SHA-256 of its bearer token, lowercase hex. */
  tokenSha256: string | undefined;
  /** OAuth subject (`sub`) that maps to it. */
  subject: string | undefined;
  toolsets: readonly string[] | undefined;
  tools: readonly string[] | undefined;
  readOnly: boolean;
  /** Its upstream credentials over the server's base URLs; an API it has no credential for is absent. */
  services: ServicesConfig;
}

/** What the command line asked for. */
export type Command = 'serve' | 'help' | 'version';

/** One frozen, validated configuration: the only product of process.env and argv. */
export interface Config {
  command: Command;
  services: ServicesConfig;
  /** One line per service that is not configured, for stderr. */
  notices: readonly string[];
  transport: 'stdio' | 'http';
  http: HttpConfig;
  toolsets: readonly string[] | undefined;
  tools: readonly string[] | undefined;
  readOnly: boolean;
  sandbox: boolean;
  /** MCP Apps views (ui:// resources linked from their tools); `--no-apps` turns them off. */
  apps: boolean;
  logLevel: LogLevel;
  /**
   * Provider keys a BYOK tool may register, by env var name: only the variables listed in
   * SYN_MCP_BYOK_ENV_ALLOWLIST (and present) are read, so a key never passes through the conversation.
   */
  byokKeys: Readonly<Record<string, string>>;
  /** Published schema profile: `auto` serves the strict default to every client; or a forced one. */
  schemaProfile: SchemaProfile | 'auto';
  /** Budget of one result's text, in characters. */
  maxResultChars: number;
  /** File that receives one JSON line per write tool call (SYN_MCP_AUDIT_LOG); no audit log when absent. */
  auditLog: string | undefined;
  /** Outbound proxy from HTTPS_PROXY / HTTP_PROXY / NO_PROXY (either case); undefined when none is set. */
  proxy: ProxyConfig | undefined;
  /** SYN_MCP_REDIS_URL: where replicas share rate budgets and minted tokens; in memory when absent. */
  redisUrl: string | undefined;
  /** `--rate-limit` / SYN_MCP_RATE_LIMIT overrides of the documented upstream rate limits. */
  rateLimits: Readonly<Partial<Record<ServiceName, RateRule>>>;
  /** `--confirm`: which calls wait for the user's confirmation through the client (default destructive). */
  confirm: ConfirmMode;
  /**
   * SYN_MCP_STATE_KEY (or _FILE), as given and checked to be 32 bytes (64 hex digits or base64): seals
   * request state; every replica needs the same one. A random per-process key when undefined.
   */
  stateKey: string | undefined;
  /** SYN_MCP_PRINCIPALS_FILE (HTTP mode): each caller acts as itself; undefined when not set. */
  principals: readonly PrincipalConfig[] | undefined;
  /** `--oauth-issuer URL --resource URL`: OAuth 2.1 resource-server mode; undefined when not asked for. */
  oauth: OAuthConfig | undefined;
}

/** OAuth 2.1 resource-server mode: whose tokens are accepted, for which resource, with which scopes. */
export interface OAuthConfig {
  /** The authorization server's issuer identifier (its metadata must name exactly this). */
  issuer: string;
  /** This server's resource identifier: the audience every token must carry (RFC 8707). */
  resource: string;
  /** Scopes every token must carry (SYN_MCP_OAUTH_SCOPES, default `mcp`). */
  scopes: readonly string[];
}

/** An outbound HTTP(S) proxy for the upstream APIs; loopback addresses always go direct. */
export interface ProxyConfig {
  httpProxy: string | undefined;
  httpsProxy: string | undefined;
  noProxy: string;
}

/** Documented default base URLs (DESIGN.md §6), of the APIs without regions. */
export const DEFAULT_BASE_URLS: Readonly<Record<Exclude<ServiceName, 'synqly'>, string>> = Object.fromEntries(
  APIS.filter((a) => !a.regions).map((a) => [a.name, a.defaultBaseUrl]),
) as Record<Exclude<ServiceName, 'synqly'>, string>;
/** Synqly hosts per region. */
export const SYNQLY_REGIONS: Readonly<Record<string, string>> = API.synqly.regions ?? {};

/** The help lines of one API's variables: credentials, region, base URL, then the optional credentials. */
function helpVars(api: ApiRecord): string {
  const region = regionEnv(api);
  return [
    ...api.credentials.filter((c) => c.enables).map((c) => c.env),
    ...(region ? [`${region} (${Object.keys(api.regions ?? {}).join('|')})`] : []),
    api.baseUrlEnv,
    ...api.credentials.filter((c) => !c.enables).map((c) => c.env),
  ].join(', ');
}

const LABELS = APIS.map((a) => a.label);

/** The usage text of `syn-mcp --help`. */
export const HELP = `syn-mcp — MCP server for ${LABELS.slice(0, -1).join(', ')} and ${LABELS.at(-1)}

Usage:
  syn-mcp [options]                 serve over stdio (what MCP clients launch)
  syn-mcp tools [--json] [--all-apis] [--toolsets …]
                                    print the catalog with each tool's token count
  syn-mcp init --client claude-desktop|claude-code|cursor|vscode [--services a,b] [--write]
                                    print (or merge into the client's file) the config block
  syn-mcp doctor [--client C] [--json]
                                    check credentials, base URLs and one read per service
  syn-mcp --http [--host H] [--port P] [--stateless]
                                    serve Streamable HTTP at http://H:P/mcp

Options:
  --toolsets a,b     toolsets to enable ('default', 'all', or names such as syncguard, syncguard_admin)
  --tools x,y        enable exactly these tools (added to --toolsets when both are given)
  --read-only        remove every tool that can change anything
  --sandbox          start the embedded API emulators on loopback and use them (no account needed)
  --no-apps          serve no MCP Apps views (ui:// resources for incidents, trends and orchestration runs)
  --http             serve Streamable HTTP instead of stdio
  --host H           HTTP bind address (default 127.0.0.1; non-loopback needs SYN_MCP_HTTP_TOKEN)
  --port P           HTTP port (default 3000)
  --stateless        HTTP without sessions (any replica can answer any request)
  --session-timeout S  close stateful HTTP sessions idle for S seconds (default 1800)
  --log-level L      debug, info, warn or error (default info; logs go to stderr)
  --schema-profile P published input schemas: claude (full JSON Schema), openai or gemini (default auto:
                     the strict openai shape, which every client takes; the client's name does not pick it)
  --max-result-chars N  budget of one result's text (default 20000)
  --confirm M        destructive (default), writes or off: which calls the user confirms through the
                     client first, when it supports form elicitation (others keep their own approval prompt)
  --oauth-issuer URL --resource URL
                     OAuth 2.1 resource server: JWT access tokens from that issuer, for this resource (this
                     server's URL, e.g. https://mcp.example.com/mcp); each token's sub maps to a principal
  --rate-limit api=N/W[:B],…  override an upstream rate limit: N requests per window W (e.g. 30s, 1m, 1d),
                     at most B back to back (e.g. synap=600/1m:50); default: the documented limits
  --help, --version

Environment (each secret also as <NAME>_FILE, read from a file):
${APIS.map((a) => `  ${helpVars(a)}\n`).join('')}  SYN_MCP_HTTP_TOKEN, SYN_MCP_ALLOWED_ORIGINS, SYN_MCP_ALLOWED_HOSTS, SYN_MCP_LOG_LEVEL
  SYN_MCP_PRINCIPALS_FILE (HTTP for teams: each caller's token hash, tools and own upstream credentials)
  SYN_MCP_OAUTH_SCOPES (scopes every OAuth access token must carry; default mcp)
  SYN_MCP_TRUSTED_PROXIES (proxy addresses whose X-Forwarded-For names the client, e.g. 127.0.0.1)
  SYN_MCP_MAX_SESSIONS_PER_PRINCIPAL (default 100), SYN_MCP_MAX_CONNECTIONS (default 512)
  SYN_MCP_HEADERS_TIMEOUT, SYN_MCP_BODY_TIMEOUT (seconds a request's headers, then its body, may take;
                     default 10 and 30)
  SYN_MCP_BYOK_ENV_ALLOWLIST (env var names whose values BYOK tools may register)
  SYN_MCP_AUDIT_LOG (file that receives one JSON line per write tool call)
  SYN_MCP_REDIS_URL (redis://[:password@]host:port[/db]: replicas share rate budgets and minted tokens)
  SYN_MCP_RATE_LIMIT (same as --rate-limit)
  SYN_MCP_STATE_KEY (32 bytes, base64 or hex: seals confirmation state; the same on every replica;
                     a random per-process key when unset; generate with: openssl rand -base64 32)
`;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** True for an address only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

type ReadFile = (path: string) => string;

function secret(env: Env, name: string, readFile: ReadFile): string | undefined {
  const direct = env[name]?.trim();
  if (direct) return direct;
  const file = env[`${name}_FILE`]?.trim();
  if (!file) return undefined;
  let text: string;
  try {
    text = readFile(file);
  } catch (err) {
    const code = (err as { code?: string }).code ?? 'unreadable';
    throw new ConfigError(`${name}_FILE: cannot read ${file} (${code}).`);
  }
  const value = text.trim();
  if (!value) throw new ConfigError(`${name}_FILE: ${file} is empty.`);
  return value;
}

/** An http(s) URL with a host and no query or fragment: a base URL, or a proxy. */
function isHttpUrl(v: string): boolean {
  try {
    const u = new URL(v);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '' && !u.search && !u.hash;
  } catch {
    return false;
  }
}

export { synapseBaseUrlWarning } from './apis.js';

function baseUrl(env: Env, name: string, fallback: string): string {
  const raw = env[name]?.trim() || fallback;
  if (!isHttpUrl(raw)) {
    throw new ConfigError(`${name}: "${raw}" is not a valid http(s) base URL (example: ${fallback}).`);
  }
  return raw.replace(/\/+$/, '');
}

function list(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function intOption(
  name: string,
  value: string | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(`${name}: "${value}" must be an integer from ${min} to ${max}.`);
  }
  return n;
}

/**
 * The proxy variables, read the way curl and undici read them (lowercase wins over uppercase). Loopback is
 * always added to NO_PROXY: the sandbox and local APIs are never sent through a proxy.
 */
function proxyFrom(env: Env, onProblem?: OnProblem): ProxyConfig | undefined {
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

const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** A variable's value that cannot be used, reported instead of thrown when the caller collects problems. */
export type OnProblem = (variable: string, error: ConfigError) => void;

/** Runs `read`; with `onProblem`, a ConfigError is reported under `variable` and `fallback` returned. */
function tolerate<T>(variable: string, read: () => T, fallback: T, onProblem: OnProblem | undefined): T {
  if (!onProblem) return read();
  try {
    return read();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    onProblem(variable, err);
    return fallback;
  }
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
    const read = (name: string) =>
      tolerate(`${name}_FILE`, () => secret(env, name, readFile), undefined, onProblem);
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
  return { services: services as ServicesConfig, notices };
}

/** Flag values read by `readFlags`: a string option's text, `true` for a boolean given. */
export type Flags = Record<string, string | boolean | undefined>;

/**
 * Reads flags strictly (no positionals, no unknown flag); a bad one becomes ConfigError with node's message
 * (which names the flag) wrapped by `explain`, so each command points at its own usage.
 */
export function readFlags(
  argv: readonly string[],
  options: NonNullable<ParseArgsConfig['options']>,
  explain: (message: string) => string,
): Flags {
  try {
    return parseArgs({ args: [...argv], strict: true, allowPositionals: false, options }).values as Flags;
  } catch (err) {
    throw new ConfigError(explain((err as Error).message));
  }
}

/**
 * Reads argv and env into one frozen Config; throws ConfigError with one clear line naming the culprit. With
 * `onProblem` (doctor), an unusable API variable is reported and treated as unset instead.
 */
export function loadConfig(
  argv: readonly string[],
  env: Env,
  readFile: ReadFile = (p) => readFileSync(p, 'utf8'),
  onProblem?: OnProblem,
): Config {
  const values = readFlags(
    argv,
    {
      http: { type: 'boolean' },
      host: { type: 'string' },
      port: { type: 'string' },
      stateless: { type: 'boolean' },
      'session-timeout': { type: 'string' },
      toolsets: { type: 'string' },
      tools: { type: 'string' },
      'read-only': { type: 'boolean' },
      sandbox: { type: 'boolean' },
      'no-apps': { type: 'boolean' },
      'log-level': { type: 'string' },
      'schema-profile': { type: 'string' },
      'max-result-chars': { type: 'string' },
      'rate-limit': { type: 'string' },
      confirm: { type: 'string' },
      'oauth-issuer': { type: 'string' },
      resource: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
    (message) => `${message}. Run syn-mcp --help for the options.`,
  );
  const flag = (name: string) => values[name] === true;
  const opt = (name: string) => {
    const v = values[name];
    return typeof v === 'string' ? v : undefined;
  };

  const command: Command = flag('help') ? 'help' : flag('version') ? 'version' : 'serve';
  const { services, notices } = servicesFrom(env, readFile, onProblem);

  const host = opt('host') ?? '127.0.0.1';
  /** A setting read as the server would; with `onProblem` (doctor) an unusable one is reported and unset. */
  const setting = <T>(variable: string, read: () => T, fallback: T) =>
    tolerate(variable, read, fallback, onProblem);
  const envInt = (name: string, fallback: number, min: number, max: number) =>
    setting(name, () => intOption(name, env[name]?.trim() || undefined, fallback, min, max), fallback);
  const token = setting(
    'SYN_MCP_HTTP_TOKEN_FILE',
    () => secret(env, 'SYN_MCP_HTTP_TOKEN', readFile),
    undefined,
  );
  const transport = flag('http') ? 'http' : 'stdio';
  const principalsFile = env.SYN_MCP_PRINCIPALS_FILE?.trim() || undefined;
  const principals =
    transport === 'http' && principalsFile ? principalsFrom(principalsFile, env, readFile) : undefined;
  const oauth = oauthFrom(opt('oauth-issuer'), opt('resource'), env.SYN_MCP_OAUTH_SCOPES, transport);
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
  const logLevel = (opt('log-level') ?? env.SYN_MCP_LOG_LEVEL ?? 'info').toLowerCase() as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(`--log-level: "${logLevel}" is not one of ${LOG_LEVELS.join(', ')}.`);
  }

  const byokKeys = setting(
    'SYN_MCP_BYOK_ENV_ALLOWLIST',
    () => {
      const keys: Record<string, string> = {};
      const names = list(env.SYN_MCP_BYOK_ENV_ALLOWLIST) ?? [];
      const bad = names.find((name) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name));
      if (bad !== undefined) {
        throw new ConfigError(`SYN_MCP_BYOK_ENV_ALLOWLIST: "${bad}" is not an environment variable name.`);
      }
      for (const name of names) {
        const value = setting(`${name}_FILE`, () => secret(env, name, readFile), undefined);
        if (value) keys[name] = value;
      }
      return keys;
    },
    {},
  );

  const profile = (opt('schema-profile') ?? 'auto').toLowerCase();
  if (profile !== 'auto' && !PROFILES.includes(profile as SchemaProfile)) {
    throw new ConfigError(`--schema-profile: "${profile}" is not one of auto, ${PROFILES.join(', ')}.`);
  }

  const config: Config = {
    command,
    services,
    notices,
    transport,
    http: {
      host,
      port: intOption('--port', opt('port'), 3000, 0, 65535),
      stateless: flag('stateless'),
      token,
      allowedOrigins: list(env.SYN_MCP_ALLOWED_ORIGINS) ?? [],
      allowedHosts: list(env.SYN_MCP_ALLOWED_HOSTS) ?? [],
      trustedProxies: list(env.SYN_MCP_TRUSTED_PROXIES) ?? [],
      maxBodyBytes: 4 * 1024 * 1024,
      sessionIdleMs: intOption('--session-timeout', opt('session-timeout'), 1800, 1, 86_400) * 1000,
      maxSessionsPerPrincipal: envInt('SYN_MCP_MAX_SESSIONS_PER_PRINCIPAL', 100, 1, 1000),
      maxConnections: envInt('SYN_MCP_MAX_CONNECTIONS', 512, 4, 100_000),
      headersTimeoutMs: envInt('SYN_MCP_HEADERS_TIMEOUT', 10, 1, 600) * 1000,
      bodyTimeoutMs: envInt('SYN_MCP_BODY_TIMEOUT', 30, 1, 3600) * 1000,
    },
    toolsets: list(opt('toolsets')),
    tools: list(opt('tools')),
    readOnly: flag('read-only'),
    sandbox: flag('sandbox'),
    apps: !flag('no-apps'),
    logLevel,
    byokKeys,
    schemaProfile: profile as SchemaProfile | 'auto',
    maxResultChars: intOption('--max-result-chars', opt('max-result-chars'), 20_000, 2_000, 10_000_000),
    auditLog: env.SYN_MCP_AUDIT_LOG?.trim() || undefined,
    proxy: proxyFrom(env, onProblem),
    redisUrl: setting(
      'SYN_MCP_REDIS_URL',
      () =>
        redisUrlFrom(
          setting('SYN_MCP_REDIS_URL_FILE', () => secret(env, 'SYN_MCP_REDIS_URL', readFile), undefined),
        ),
      undefined,
    ),
    rateLimits: rateLimitsFrom(opt('rate-limit') ?? env.SYN_MCP_RATE_LIMIT),
    confirm: confirmModeFrom(opt('confirm')),
    stateKey: setting(
      'SYN_MCP_STATE_KEY',
      () =>
        stateKeyFrom(
          setting('SYN_MCP_STATE_KEY_FILE', () => secret(env, 'SYN_MCP_STATE_KEY', readFile), undefined),
        ),
      undefined,
    ),
    principals,
    oauth,
  };
  return deepFreeze(config);
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

/** SYN_MCP_REDIS_URL (or _FILE), checked; the value is never echoed (it may hold a password). */
function redisUrlFrom(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  let ok = false;
  try {
    const u = new URL(raw);
    ok = (u.protocol === 'redis:' || u.protocol === 'rediss:') && u.hostname !== '';
  } catch {
    ok = false;
  }
  if (!ok) {
    throw new ConfigError(
      'SYN_MCP_REDIS_URL: not a Redis URL (example: redis://:password@redis.internal:6379/0, or rediss:// for TLS).',
    );
  }
  return raw;
}

/** `--confirm`: destructive (default), writes or off. */
function confirmModeFrom(value: string | undefined): ConfirmMode {
  const mode = (value ?? 'destructive').trim().toLowerCase();
  if (!(CONFIRM_MODES as readonly string[]).includes(mode)) {
    throw new ConfigError(`--confirm: "${value}" is not one of ${CONFIRM_MODES.join(', ')}.`);
  }
  return mode as ConfirmMode;
}

/** SYN_MCP_STATE_KEY (or _FILE), checked; the value is never echoed. */
function stateKeyFrom(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  try {
    parseStateKey(raw);
  } catch (err) {
    throw new ConfigError(`SYN_MCP_STATE_KEY: ${(err as Error).message}`);
  }
  return raw;
}

/** `api=N/W[:B]` entries, comma separated. */
function rateLimitsFrom(text: string | undefined): Partial<Record<ServiceName, RateRule>> {
  const out: Partial<Record<ServiceName, RateRule>> = {};
  for (const entry of list(text) ?? []) {
    const eq = entry.indexOf('=');
    const api = entry.slice(0, eq).trim().toLowerCase() as ServiceName;
    if (eq === -1 || !SERVICES.includes(api)) {
      throw new ConfigError(
        `--rate-limit: "${entry}" must be api=N/W[:B] with api one of ${SERVICES.join(', ')} (example: synap=600/1m:50).`,
      );
    }
    const rule = parseRateRule(entry.slice(eq + 1));
    if (!rule) {
      throw new ConfigError(
        `--rate-limit: "${entry}": give N requests per window W, e.g. ${api}=60/1m or ${api}=500/1d ` +
          '(units ms, s, m, h, d; an optional :B caps back-to-back requests).',
      );
    }
    out[api] = rule;
  }
  return out;
}

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

/** The password of a proxy URL (`http://user:pass@host`), which is a secret like the keys. */
function proxyPassword(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const password = new URL(/^[a-z]+:\/\//i.test(url) ? url : `http://${url}`).password;
    return password ? decodeURIComponent(password) : undefined;
  } catch {
    return undefined;
  }
}

/** The credentials of configured services, as their records name them. */
function serviceSecrets(services: ServicesConfig): (string | undefined)[] {
  return APIS.flatMap((api) => {
    const s = services[api.name] as Partial<Record<string, string>> | undefined;
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
