import type { IncomingMessage, ServerResponse } from 'node:http';
import { isJsonContentType } from '@modelcontextprotocol/sdk/shared/mediaType.js';
import {
  isInitializeRequest,
  type JSONRPCMessage,
  JSONRPCMessageSchema,
  SUPPORTED_PROTOCOL_VERSIONS,
} from '@modelcontextprotocol/sdk/types.js';
import { ACCEPT, verdictOf } from '../accepts.js';
import type { Logger } from '../log.js';
import type { SynServer } from '../server.js';
import { type RpcAnswer, RpcSession, serialiseAnswer } from './rpc.js';

/** Most messages one POST may carry (the SDK's limit). */
const MAX_BATCH = 100;
/** Interval of the comment frames that keep an idle event stream open through proxies (the SDK's). */
const KEEP_ALIVE_MS = 15_000;

const JSON_HEADERS: Readonly<Record<string, string>> = { 'content-type': 'application/json' };
const SSE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/event-stream',
  'cache-control': 'no-cache, no-transform',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
};

/** How a StreamableHttp instance is set up (the subset of the SDK transport's options syn-mcp uses). */
export interface StreamableHttpOptions {
  /** Makes the instance one stateful session with this id maker; without it, it answers one stateless POST. */
  sessionIdGenerator?: () => string;
  /** Called with the new id once an initialize request opened the session, before it is answered. */
  onsessioninitialized?: (sessionId: string) => void;
  /** Where a refused request is reported (`protocol error: …` at warn, as the SDK Server's errors are). */
  log?: Logger;
}

/** An SSE event carrying one JSON-RPC message. */
const event = (message: unknown) => `event: message\ndata: ${JSON.stringify(message)}\n\n`;
const answerEvent = (answer: RpcAnswer) => `event: message\ndata: ${serialiseAnswer(answer)}\n\n`;

function isRequest(message: JSONRPCMessage): boolean {
  return 'method' in message && 'id' in message;
}

function wantsProgress(message: JSONRPCMessage): boolean {
  const params =
    'method' in message ? (message.params as { _meta?: { progressToken?: unknown } }) : undefined;
  return params?._meta?.progressToken !== undefined;
}

/**
 * Streamable HTTP (MCP 2025-03-26 and later) for one session, or one stateless POST, written against node's
 * request and response directly. It replaces the SDK's StreamableHTTPServerTransport + Server pair, which
 * converts every request and answer between node's and the web's Request/Response, streams each answer
 * through a ReadableStream, and, stateless, builds a Server per POST; requests go to an RpcSession instead.
 *
 * What it answers is what the SDK transport answers, status codes and messages included (same checks, same
 * order), with one difference the protocol leaves to the server: a POST whose requests carry no progress
 * token is answered with one `application/json` body (the client accepts it: it must list both types in
 * Accept), not an event stream; with a progress token the answer is an event stream carrying the progress
 * notifications and then the answers. A POST of notifications or responses only gets 202. A GET (stateful)
 * opens the session's one stream of server-initiated messages (syn-mcp sends none: it stays open with
 * keep-alive comments); DELETE ends the session. Where the SDK transport leaves a POST open for good, this
 * one ends it: 202 when every request in it was cancelled (notifications/cancelled: no answer is due), 404
 * Session not found when its session ended while it was being answered.
 */
export class StreamableHttp {
  /** The session id, once initialize has made one (stateful only). */
  sessionId: string | undefined;
  /** Called once when the session closes (DELETE or close()). */
  onclose: (() => void) | undefined;

  readonly #rpc: RpcSession;
  readonly #makeId: (() => string) | undefined;
  readonly #onInitialized: ((sessionId: string) => void) | undefined;
  readonly #log: Logger | undefined;
  #initialized = false;
  #closed = false;
  /** The GET stream, when the client has opened it. */
  #standalone: ServerResponse | undefined;
  /** Event streams of POSTs still being answered. */
  readonly #streams = new Set<ServerResponse>();

  constructor(server: SynServer, options: StreamableHttpOptions = {}) {
    this.#rpc = new RpcSession(server);
    this.#makeId = options.sessionIdGenerator;
    this.#onInitialized = options.onsessioninitialized;
    this.#log = options.log;
  }

  /** Number of requests being answered. */
  get inflight(): number {
    return this.#rpc.inflight;
  }

