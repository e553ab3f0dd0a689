/**
 * OAuth 2.1 resource-server mode (`--oauth-issuer URL --resource URL`, issue 20; MCP authorization spec):
 * access tokens are JWTs signed by the issuer, verified here with `jose` against the issuer's JWKS
 * (discovered from its metadata at startup, cached; a key id not in the cache refetches once, at most every
 * 30 s; a failed refresh keeps the keys already held), with `iss`, `aud` (RFC 8707: this resource),
 * `exp`/`nbf` and the required scopes checked; the `sub` claim maps to a principal. The token is only ever
 * verified: it is never sent upstream.
 */
import {
  createLocalJWKSet,
  errors,
  type JSONWebKeySet,
  type JWTPayload,
  type JWTVerifyGetKey,
  jwtVerify,
} from 'jose';
import { ConfigError } from '../errors.js';
import type { Logger } from '../log.js';
import type { AuthOutcome, Caller } from './auth.js';

/** What the CLI configures for OAuth mode. */
export interface OAuthSettings {
  issuer: string;
  /** This server's resource identifier (RFC 8707), the `aud` every token must carry. */
  resource: string;
  /** Scopes every token must carry. */
  scopes: readonly string[];
}

/** The issuer's metadata this server uses. */
export interface IssuerMetadata {
  issuer: string;
  jwksUri: string;
}

/** Signature algorithms accepted (asymmetric only: the issuer's public keys are all this server holds). */
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
const FETCH_TIMEOUT_MS = 10_000;

type FetchJson = (url: string) => Promise<unknown>;

/** GETs a JSON document (bounded by a timeout); throws on a network failure or a non-2xx answer. */
const fetchJson: FetchJson = async (url) => {
  const res = await fetch(url, {
    headers: { accept: 'application/json' },
    signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
    redirect: 'error',
  });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return res.json();
};

/** RFC 8414 §3 then OpenID Connect Discovery: the metadata URLs of an issuer, path-inserted. */
function metadataUrls(issuer: string): string[] {
  const u = new URL(issuer);
  const path = u.pathname.replace(/\/$/, '');
  return [
    `${u.origin}/.well-known/oauth-authorization-server${path}`,
    `${u.origin}${path}/.well-known/openid-configuration`,
  ];
}

/**
 * Discovers the issuer's JWKS URL from its metadata (RFC 8414, else OpenID Connect Discovery); the metadata
 * must name exactly this issuer. Throws ConfigError (startup: one line, exit 2) when it cannot.
 */
export async function discoverIssuer(issuer: string, get: FetchJson = fetchJson): Promise<IssuerMetadata> {
  const failures: string[] = [];
  for (const url of metadataUrls(issuer)) {
    let doc: unknown;
    try {
      doc = await get(url);
    } catch (err) {
      failures.push(`${url}: ${err instanceof Error ? err.message : String(err)}`);
      continue;
    }
    const meta = (typeof doc === 'object' && doc !== null ? doc : {}) as Record<string, unknown>;
    if (meta.issuer !== issuer) {
      throw new ConfigError(
        `--oauth-issuer ${issuer}: its metadata (${url}) names issuer ${JSON.stringify(meta.issuer)}; give exactly that issuer.`,
      );
    }
    if (typeof meta.jwks_uri !== 'string') {
      throw new ConfigError(`--oauth-issuer ${issuer}: its metadata (${url}) has no jwks_uri.`);
    }
    return { issuer, jwksUri: meta.jwks_uri };
  }
  throw new ConfigError(
    `--oauth-issuer ${issuer}: cannot read its metadata (${failures.join('; ')}); check the URL and that it is reachable.`,
  );
}

/**
 * The issuer's signing keys, held in memory: refreshed when older than `maxAgeMs` (a failed refresh keeps
 * the keys held), and refetched once for a key id it does not hold (at most every `cooldownMs`).
 */
export class JwksCache {
  private keys: JWTVerifyGetKey | undefined;
  private fetchedAt = 0;
  private lastAttempt = 0;
  /** When a key id not held last caused a refetch (0: never, so the first one refetches at once). */
  private lastKidRefetch = 0;
  private inflight: Promise<boolean> | undefined;

  constructor(
    private readonly uri: string,
    private readonly log: Logger,
    private readonly get: FetchJson = fetchJson,
    private readonly now: () => number = Date.now,
    private readonly maxAgeMs = 10 * 60_000,
    private readonly cooldownMs = 30_000,
  ) {}

  /** Fetches the key set; at startup a failure is a ConfigError. */
  async load(): Promise<void> {
    if (!(await this.refresh())) {
      throw new ConfigError(
        `--oauth-issuer: cannot read its key set at ${this.uri}; check that it is reachable.`,
      );
    }
  }

