/**
 * The stateful sessions of 2025-11-25 clients (the SDK's NodeStreamableHTTPServerTransport, one per
 * session): opened by `initialize`, each owned by the caller that opened it, capped per caller and in all,
 * and closed when idle.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { NodeStreamableHTTPServerTransport } from '@modelcontextprotocol/node';
import type { HttpConfig } from '../config.js';
import type { Logger } from '../log.js';
import type { serverFactory } from '../protocol.js';
import type { Caller } from './auth.js';
import { rpcError } from './http-replies.js';

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

function isInitialize(body: unknown): boolean {
  const first = Array.isArray(body) ? body[0] : body;
  return (
    typeof first === 'object' && first !== null && (first as { method?: unknown }).method === 'initialize'
  );
}

export class SessionTable {
  private readonly sessions = new Map<string, Session>();
  /** Open sessions per owner (ownerKey). */
  private readonly owned = new Map<string, number>();
  private readonly sweep: NodeJS.Timeout;

  constructor(
    private readonly cfg: Pick<HttpConfig, 'maxSessionsPerPrincipal' | 'sessionIdleMs'>,
    private readonly log: Logger,
    /** The SDK server factory of a caller's server. */
    private readonly factoryOf: (caller: Caller) => ReturnType<typeof serverFactory>,
  ) {
    this.sweep = setInterval(
      () => this.closeIdle(),
      Math.min(60_000, Math.max(1_000, Math.floor(cfg.sessionIdleMs / 2))),
    );
    this.sweep.unref();
  }

  get size(): number {
    return this.sessions.size;
  }

  /** Serves a 2025-era request: in its session, or opening one with `initialize`. */
  async handle(req: IncomingMessage, res: ServerResponse, body: unknown, caller: Caller): Promise<void> {
    const { cfg, sessions, owned } = this;
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
      if (transport.sessionId) this.forget(transport.sessionId);
    };
    const instance = await this.factoryOf(caller)({ era: 'legacy' });
    await instance.connect(transport);
    await transport.handleRequest(req, res, body);
  }

  /** Closes every session and stops the idle sweep. */
  async close(): Promise<void> {
    clearInterval(this.sweep);
    await Promise.allSettled([...this.sessions.values()].map((s) => s.transport.close()));
    this.sessions.clear();
    this.owned.clear();
  }

  /** Closes the sessions idle for longer than `--session-timeout` with nothing in flight. */
  private closeIdle(): void {
    const cutoff = Date.now() - this.cfg.sessionIdleMs;
    for (const [id, s] of this.sessions) {
      if (s.inflight === 0 && s.lastSeen < cutoff) {
        this.forget(id);
        this.log.debug(`session ${id.slice(0, 8)} idle: closed`);
        void s.transport.close();
      }
    }
  }

  /** Removes a session from the tables (its transport is closed by whoever called this, or closed itself). */
  private forget(id: string): void {
    const session = this.sessions.get(id);
    if (!session) return;
    this.sessions.delete(id);
    const key = ownerKey(session.owner);
    const left = (this.owned.get(key) ?? 1) - 1;
    if (left <= 0) this.owned.delete(key);
    else this.owned.set(key, left);
  }
}
