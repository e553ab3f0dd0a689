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

/** Why a request was refused, for the log (never the token). */
export type AuthFailure = 'no token' | 'unknown token';

/** The caller, or why there is none. */
export type AuthOutcome = { ok: true; caller: Caller } | { ok: false; reason: AuthFailure };

/** Decides who a request is from its Authorization header. */
export type Authenticate = (authorization: string | undefined) => AuthOutcome;

/** A principal that authenticates with a bearer token. */
export interface TokenPrincipal {
  name: string;
  /** SHA-256 of its token, lowercase hex. */
  tokenSha256: string;
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
    if (given === undefined) return { ok: false, reason: 'no token' };
    return timingSafeEqual(digest(given), expected)
      ? { ok: true, caller }
      : { ok: false, reason: 'unknown token' };
  };
}

/** Each caller as the principal whose token hash matches (SYN_MCP_PRINCIPALS_FILE). */
export function principalTokenAuth(principals: readonly TokenPrincipal[]): Authenticate {
  const table = principals.map((p) => ({
    digest: Buffer.from(p.tokenSha256, 'hex'),
    caller: { name: p.name, server: p.server } satisfies Caller,
  }));
  return (authorization) => {
    const given = bearerOf(authorization);
    if (given === undefined) return { ok: false, reason: 'no token' };
    const d = digest(given);
    let found: Caller | undefined;
    // Every entry compared, whatever matched: the time taken says nothing about which token is close.
    for (const entry of table) if (timingSafeEqual(d, entry.digest)) found = entry.caller;
    return found ? { ok: true, caller: found } : { ok: false, reason: 'unknown token' };
  };
}
