/**
 * One HTTP request, from the socket to the SDK: `/healthz` and the OAuth metadata document first (no guard),
 * then for `/mcp` the drain's 503, Host and Origin, the caller's token, the body cap, and the SDK (a request
 * on its own, or a 2025 client's session).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NodeIncomingMessageLike } from '@modelcontextprotocol/node';
import type { HttpConfig } from '../config.js';
import type { Logger } from '../log.js';
import type { RedisHealth } from '../state/redis.js';
import type { AuthGate } from './http-auth-gate.js';
import { BodyTimeout, BodyTooLarge, readJsonBody, tooLarge } from './http-body.js';
import type { Inflight } from './http-drain.js';
import type { HostGuard } from './http-hosts.js';
import { refuse, rpcError, sendJson } from './http-replies.js';
import type { SdkHandlers } from './http-sdk.js';
import type { SessionTable } from './http-sessions.js';

/** What /healthz reports besides the process being up. */
export interface HealthSource {
  /** Shared state (SYN_MCP_REDIS_URL): `off` when not configured. */
  redis(): RedisHealth;
}

/** OAuth resource-server mode: the RFC 9728 metadata document, and where it is served. */
export interface ProtectedResource {
  metadataUrl: string;
  document: Record<string, unknown>;
}

/** The parts a request goes through. */
export interface Router {
  cfg: HttpConfig;
  log: Logger;
  health: HealthSource;
  resource: ProtectedResource | undefined;
  inflight: Inflight;
  hosts: HostGuard;
  gate: AuthGate;
  sdk: SdkHandlers;
  sessions: SessionTable;
}

/** The request listener of the HTTP server. */
export function routeRequests(r: Router): (req: IncomingMessage, res: ServerResponse) => void {
  const { cfg, log, health, resource, inflight, hosts, gate, sdk, sessions } = r;
  /** The paths of the RFC 9728 document: the resource's own (path-inserted) and the bare one. */
  const metadataPaths = new Set(
    resource ? [new URL(resource.metadataUrl).pathname, '/.well-known/oauth-protected-resource'] : [],
  );

  return (req, res) => {
    /** Who the request is from, once known: named in its failure line. */
    let who: string | undefined;
    void (async () => {
      const path = (req.url ?? '/').split('?')[0];
      if (path === '/healthz' && (req.method === 'GET' || req.method === 'HEAD')) {
        // For load balancers: no Host, Origin or token check, and nothing in it an attacker could use.
        const { draining } = inflight;
        const body = {
          status: draining ? 'draining' : 'ok',
          redis: health.redis(),
          inflight: inflight.count,
        };
        return sendJson(res, draining ? 503 : 200, body, { 'cache-control': 'no-store' });
      }
      if (resource && path !== undefined && metadataPaths.has(path) && req.method === 'GET') {
        // RFC 9728: public, cacheable, readable from a browser-based client.
        return sendJson(res, 200, resource.document, {
          'cache-control': 'public, max-age=3600',
          'access-control-allow-origin': '*',
        });
      }
      if (path !== '/mcp') return sendJson(res, 404, { error: 'Not found: the MCP endpoint is /mcp.' });
      if (inflight.draining) {
        res.shouldKeepAlive = false;
        return rpcError(res, 503, -32000, 'Server is shutting down: nothing was processed; send it again.', {
          'retry-after': '1',
          connection: 'close',
        });
      }
      // GET opens a long-lived event stream (stateful mode): it is closed on shutdown, not waited for.
      if (req.method !== 'GET') inflight.track(res);
      if (!hosts.hostAllowed(req.headers.host))
        return refuse(res, 403, 'Forbidden: Host header not allowed.', {});
      if (!hosts.originAllowed(req.headers.origin))
        return refuse(res, 403, 'Forbidden: Origin not allowed.', {});
      const caller = await gate.admit(req, res);
      if (!caller) return;
      who = caller.name;
      let body: unknown;
      if (req.method === 'POST') {
        try {
          body = await readJsonBody(req, cfg.maxBodyBytes, cfg.bodyTimeoutMs);
        } catch (err) {
          if (err instanceof BodyTooLarge) return tooLarge(req, res, cfg.maxBodyBytes);
          if (err instanceof BodyTimeout) {
            log.warn('request body too slow: answered 408 and closed', {
              principal: caller.name,
              source: gate.sourceOf(req),
            });
            return refuse(res, 408, `Request body not received within ${cfg.bodyTimeoutMs / 1000} s.`, {});
          }
          return rpcError(res, 400, -32700, 'Parse error: the body is not valid JSON.');
        }
      }
      if (cfg.stateless || !(await sdk.isLegacy(req, body)))
        return sdk.of(caller).perRequest(req as NodeIncomingMessageLike, res, body);
      return sessions.handle(req, res, body, caller);
    })().catch((err: unknown) => {
      log.error('HTTP request failed', err, { principal: who });
      rpcError(res, 500, -32603, 'Internal server error.');
    });
  };
}