  /**
   * Answers one HTTP request to the MCP endpoint; `body` is the parsed JSON of a POST. Resolves once the answer
   * is complete (a GET: once its stream is open). Never rejects.
   */
  async handleRequest(req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void> {
    if (this.#closed) return this.#refuse(res, 404, -32001, 'Session not found');
    switch (req.method) {
      case 'POST':
        return this.#post(req, res, body);
      case 'GET':
        return this.#get(req, res);
      case 'DELETE':
        return this.#delete(req, res);
      default:
        return this.#refuse(res, 405, -32000, 'Method not allowed.', { allow: 'GET, POST, DELETE' });
    }
  }

  /** Ends the session: open streams end, requests in flight are stopped and their answers dropped. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#rpc.close();
    this.#standalone?.end();
    this.#standalone = undefined;
    for (const res of this.#streams) res.end();
    this.#streams.clear();
    this.onclose?.();
  }

  async #post(req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void> {
    const accept = req.headers.accept;
    if (!accept?.includes('application/json') || !accept.includes('text/event-stream')) {
      return this.#refuse(
        res,
        406,
        -32000,
        'Not Acceptable: Client must accept both application/json and text/event-stream',
      );
    }
    const type = req.headers['content-type'];
    if (type !== 'application/json' && !isJsonContentType(type)) {
      return this.#refuse(res, 415, -32000, 'Unsupported Media Type: Content-Type must be application/json');
    }
    const raw = Array.isArray(body) ? body : [body];
    if (raw.length > MAX_BATCH) {
      return this.#refuse(res, 400, -32600, `Invalid Request: Batch must not exceed ${MAX_BATCH} messages`);
    }
    const messages: JSONRPCMessage[] = [];
    for (const value of raw) {
      // A well-formed message is told without zod (accepts.ts); zod decides the rest.
      if (verdictOf(JSONRPCMessageSchema, value) === ACCEPT) {
        messages.push(value as JSONRPCMessage);
        continue;
      }
      const parsed = JSONRPCMessageSchema.safeParse(value);
      if (!parsed.success) return this.#refuse(res, 400, -32700, 'Parse error: Invalid JSON-RPC message');
      messages.push(parsed.data);
    }
    if (this.#closed) return this.#refuse(res, 404, -32001, 'Session not found');

    const initializing = messages.some(
      (m) => 'method' in m && m.method === 'initialize' && isInitializeRequest(m),
    );
    if (initializing) {
      if (this.#initialized && this.sessionId !== undefined) {
        return this.#refuse(res, 400, -32600, 'Invalid Request: Server already initialized');
      }
      if (messages.length > 1) {
        return this.#refuse(res, 400, -32600, 'Invalid Request: Only one initialization request is allowed');
      }
      this.sessionId = this.#makeId?.();
      this.#initialized = true;
      if (this.sessionId !== undefined) this.#onInitialized?.(this.sessionId);
    } else if (!this.#sessionOk(req, res) || !this.#versionOk(req, res)) {
      return;
    }

    if (!messages.some(isRequest)) {
      for (const message of messages) this.#rpc.receive(message);
      res.writeHead(202).end();
      return;
    }
    if (messages.some(wantsProgress)) return this.#answerAsStream(res, messages);

    const pending: Promise<RpcAnswer | undefined>[] = [];
    for (const message of messages) {
      const answer = this.#rpc.receive(message);
      if (answer) pending.push(answer);
    }
    const answers = (pending.length === 1 ? [await pending[0]] : await Promise.all(pending)).filter(
      (a): a is RpcAnswer => a !== undefined,
    );
    if (res.destroyed) return;
    if (this.#closed) return this.#refuse(res, 404, -32001, 'Session not found');
    // Every request was cancelled: MCP sends no answer to a cancelled request, and there is nothing else.
    if (answers.length === 0) {
      res.writeHead(202).end();
      return;
    }
    res.writeHead(
      200,
      this.sessionId === undefined
        ? JSON_HEADERS
        : { 'content-type': 'application/json', 'mcp-session-id': this.sessionId },
    );
    res.end(
      answers.length === 1
        ? serialiseAnswer(answers[0] as RpcAnswer)
        : `[${answers.map(serialiseAnswer).join(',')}]`,
    );
  }

  /** Answers a POST as an event stream: progress notifications as they come, each answer when it is ready. */
  async #answerAsStream(res: ServerResponse, messages: readonly JSONRPCMessage[]): Promise<void> {
    res.writeHead(200, this.#sseHeaders());
    res.flushHeaders();
    const open = () => !res.writableEnded && !res.destroyed;
    const write = (message: unknown) => {
      if (open()) res.write(event(message));
    };
    const writeAnswer = (answer: RpcAnswer) => {
      if (open()) res.write(answerEvent(answer));
    };
    const keepAlive = this.#keepAlive(res);
    this.#streams.add(res);
    const pending: Promise<void>[] = [];
    for (const message of messages) {
      const answer = this.#rpc.receive(message, write);
      if (answer) pending.push(answer.then((a) => a && writeAnswer(a)));
    }
    await Promise.all(pending);
    clearInterval(keepAlive);
    this.#streams.delete(res);
    if (!res.writableEnded) res.end();
  }

  #get(req: IncomingMessage, res: ServerResponse): void {
    if (!req.headers.accept?.includes('text/event-stream')) {
      this.#refuse(res, 406, -32000, 'Not Acceptable: Client must accept text/event-stream');
      return;
    }
    if (!this.#sessionOk(req, res) || !this.#versionOk(req, res)) return;
    if (this.#standalone) {
      this.#refuse(res, 409, -32000, 'Conflict: Only one SSE stream is allowed per session');
      return;
    }
    res.writeHead(200, this.#sseHeaders());
    res.flushHeaders();
    this.#standalone = res;
    const keepAlive = this.#keepAlive(res);
    res.once('close', () => {
      clearInterval(keepAlive);
      if (this.#standalone === res) this.#standalone = undefined;
    });
  }

  async #delete(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!this.#sessionOk(req, res) || !this.#versionOk(req, res)) return;
    res.writeHead(200).end();
    await this.close();
  }

  /** A stateful session's id check (the SDK's validateSession); answers and returns false when it fails. */
  #sessionOk(req: IncomingMessage, res: ServerResponse): boolean {
    if (this.#makeId === undefined) return true;
    if (!this.#initialized) {
      this.#refuse(res, 400, -32000, 'Bad Request: Server not initialized');
      return false;
    }
    const id = req.headers['mcp-session-id'];
    if (!id) {
      this.#refuse(res, 400, -32000, 'Bad Request: Mcp-Session-Id header is required');
      return false;
    }
    if (id !== this.sessionId) {
      this.#refuse(res, 404, -32001, 'Session not found');
      return false;
    }
    return true;
  }

  /** MCP-Protocol-Version, when sent, must be one this server speaks (400 otherwise). */
  #versionOk(req: IncomingMessage, res: ServerResponse): boolean {
    const version = req.headers['mcp-protocol-version'];
    if (version === undefined || SUPPORTED_PROTOCOL_VERSIONS.includes(String(version))) return true;
    const supported = SUPPORTED_PROTOCOL_VERSIONS.join(', ');
    this.#refuse(
      res,
      400,
      -32000,
      `Bad Request: Unsupported protocol version: ${String(version)} (supported versions: ${supported})`,
    );
    return false;
  }

  /** The event stream headers, with the session id when there is one. */
  #sseHeaders(): Readonly<Record<string, string>> {
    return this.sessionId === undefined ? SSE_HEADERS : { ...SSE_HEADERS, 'mcp-session-id': this.sessionId };
  }

  /** Comment frames every KEEP_ALIVE_MS on an event stream, until it closes. */
  #keepAlive(res: ServerResponse): NodeJS.Timeout {
    const timer = setInterval(() => {
      if (res.writableEnded || res.destroyed) clearInterval(timer);
      else res.write(': keepalive\n\n');
    }, KEEP_ALIVE_MS);
    timer.unref();
    res.once('close', () => clearInterval(timer));
    return timer;
  }

  /** A JSON-RPC error outside any request (id null), reported as the SDK transport reports it. */
  #refuse(
    res: ServerResponse,
    status: number,
    code: number,
    message: string,
    headers: Record<string, string> = {},
  ): void {
    this.#log?.warn(`protocol error: ${message}`);
    if (res.headersSent) {
      res.end();
      return;
    }
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }));
  }
}