  /** One refetch at a time; true when the keys were replaced. */
  private refresh(): Promise<boolean> {
    this.inflight ??= (async () => {
      this.lastAttempt = this.now();
      try {
        const jwks = (await this.get(this.uri)) as JSONWebKeySet;
        this.keys = createLocalJWKSet(jwks);
        this.fetchedAt = this.now();
        return true;
      } catch (err) {
        this.log.warn('oauth: cannot refresh the issuer key set; the keys held are kept', {
          jwksUri: this.uri,
          failure: err instanceof Error ? err.message : String(err),
        });
        return false;
      } finally {
        this.inflight = undefined;
      }
    })();
    return this.inflight;
  }

  /** The key for a token's header (jose's getKey). */
  readonly getKey: JWTVerifyGetKey = async (header, token) => {
    if (this.now() - this.fetchedAt > this.maxAgeMs && this.now() - this.lastAttempt > this.cooldownMs) {
      await this.refresh();
    }
    const keys = this.keys;
    if (!keys) throw new errors.JWKSNoMatchingKey();
    try {
      return await keys(header, token);
    } catch (err) {
      // A key id not held: the issuer may have rotated its keys. Refetch once, never more often than the cooldown.
      if (!(err instanceof errors.JWKSNoMatchingKey)) throw err;
      if (this.lastKidRefetch !== 0 && this.now() - this.lastKidRefetch < this.cooldownMs) throw err;
      this.lastKidRefetch = this.now();
      if (!(await this.refresh()) || !this.keys) throw err;
      return this.keys(header, token);
    }
  };
}

/** The scopes a token grants (`scope`, space separated, or `scp`, a list). */
function scopesOf(payload: JWTPayload): Set<string> {
  const out = new Set<string>();
  if (typeof payload.scope === 'string') for (const s of payload.scope.split(' ')) if (s) out.add(s);
  if (Array.isArray(payload.scp)) for (const s of payload.scp) if (typeof s === 'string') out.add(s);
  return out;
}

/** The three-part shape of a JWS compact token. */
export function looksLikeJwt(token: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token);
}

/**
 * Verifies one access token: signature (issuer's keys), `iss`, `aud` = resource, `exp` (required), `nbf`,
 * scopes; then maps `sub` to a caller. Never throws: a failure is an outcome naming why (no token text).
 */
export function oauthVerifier(
  settings: OAuthSettings,
  keys: JwksCache,
  subjects: ReadonlyMap<string, Caller>,
): (token: string) => Promise<AuthOutcome> {
  return async (token) => {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys.getKey, {
        issuer: settings.issuer,
        audience: settings.resource,
        algorithms: ALGORITHMS,
        requiredClaims: ['exp', 'sub'],
      }));
    } catch (err) {
      return { ok: false, reason: `invalid token (${jwtFailure(err)})`, status: 401, error: 'invalid_token' };
    }
    const granted = scopesOf(payload);
    const missing = settings.scopes.filter((s) => !granted.has(s));
    if (missing.length > 0) {
      return {
        ok: false,
        reason: `insufficient scope (needs ${missing.join(' ')})`,
        status: 403,
        error: 'insufficient_scope',
        scope: settings.scopes.join(' '),
      };
    }
    const caller = subjects.get(String(payload.sub));
    if (!caller) {
      return {
        ok: false,
        reason: 'no principal for this subject',
        status: 403,
        message: 'Forbidden: this account has no access to this server (no principal for its subject).',
      };
    }
    return { ok: true, caller };
  };
}

/** A short, token-free reason for a failed verification. */
function jwtFailure(err: unknown): string {
  if (err instanceof errors.JWTExpired) return 'expired';
  if (err instanceof errors.JWTClaimValidationFailed) return `claim ${err.claim} ${err.reason}`;
  if (err instanceof errors.JWKSNoMatchingKey) return 'unknown signing key';
  if (err instanceof errors.JWSSignatureVerificationFailed) return 'bad signature';
  if (err instanceof errors.JOSEAlgNotAllowed) return 'algorithm not allowed';
  if (err instanceof errors.JOSEError) return err.code;
  return 'malformed';
}

/** The RFC 9728 metadata document of this resource. */
export function protectedResourceMetadata(settings: OAuthSettings): Record<string, unknown> {
  return {
    resource: settings.resource,
    authorization_servers: [settings.issuer],
    scopes_supported: settings.scopes,
    bearer_methods_supported: ['header'],
    resource_name: 'syn-mcp',
  };
}

/**
 * Where the RFC 9728 metadata of `resource` is served: `/.well-known/oauth-protected-resource` with the
 * resource's path appended (`https://h/mcp` → `https://h/.well-known/oauth-protected-resource/mcp`).
 */
export function resourceMetadataUrl(resource: string): string {
  const u = new URL(resource);
  const path = u.pathname === '/' ? '' : u.pathname.replace(/\/$/, '');
  return `${u.origin}/.well-known/oauth-protected-resource${path}`;
}
