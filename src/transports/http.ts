import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type NodeIncomingMessageLike,
  NodeStreamableHTTPServerTransport,
  toNodeHandler,
  toWebRequest,
} from '@modelcontextprotocol/node';
import { createMcpHandler, isLegacyRequest } from '@modelcontextprotocol/server';
import { type HttpConfig, isLoopbackHost } from '../config.js';
import type { Logger } from '../log.js';
import { serverFactory } from '../protocol.js';
import type { SynServer } from '../server.js';
import type { RedisHealth } from '../state/redis.js';
import { type Authenticate, type AuthFailure, type Caller, singleTokenAuth } from './auth.js';
import { AuthThrottle } from './auth-throttle.js';

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

/** What /healthz reports besides the process being up. */
export interface HealthSource {
  /** Shared state (SYN_MCP_REDIS_URL): `off` when not configured. */
  redis(): RedisHealth;
}

interface Session {
  transport: NodeStreamableHTTPServerTransport;
  lastSeen: number;
  inflight: number;
  /** The principal that opened it (undefined: the single token); no other caller may use it. */
  owner: string | undefined;
}

/** The key of a caller in per-caller tables (the single token's is the empty string: no principal has it). */
const ownerKey = (name: string | undefined): string => name ?? '';

const MAX_SESSIONS = 1000;
/**
 * Slowed 401s one source address may have waiting at once; past it, its requests are refused before their
 * token is even looked at, so parallel guessing gains nothing and cannot fill the connection cap.
 */
const MAX_SLOWED_PER_SOURCE = 8;

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** A JSON-RPC error response outside any session (id null), as the transport itself would write it. */
function rpcError(
  res: ServerResponse,
  status: number,
  code: number,
  message: string,
  headers?: Record<string, string>,
) {
  sendJson(res, status, { jsonrpc: '2.0', error: { code, message }, id: null }, headers);
}

/** An address as sockets report it, without the IPv4-mapped IPv6 prefix. */
function normalAddress(address: string): string {
  return address.toLowerCase().replace(/^::ffff:/, '');
}

/** Host header → hostname without port (IPv6 kept in brackets). */
function hostnameOf(host: string): string {
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1);
  const colon = host.lastIndexOf(':');
  return colon === -1 ? host : host.slice(0, colon);
}

class BodyTooLarge extends Error {}
class BodyTimeout extends Error {}

/**
 * Reads and parses a JSON body of at most `cap` bytes. Stream events rather than an async iterator: the
 * iterator costs tens of µs per request, on every request.
 */
function readJsonBody(req: IncomingMessage, cap: number, timeoutMs: number): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > cap) return Promise.reject(new BodyTooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    // A body that stalls holds its buffers and its socket: it has timeoutMs to arrive whole.
    const timer = setTimeout(() => {
      stop();
      reject(new BodyTimeout());
    }, timeoutMs);
    timer.unref();
    const stop = () => {
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= cap) {
        chunks.push(chunk);
        return;
      }
      // Not destroyed: an oversized body is drained by tooLarge(), not reset.
      stop();
      req.pause();
      reject(new BodyTooLarge());
    };
    const onEnd = () => {
      stop();
      try {
        resolve(JSON.parse(Buffer.concat(chunks, size).toString('utf8')));
      } catch (err) {
        reject(err);
      }
    };
    const onError = (err: Error) => {
      stop();
      reject(err);
    };
    const onClose = () => {
      stop();
      reject(new Error('the request closed before its body ended'));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

/** How long a 413 connection goes on reading (and discarding) an oversized body before it closes. */
const LINGER_MS = 5_000;

/**
 * Answers 413 and closes gracefully (RFC 9112 §9.6): the complete answer goes out, the rest of the body is
 * read and discarded, and only then (or after LINGER_MS) does the connection close. Closing with unread data
 * makes the kernel send a reset, and the client often loses the 413 it was about to read.
 */
function tooLarge(req: IncomingMessage, res: ServerResponse, cap: number): void {
  const text = JSON.stringify({
    jsonrpc: '2.0',
    error: { code: -32600, message: `Request body larger than ${cap} bytes.` },
    id: null,
  });
  res.writeHead(413, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
    connection: 'close',
  });
  res.write(text);
  let done = false;
  const finish = () => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    res.end();
  };
  const timer = setTimeout(finish, LINGER_MS);
  timer.unref();
  if (req.readableEnded) {
    finish();
    return;
  }
  req.once('end', finish);
  req.once('close', finish);
  req.resume();
}

