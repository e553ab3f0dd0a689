/**
 * Who an HTTP request acts for: the bearer token checked against SYN_MCP_HTTP_TOKEN (one shared identity)
 * or against the principals' token hashes (each caller its own server: tools, policy, upstream credentials).
 * Only SHA-256 digests are compared, in constant time, against every candidate (no early exit).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { SynServer } from '../server.js';

/** The identity a request acts as, and the server (tools and upstream credentials) that serves it. */
export interface Caller {
  /** The principal's name; undefined for the single token and an open loopback server. */
  name: string | undefined;
  server: SynServer;
}

/** Why a request was refused: for the log and the answer (never the token). */
export interface AuthFailure {
  ok: false;
  /** For the log: `no token`, `unknown token`, `invalid token (expired)`… */
  reason: string;
  /** 401 (default: who are you?) or 403 (known, but not allowed). */
  status?: 401 | 403;
  /** RFC 6750 error code for WWW-Authenticate. */
  error?: 'invalid_token' | 'insufficient_scope';
  /** The scopes needed (insufficient_scope). */
  scope?: string;
  /** The JSON-RPC error message, when not the default one. */
  message?: string;
}

/** The caller, or why there is none. */
export type AuthOutcome = { ok: true; caller: Caller } | AuthFailure;

/** Decides who a request is from its Authorization header. */
export type Authenticate = (authorization: string | undefined) => AuthOutcome | Promise<AuthOutcome>;

/** A principal of SYN_MCP_PRINCIPALS_FILE with its server: by token hash, by OAuth subject, or both. */
export interface TokenPrincipal {
  name: string;
  /** SHA-256 of its token, lowercase hex. */
  tokenSha256?: string | undefined;
  /** The OAuth `sub` that maps to it. */
  subject?: string | undefined;
  server: SynServer;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** The bearer token of an Authorization header, or undefined. */
export function bearerOf(authorization: string | undefined): string | undefined {
  const m = /^Bearer\s+(.+)$/i.exec(authorization ?? '');
  const token = m?.[1]?.trim();
  return token ? token : undefined;
}

/** One server for every caller: open when `token` is undefined (loopback), else the token is required. */
export function singleTokenAuth(server: SynServer, token: string | undefined): Authenticate {
  const caller: Caller = { name: undefined, server };
  if (token === undefined) return () => ({ ok: true, caller });
  const expected = digest(token);
  return (authorization) => {
    const given = bearerOf(authorization);
    if (given === undefined) return NO_TOKEN;
    return timingSafeEqual(digest(given), expected)
      ? { ok: true, caller }
      : { ok: false, reason: 'unknown token' };
  };
}

const NO_TOKEN: AuthFailure = { ok: false, reason: 'no token' };

/**
 * Each caller as the principal whose token hash matches (SYN_MCP_PRINCIPALS_FILE); with `oauth` (resource-
 * server mode), a token shaped as a JWT is verified by it instead, and its subject names the principal.
 */
export function principalAuth(
  principals: readonly TokenPrincipal[],
  oauth?: (token: string) => Promise<AuthOutcome>,
  isJwt: (token: string) => boolean = () => false,
): Authenticate {
  const table = principals.flatMap((p) =>
    p.tokenSha256 === undefined
      ? []
      : [
          {
            digest: Buffer.from(p.tokenSha256, 'hex'),
            caller: { name: p.name, server: p.server } satisfies Caller,
          },
        ],
  );
  return (authorization) => {
    const given = bearerOf(authorization);
    if (given === undefined) return NO_TOKEN;
    if (oauth && isJwt(given)) return oauth(given);
    const d = digest(given);
    let found: Caller | undefined;
    // Every entry compared, whatever matched: the time taken says nothing about which token is close.
    for (const entry of table) if (timingSafeEqual(d, entry.digest)) found = entry.caller;
    if (found) return { ok: true, caller: found };
    return oauth
      ? { ok: false, reason: 'unknown token', error: 'invalid_token' }
      : { ok: false, reason: 'unknown token' };
  };
}
