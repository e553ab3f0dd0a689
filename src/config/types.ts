/** The shape of a loaded configuration: what `loadConfig` produces and every layer reads. */
import type { ConfirmMode } from '../confirm/policy.js';
import type { ServiceName } from '../errors.js';
import type { LogLevel } from '../log.js';
import type { SchemaProfile } from '../profiles.js';
import type { RateRule } from '../state/rates.js';

/** Environment as read at startup (process.env, or a test's own object). */
export type Env = Readonly<Record<string, string | undefined>>;

// The per-API types below name the `field`s of each record's credentials in src/apis.ts (typed as plain
// ApiRecord values there, so the types cannot be derived from them); the values are built from the records.

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
