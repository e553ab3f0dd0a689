/** The shape of a loaded configuration: what `loadConfig` produces and every layer reads. */
import type { ApiRecordLiterals, ServiceName } from '../apis.js';
import type { ConfirmMode } from '../confirm/policy.js';
import type { LogLevel } from '../log.js';
import type { SchemaProfile } from '../profiles.js';
import type { RateRule } from '../state/rates.js';

/** Environment as read at startup (process.env, or a test's own object). */
export type Env = Readonly<Record<string, string | undefined>>;

/** The record of API `N` in src/apis.ts, with its literal types. */
type RecordOf<N extends ServiceName> = Extract<ApiRecordLiterals[number], { name: N }>;
/** The credentials of API `N`, one union member each. */
type CredentialOf<N extends ServiceName> = RecordOf<N>['credentials'][number];
/** The fields of the credentials that turn API `N` on. */
type EnablingField<N extends ServiceName> = Extract<CredentialOf<N>, { enables: true }>['field'];

/**
 * One API's configuration, as its record says: its base URL and one field per credential. A field is always
 * set when its credential is the only one that turns the API on (the API is absent otherwise); an extra
 * credential (SyncGuard's JWT), or one of several that each turn it on (Synqly's tokens), may be unset.
 */
export type ServiceConfig<N extends ServiceName> = { baseUrl: string } & {
  [C in CredentialOf<N> as C['field']]: [EnablingField<N>] extends [C['field']] ? string : string | undefined;
};

/**
 * The configured services, keyed by the records' names (so a ServiceName without a record fails to compile
 * where the services are looked up); a service without a credential is absent.
 */
export type ServicesConfig = { [N in ApiRecordLiterals[number]['name']]?: ServiceConfig<N> };

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
