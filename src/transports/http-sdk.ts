/**
 * The SDK's side of the endpoint: the handlers of each caller's server (built on its first request), and
 * which era the SDK would serve a request as.
 */
import type { IncomingMessage } from 'node:http';
import { type NodeIncomingMessageLike, toNodeHandler, toWebRequest } from '@modelcontextprotocol/node';
import { createMcpHandler, isLegacyRequest } from '@modelcontextprotocol/server';
import type { HttpConfig } from '../config.js';
import type { Logger } from '../log.js';
import { serverFactory } from '../protocol.js';
import type { SynServer } from '../server.js';
import type { Caller } from './auth.js';

/** The SDK handlers of one caller's server. */
export interface Handlers {
  /** Builds the server of a 2025 session. */
  sessionFactory: ReturnType<typeof serverFactory>;
  /** Serves a request on its own: every 2026-07-28 request, and with `--stateless` every request. */
  perRequest: ReturnType<typeof toNodeHandler>;
}

export class SdkHandlers {
  private readonly handlers = new Map<SynServer, Handlers>();

  constructor(
    private readonly cfg: Pick<HttpConfig, 'stateless' | 'maxBodyBytes'>,
    private readonly log: Logger,
    /** Verifies a 2026-07-28 requestState (see ProtocolOptions.verifyState). */
    private readonly verifyState: ((state: string) => unknown) | undefined,
  ) {}

  of(caller: Caller): Handlers {
    const { cfg, verifyState } = this;
    const target = caller.server;
    let h = this.handlers.get(target);
    if (h) return h;
    const onerror = (error: Error) => this.log.debug(`mcp: ${error.message}`, { principal: caller.name });
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
    this.handlers.set(target, h);
    return h;
  }

  /** Whether the SDK would serve this request as 2025-era traffic (a GET or DELETE always is). */
  async isLegacy(req: IncomingMessage, body: unknown): Promise<boolean> {
    if (req.method !== 'POST') return true;
    return isLegacyRequest(await toWebRequest(req as NodeIncomingMessageLike, body), body, {
      maxRequestBodySize: this.cfg.maxBodyBytes,
    });
  }
}
