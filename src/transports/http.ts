/**
 * Serves Streamable HTTP at `/mcp` with the SDK, both eras on the one endpoint, decided per request by the
 * SDK's own classifier (`isLegacyRequest`): a 2026-07-28 request (the `_meta` envelope) is served on its
 * own by `createMcpHandler`, which validates the envelope against the Mcp-Method/Mcp-Name/MCP-Protocol-
 * Version headers; a 2025-11-25 client gets a stateful session (http-sessions.ts) or, with `--stateless`,
 * each request served on its own. In front of the SDK, ours: Host and Origin validation (http-hosts.ts, 403,
 * against DNS rebinding), bearer token (http-auth-gate.ts, 401), request body cap (http-body.ts, 413),
 * `/healthz` for load balancers (http-router.ts) and a drain for SIGTERM (http-drain.ts). This file listens,
 * drains and closes.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpConfig } from '../config.js';
import type { Logger } from '../log.js';
import type { SynServer } from '../server.js';
import { type Authenticate, singleTokenAuth } from './auth.js';
import { AuthGate } from './http-auth-gate.js';
import { Inflight } from './http-drain.js';
import { hostGuard } from './http-hosts.js';
import { type HealthSource, type ProtectedResource, routeRequests } from './http-router.js';
import { SdkHandlers } from './http-sdk.js';
import { SessionTable } from './http-sessions.js';

export type { HealthSource };

/** A listening HTTP server. */
export interface HttpHandle {
  /** The MCP endpoint, e.g. http://127.0.0.1:3000/mcp. */
  url: string;
  /** Number of open stateful sessions. */
  sessions(): number;
  /** Number of MCP requests being answered. */
  inflight(): number;
  /**
   * Graceful drain (SIGTERM): stops accepting connections, answers new requests 503 (nothing of them is
   * processed, so a load balancer may send them elsewhere), and resolves once every request in flight has
   * been answered or `timeoutMs` passed.
   */
  drain(timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

/** What serveHttp needs besides the server and its configuration. */
export interface HttpOptions {
  health?: HealthSource;
  /**
   * Who a request acts for (src/transports/auth.ts); default: `server` for everyone, behind
   * SYN_MCP_HTTP_TOKEN when it is set.
   */
  authenticate?: Authenticate;
  /** What the 401 tells the client to send (default `<SYN_MCP_HTTP_TOKEN>`). */
  tokenHint?: string;
  /**
   * OAuth resource-server mode: the RFC 9728 metadata document, and where it is served (named in every
   * 401/403 `WWW-Authenticate` as `resource_metadata`).
   */
  protectedResource?: ProtectedResource;
  /** Verifies a 2026-07-28 requestState (see ProtocolOptions.verifyState). */
  verifyState?: ((state: string) => unknown) | undefined;
}

export async function serveHttp(
  server: SynServer,
  cfg: HttpConfig,
  log: Logger,
  options: HttpOptions = {},
): Promise<HttpHandle> {
  const inflight = new Inflight();
  const sdk = new SdkHandlers(cfg, log, options.verifyState);
  const sessions = new SessionTable(cfg, log, (caller) => sdk.of(caller).sessionFactory);
  const httpServer = createServer(
    { connectionsCheckingInterval: Math.min(1_000, cfg.headersTimeoutMs) },
    routeRequests({
      cfg,
      log,
      health: options.health ?? { redis: () => 'off' },
      resource: options.protectedResource,
      inflight,
      hosts: hostGuard(cfg),
      gate: new AuthGate({
        authenticate: options.authenticate ?? singleTokenAuth(server, cfg.token),
        log,
        trustedProxies: cfg.trustedProxies,
        tokenHint: options.tokenHint,
        resourceMetadataUrl: options.protectedResource?.metadataUrl,
      }),
      sdk,
      sessions,
    }),
  );
  // An idle or slow unauthenticated connection is dropped once its headers are late; the body has its own
  // timeout (readJsonBody), and requestTimeout is the backstop of both.
  httpServer.headersTimeout = cfg.headersTimeoutMs;
  httpServer.maxConnections = cfg.maxConnections;
  // Longer than a load balancer's idle upstream connections (nginx keeps them 60 s): a proxy must never send
  // a request on a connection this server is closing at that very moment (it would answer 502).
  httpServer.keepAliveTimeout = 65_000;
  httpServer.requestTimeout = cfg.headersTimeoutMs + cfg.bodyTimeoutMs + 5_000;

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(cfg.port, cfg.host, () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  const addr = httpServer.address() as AddressInfo;
  const shownHost = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;

  return {
    url: `http://${shownHost}:${addr.port}/mcp`,
    sessions: () => sessions.size,
    inflight: () => inflight.count,
    async drain(timeoutMs) {
      inflight.draining = true;
      httpServer.close();
      httpServer.closeIdleConnections();
      await inflight.idle(timeoutMs);
    },
    async close() {
      const closing = new Promise<void>((resolve) => {
        if (!httpServer.listening) resolve();
        else httpServer.close(() => resolve());
      });
      await sessions.close();
      httpServer.closeIdleConnections();
      const grace = setTimeout(() => httpServer.closeAllConnections(), 2_000);
      grace.unref();
      await closing;
      clearTimeout(grace);
    },
  };
}
