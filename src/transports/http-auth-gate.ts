/**
 * Who may use the endpoint: the request's token (or OAuth access token) names its caller, and a refused one
 * is answered 401 (slowed per source address) or 403, with the Bearer challenge that says what to send.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../log.js';
import type { Authenticate, AuthFailure, Caller } from './auth.js';
import { AuthThrottle } from './auth-throttle.js';
import { refuse } from './http-replies.js';

/**
 * Slowed 401s one source address may have waiting at once; past it, its requests are refused before their
 * token is even looked at, so parallel guessing gains nothing and cannot fill the connection cap.
 */
const MAX_SLOWED_PER_SOURCE = 8;

/** An address as sockets report it, without the IPv4-mapped IPv6 prefix. */
function normalAddress(address: string): string {
  return address.toLowerCase().replace(/^::ffff:/, '');
}

export interface AuthGateOptions {
  authenticate: Authenticate;
  log: Logger;
  /** Proxies whose X-Forwarded-For names the client (SYN_MCP_TRUSTED_PROXIES). */
  trustedProxies: readonly string[];
  /** What the 401 tells the client to send (default `<SYN_MCP_HTTP_TOKEN>`). */
  tokenHint?: string | undefined;
  /** OAuth: the RFC 9728 metadata document's URL, named in every challenge. */
  resourceMetadataUrl?: string | undefined;
}

export class AuthGate {
  private readonly throttle = new AuthThrottle();
  /** Slowed 401s waiting, per source address. */
  private readonly slowed = new Map<string, number>();
  private readonly trusted: Set<string>;

  constructor(private readonly opts: AuthGateOptions) {
    this.trusted = new Set(opts.trustedProxies.map(normalAddress));
  }

  /**
   * The client's address: the peer's, or, when the peer is a trusted proxy, the nearest X-Forwarded-For hop
   * that is not one (read from the right: the left part is whatever the client wrote).
   */
  sourceOf(req: IncomingMessage): string {
    const peer = normalAddress(req.socket.remoteAddress ?? 'unknown');
    if (!this.trusted.has(peer)) return peer;
    const header = req.headers['x-forwarded-for'];
    const hops = (Array.isArray(header) ? header.join(',') : (header ?? ''))
      .split(',')
      .map((h) => normalAddress(h.trim()))
      .filter((h) => h !== '');
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = hops[i];
      if (hop !== undefined && !this.trusted.has(hop)) return hop;
    }
    return peer;
  }

  /** The request's caller, or undefined when the request was refused (and is being answered). */
  async admit(req: IncomingMessage, res: ServerResponse): Promise<Caller | undefined> {
    const source = this.sourceOf(req);
    if ((this.slowed.get(source) ?? 0) >= MAX_SLOWED_PER_SOURCE) {
      this.opts.log.warn('authentication refused: too many failed attempts in progress from this address', {
        source,
      });
      refuse(res, 429, 'Too many failed authentications from this address; retry later.', {
        'retry-after': '10',
      });
      return undefined;
    }
    const auth = await this.opts.authenticate(req.headers.authorization);
    if (auth.ok) return auth.caller;
    this.unauthorized(req, res, auth);
    return undefined;
  }

  /** RFC 6750 §3 / RFC 9728 §5.1: the Bearer challenge of a refused request. */
  private challenge(failure: AuthFailure): string {
    const params: string[] = [];
    if (this.opts.resourceMetadataUrl) params.push(`resource_metadata="${this.opts.resourceMetadataUrl}"`);
    if (failure.error) params.push(`error="${failure.error}"`);
    if (failure.scope) params.push(`scope="${failure.scope}"`);
    return params.length ? `Bearer ${params.join(', ')}` : 'Bearer';
  }

  /**
   * A refused authentication. A 401 (who are you?) is logged (source and reason, never the token) and slowed
   * per source; a 403 (a valid token without the scope or the principal) is logged and answered at once.
   */
  private unauthorized(req: IncomingMessage, res: ServerResponse, failure: AuthFailure): void {
    const { log } = this.opts;
    const source = this.sourceOf(req);
    const headers = { 'www-authenticate': this.challenge(failure) };
    if (failure.status === 403) {
      log.warn('authorization refused', { source, reason: failure.reason });
      const text = failure.scope
        ? `Forbidden: the token lacks the scope this server needs: ${failure.scope}.`
        : (failure.message ?? 'Forbidden.');
      refuse(res, 403, text, headers);
      return;
    }
    const { failures, delayMs } = this.throttle.fail(source);
    log.warn('authentication failed', { source, reason: failure.reason, failures, delayMs });
    const hint = this.opts.tokenHint ?? '<SYN_MCP_HTTP_TOKEN>';
    const answer = () =>
      refuse(res, 401, failure.message ?? `Unauthorized: send Authorization: Bearer ${hint}.`, headers);
    if (delayMs === 0) {
      answer();
      return;
    }
    const { slowed } = this;
    slowed.set(source, (slowed.get(source) ?? 0) + 1);
    const timer = setTimeout(answer, delayMs);
    timer.unref();
    res.once('close', () => {
      clearTimeout(timer);
      const left = (slowed.get(source) ?? 1) - 1;
      if (left <= 0) slowed.delete(source);
      else slowed.set(source, left);
    });
  }
}