function isInitialize(body: unknown): boolean {
  const first = Array.isArray(body) ? body[0] : body;
  return (
    typeof first === 'object' && first !== null && (first as { method?: unknown }).method === 'initialize'
  );
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
  protectedResource?: { metadataUrl: string; document: Record<string, unknown> };
  /** Verifies a 2026-07-28 requestState (see ProtocolOptions.verifyState). */
  verifyState?: ((state: string) => unknown) | undefined;
}

/**
 * Serves Streamable HTTP at `/mcp` with the SDK, both eras on the one endpoint, decided per request by the
 * SDK's own classifier (`isLegacyRequest`): a 2026-07-28 request (the `_meta` envelope) is served on its
 * own by `createMcpHandler`, which validates the envelope against the Mcp-Method/Mcp-Name/MCP-Protocol-
 * Version headers; a 2025-11-25 client gets a stateful session (NodeStreamableHTTPServerTransport, idle
 * sessions reclaimed) or, with `--stateless`, each request served on its own. In front of the SDK, ours:
 * Host and Origin validation (403, against DNS rebinding), bearer token (401), request body cap (413),
 * `/healthz` for load balancers and a drain for SIGTERM.
 */
export async function serveHttp(
  server: SynServer,
  cfg: HttpConfig,
  log: Logger,
  options: HttpOptions = {},
): Promise<HttpHandle> {
  const health = options.health ?? { redis: () => 'off' };
  const sessions = new Map<string, Session>();
  let draining = false;
  let inflight = 0;
  const idleWaiters = new Set<() => void>();
  const requestDone = () => {
    inflight--;
    if (inflight === 0) for (const wake of idleWaiters) wake();
  };
  const authenticate = options.authenticate ?? singleTokenAuth(server, cfg.token);
  const throttle = new AuthThrottle();
  const trusted = new Set(cfg.trustedProxies.map(normalAddress));
  /**
   * The client's address: the peer's, or, when the peer is a trusted proxy, the nearest X-Forwarded-For hop
   * that is not one (read from the right: the left part is whatever the client wrote).
   */
  const sourceOf = (req: IncomingMessage): string => {
    const peer = normalAddress(req.socket.remoteAddress ?? 'unknown');
    if (!trusted.has(peer)) return peer;
    const header = req.headers['x-forwarded-for'];
    const hops = (Array.isArray(header) ? header.join(',') : (header ?? ''))
      .split(',')
      .map((h) => normalAddress(h.trim()))
      .filter((h) => h !== '');
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = hops[i];
      if (hop !== undefined && !trusted.has(hop)) return hop;
    }
    return peer;
  };
  /** Slowed 401s waiting, per source address. */
  const slowed = new Map<string, number>();
  /** Open sessions per owner (ownerKey). */
  const owned = new Map<string, number>();
  const loopbackBind = isLoopbackHost(cfg.host);
  const allowedHosts = new Set(cfg.allowedHosts.map((h) => h.toLowerCase()));
  const allowedOrigins = new Set(cfg.allowedOrigins.map((o) => o.toLowerCase().replace(/\/$/, '')));

  const hostAllowed = (host: string | undefined): boolean => {
    if (!host) return false;
    const h = host.toLowerCase();
    if (allowedHosts.has(h) || allowedHosts.has(hostnameOf(h))) return true;
    if (isLoopbackHost(hostnameOf(h))) return true;
    // Bound to a public address with a token and no host list: the token is the guard.
    return !loopbackBind && allowedHosts.size === 0;
  };
  const originAllowed = (origin: string | undefined): boolean => {
    if (origin === undefined) return true;
    const o = origin.toLowerCase();
    if (allowedOrigins.has(o)) return true;
    try {
      const u = new URL(o);
      return (u.protocol === 'http:' || u.protocol === 'https:') && isLoopbackHost(u.hostname);
    } catch {
      return false;
    }
  };

  const verifyState = options.verifyState;
  /** The SDK handlers of one caller's server, built on its first request. */
  interface Handlers {
    sessionFactory: ReturnType<typeof serverFactory>;
    perRequest: ReturnType<typeof toNodeHandler>;
  }
  const handlers = new Map<SynServer, Handlers>();
  const handlersOf = (caller: Caller): Handlers => {
    const target = caller.server;
    let h = handlers.get(target);
    if (h) return h;
    const onerror = (error: Error) => log.debug(`mcp: ${error.message}`, { principal: caller.name });
    h = {
      sessionFactory: serverFactory(target, { legacyCanElicit: true, verifyState }),
      // --stateless: every request, of either era, on its own (the SDK's default legacy posture).
      // Stateful: modern requests on their own (legacy 'reject' never builds a 2025 instance), 2025 in sessions.
      perRequest: toNodeHandler(
        createMcpHandler(serverFactory(target, { legacyCanElicit: !cfg.stateless, verifyState }), {
          legacy: cfg.stateless ? 'stateless' : 'reject',
          onerror,
          maxRequestBodySize: cfg.maxBodyBytes,
        }),
        { onerror, maxRequestBodySize: cfg.maxBodyBytes },
      ),
    };
    handlers.set(target, h);
    return h;
  };

  /** Answers a refused request and closes its connection: a client that failed gets no reusable socket. */
  const refuse = (res: ServerResponse, status: number, message: string, headers: Record<string, string>) => {
    res.shouldKeepAlive = false;
    rpcError(res, status, -32000, message, { ...headers, connection: 'close' });
  };

  async function handleStateful(
    req: IncomingMessage,
    res: ServerResponse,
    body: unknown,
    caller: Caller,
  ): Promise<void> {
    const sid = req.headers['mcp-session-id'];
    const id = Array.isArray(sid) ? sid[0] : sid;
    const key = ownerKey(caller.name);
    if (id) {
      const session = sessions.get(id);
      // Another principal's session is answered exactly as an unknown one: its id tells nothing.
      if (!session || ownerKey(session.owner) !== key)
        return rpcError(res, 404, -32001, 'Session not found: start a new session with initialize.');
      session.lastSeen = Date.now();
      session.inflight++;
      res.on('close', () => {
        session.inflight--;
        session.lastSeen = Date.now();
      });
      return session.transport.handleRequest(req, res, body);
    }
    if (req.method !== 'POST' || !isInitialize(body)) {
      return rpcError(
        res,
        400,
        -32000,
        'Bad Request: no valid mcp-session-id header; send initialize first.',
      );
    }
    // Per principal: one caller filling the table cannot lock the others out (the single token is one caller).
    if (caller.name !== undefined && (owned.get(key) ?? 0) >= cfg.maxSessionsPerPrincipal) {
      return rpcError(
        res,
        429,
        -32000,
        `Too many open sessions for this caller (${cfg.maxSessionsPerPrincipal}): end one (DELETE /mcp with its Mcp-Session-Id) or wait until an idle one is closed.`,
        { 'retry-after': '30' },
      );
    }
    if (sessions.size >= MAX_SESSIONS) {
      return rpcError(res, 503, -32000, 'Too many open sessions; retry later.', { 'retry-after': '5' });
    }
    const transport: NodeStreamableHTTPServerTransport = new NodeStreamableHTTPServerTransport({
      sessionIdGenerator: randomUUID,
      onsessioninitialized: (newId) => {
        sessions.set(newId, { transport, lastSeen: Date.now(), inflight: 0, owner: caller.name });
        owned.set(key, (owned.get(key) ?? 0) + 1);
      },
    });
    transport.onclose = () => {
      if (transport.sessionId) forget(transport.sessionId);
    };
    const instance = await handlersOf(caller).sessionFactory({ era: 'legacy' });
    await instance.connect(transport);
    await transport.handleRequest(req, res, body);
  }

  /** Removes a session from the tables (its transport is closed by whoever called this, or closed itself). */
  function forget(id: string): void {
    const session = sessions.get(id);
    if (!session) return;
    sessions.delete(id);
    const key = ownerKey(session.owner);
    const left = (owned.get(key) ?? 1) - 1;
    if (left <= 0) owned.delete(key);
    else owned.set(key, left);
  }

  /** Whether the SDK would serve this request as 2025-era traffic (a GET or DELETE always is). */
  async function isLegacy(req: IncomingMessage, body: unknown): Promise<boolean> {
    if (req.method !== 'POST') return true;
    return isLegacyRequest(await toWebRequest(req as NodeIncomingMessageLike, body), body, {
      maxRequestBodySize: cfg.maxBodyBytes,
    });
  }

  const resource = options.protectedResource;
  /** The paths of the RFC 9728 document: the resource's own (path-inserted) and the bare one. */
  const metadataPaths = new Set(
    resource ? [new URL(resource.metadataUrl).pathname, '/.well-known/oauth-protected-resource'] : [],
  );

  /** RFC 6750 §3 / RFC 9728 §5.1: the Bearer challenge of a refused request. */
  function challenge(failure: AuthFailure): string {
    const params: string[] = [];
    if (resource) params.push(`resource_metadata="${resource.metadataUrl}"`);
    if (failure.error) params.push(`error="${failure.error}"`);
    if (failure.scope) params.push(`scope="${failure.scope}"`);
    return params.length ? `Bearer ${params.join(', ')}` : 'Bearer';
  }

  /**
   * A refused authentication. A 401 (who are you?) is logged (source and reason, never the token) and slowed
   * per source; a 403 (a valid token without the scope or the principal) is logged and answered at once.
   */
  function unauthorized(req: IncomingMessage, res: ServerResponse, failure: AuthFailure): void {
    const source = sourceOf(req);
    const headers = { 'www-authenticate': challenge(failure) };
    if (failure.status === 403) {
      log.warn('authorization refused', { source, reason: failure.reason });
      const text = failure.scope
        ? `Forbidden: the token lacks the scope this server needs: ${failure.scope}.`
        : (failure.message ?? 'Forbidden.');
      refuse(res, 403, text, headers);
      return;
    }
    const { failures, delayMs } = throttle.fail(source);
    log.warn('authentication failed', { source, reason: failure.reason, failures, delayMs });
    const hint = options.tokenHint ?? '<SYN_MCP_HTTP_TOKEN>';
    const answer = () =>
      refuse(res, 401, failure.message ?? `Unauthorized: send Authorization: Bearer ${hint}.`, headers);
    if (delayMs === 0) {
      answer();
      return;
    }
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

  const httpServer = createServer(
    { connectionsCheckingInterval: Math.min(1_000, cfg.headersTimeoutMs) },
    (req, res) => {
      /** Who the request is from, once known: named in its failure line. */
      let who: string | undefined;
      void (async () => {
        const path = (req.url ?? '/').split('?')[0];
        if (path === '/healthz' && (req.method === 'GET' || req.method === 'HEAD')) {
          // For load balancers: no Host, Origin or token check, and nothing in it an attacker could use.
          const body = { status: draining ? 'draining' : 'ok', redis: health.redis(), inflight };
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
        if (draining) {
          res.shouldKeepAlive = false;
          return rpcError(
            res,
            503,
            -32000,
            'Server is shutting down: nothing was processed; send it again.',
            {
              'retry-after': '1',
              connection: 'close',
            },
          );
        }
        // GET opens a long-lived event stream (stateful mode): it is closed on shutdown, not waited for.
        if (req.method !== 'GET') {
          inflight++;
          res.once('close', requestDone);
        }
        if (!hostAllowed(req.headers.host))
          return refuse(res, 403, 'Forbidden: Host header not allowed.', {});
        if (!originAllowed(req.headers.origin)) return refuse(res, 403, 'Forbidden: Origin not allowed.', {});
        const source = sourceOf(req);
        if ((slowed.get(source) ?? 0) >= MAX_SLOWED_PER_SOURCE) {
          log.warn('authentication refused: too many failed attempts in progress from this address', {
            source,
          });
          return refuse(res, 429, 'Too many failed authentications from this address; retry later.', {
            'retry-after': '10',
          });
        }
        const auth = await authenticate(req.headers.authorization);
        if (!auth.ok) return unauthorized(req, res, auth);
        const { caller } = auth;
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
                source: sourceOf(req),
              });
              return refuse(res, 408, `Request body not received within ${cfg.bodyTimeoutMs / 1000} s.`, {});
            }
            return rpcError(res, 400, -32700, 'Parse error: the body is not valid JSON.');
          }
        }
        if (cfg.stateless || !(await isLegacy(req, body)))
          return handlersOf(caller).perRequest(req as NodeIncomingMessageLike, res, body);
        return handleStateful(req, res, body, caller);
      })().catch((err: unknown) => {
        log.error('HTTP request failed', err, { principal: who });
        rpcError(res, 500, -32603, 'Internal server error.');
      });
    },
  );
  // An idle or slow unauthenticated connection is dropped once its headers are late; the body has its own
  // timeout (readJsonBody), and requestTimeout is the backstop of both.
  httpServer.headersTimeout = cfg.headersTimeoutMs;
  httpServer.maxConnections = cfg.maxConnections;
  // Longer than a load balancer's idle upstream connections (nginx keeps them 60 s): a proxy must never send
  // a request on a connection this server is closing at that very moment (it would answer 502).
  httpServer.keepAliveTimeout = 65_000;
  httpServer.requestTimeout = cfg.headersTimeoutMs + cfg.bodyTimeoutMs + 5_000;

  const sweep = setInterval(
    () => {
      const cutoff = Date.now() - cfg.sessionIdleMs;
      for (const [id, s] of sessions) {
        if (s.inflight === 0 && s.lastSeen < cutoff) {
          forget(id);
          log.debug(`session ${id.slice(0, 8)} idle: closed`);
          void s.transport.close();
        }
      }
    },
    Math.min(60_000, Math.max(1_000, Math.floor(cfg.sessionIdleMs / 2))),
  );
  sweep.unref();

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
    inflight: () => inflight,
    async drain(timeoutMs) {
      draining = true;
      httpServer.close();
      httpServer.closeIdleConnections();
      if (inflight === 0) return;
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          idleWaiters.delete(done);
          resolve();
        };
        const timer = setTimeout(done, timeoutMs);
        timer.unref();
        idleWaiters.add(done);
      });
    },
    async close() {
      clearInterval(sweep);
      const closing = new Promise<void>((resolve) => {
        if (!httpServer.listening) resolve();
        else httpServer.close(() => resolve());
      });
      await Promise.allSettled([...sessions.values()].map((s) => s.transport.close()));
      sessions.clear();
      owned.clear();
      httpServer.closeIdleConnections();
      const grace = setTimeout(() => httpServer.closeAllConnections(), 2_000);
      grace.unref();
      await closing;
      clearTimeout(grace);
    },
  };
}
