import type { Readable, Writable } from 'node:stream';
import {
  type JSONRPCMessage,
  parseJSONRPCMessage,
  type RequestId,
  type Transport,
} from '@modelcontextprotocol/server';

/** Longest line read (bytes), the same cap as an HTTP request body. */
export const MAX_LINE_BYTES = 4 * 1024 * 1024;

/** Longest wait for answers still owed once stdin has closed (each call has its own, shorter deadline). */
const DRAIN_LIMIT_MS = 90_000;

/** Requests handed to the server and not yet answered, beyond which no further line is read. */
export const MAX_OWED = 32;

const NEWLINE = 0x0a;
const PARSE_ERROR = -32700;
const INVALID_REQUEST = -32600;

/** Bytes kept from each end of a line too long to read, to find its request id. */
const EDGE_BYTES = 256;
const ID = String.raw`(-?\d{1,15}|"(?:[^"\\]|\\.){0,200}")`;
const ID_FIRST = new RegExp(String.raw`^\s*\{\s*(?:"jsonrpc"\s*:\s*"2\.0"\s*,\s*)?"id"\s*:\s*${ID}\s*,`);
const ID_LAST = new RegExp(String.raw`"id"\s*:\s*${ID}\s*\}\s*$`);

/** The top-level id of a JSON object known only by its first and last bytes (an oversized request). */
function idAtEdges(head: Buffer, tail: Buffer): RequestId | null {
  const found = ID_FIRST.exec(head.toString('utf8'))?.[1] ?? ID_LAST.exec(tail.toString('utf8'))?.[1];
  if (found === undefined) return null;
  try {
    const id: unknown = JSON.parse(found);
    return typeof id === 'string' || typeof id === 'number' ? id : null;
  } catch {
    return null;
  }
}

/** The request id of something that looks like a request, else null (JSON-RPC 2.0 §5). */
function requestIdOf(value: unknown): RequestId | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const { id, method } = value as { id?: unknown; method?: unknown };
  if (typeof method !== 'string') return null;
  return typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id)) ? id : null;
}

/**
 * The stdio wire under the SDK's `serveStdio`: newline-delimited JSON-RPC over stdin/stdout, where the
 * SDK's own StdioServerTransport falls short of what syn-mcp promises (issue 17 §3):
 * - every request read before stdin closes is answered, and the answers are flushed, before `onclose`
 *   (the SDK's transport closes at once on EOF and drops the answers still owed);
 * - backpressure: no line is handed to the server while stdout is not draining or MAX_OWED requests are
 *   unanswered (the rest of what was read waits, and stdin is paused), so a client that does not read
 *   holds the server's memory to a bounded number of answers;
 * - a line that is not a JSON-RPC message gets the error JSON-RPC 2.0 requires (-32700 not UTF-8 or not
 *   JSON, -32600 not a message, -32600 over MAX_LINE_BYTES with the request's id when its edges show it)
 *   and the next line is read as usual.
 * Only JSON-RPC frames are written to stdout; everything else the process says goes to stderr.
 */
export class StdioWire implements Transport {
  onclose?: (() => void) | undefined;
  onerror?: ((error: Error) => void) | undefined;
  onmessage?: ((message: JSONRPCMessage) => void) | undefined;
  /** Told when reading stops because stdout is not draining (the client is not reading its answers). */
  onstall?: (() => void) | undefined;

  readonly #input: Readable;
  readonly #output: Writable;
  readonly #maxLineBytes: number;
  readonly #decoder = new TextDecoder('utf-8', { fatal: true });
  /** Requests read and not yet answered, by id (a count, in case a client reuses an id). */
  readonly #owed = new Map<RequestId, number>();
  #owedCount = 0;
  /** Bytes read and not yet split into lines (held while the server may take no more). */
  #backlog: Buffer[] = [];
  #stalled = false;
  #chunks: Buffer[] = [];
  #size = 0;
  #skipping = false;
  #head: Buffer = Buffer.alloc(0);
  #tail: Buffer = Buffer.alloc(0);
  #ended = false;
  #closed = false;

  constructor(input: Readable, output: Writable, maxLineBytes = MAX_LINE_BYTES) {
    this.#input = input;
    this.#output = output;
    this.#maxLineBytes = maxLineBytes;
  }

  async start(): Promise<void> {
    this.#input.on('data', this.#onData);
    this.#input.on('error', this.#onError);
    this.#input.once('end', this.#onEnd);
    this.#input.once('close', this.#onEnd);
    this.#output.on('error', this.#onOutputError);
    this.#output.on('drain', this.#onDrain);
    if (this.#input.readableEnded) setImmediate(this.#onEnd);
  }

  /** Writes one frame; resolves once stdout has taken it (after a drain when its buffer was full). */
  send(message: JSONRPCMessage): Promise<void> {
    if ('id' in message && message.id !== undefined && ('result' in message || 'error' in message)) {
      this.#settle(message.id);
    }
    if (this.#closed) return Promise.resolve();
    const written = this.#write(`${JSON.stringify(message)}\n`);
    this.#pump();
    this.#maybeFinish();
    return written;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#input.off('data', this.#onData);
    this.#input.off('error', this.#onError);
    this.#input.off('end', this.#onEnd);
    this.#input.off('close', this.#onEnd);
    this.#output.off('drain', this.#onDrain);
    this.#input.pause();
    this.#chunks = [];
    this.#backlog = [];
    this.onclose?.();
  }

  #write(frame: string): Promise<void> {
    if (this.#output.write(frame)) return Promise.resolve();
    // Backpressure: read no more requests until the client has read what it is owed.
    this.#input.pause();
    if (!this.#stalled) {
      this.#stalled = true;
      this.onstall?.();
    }
    return new Promise((resolve) => this.#output.once('drain', resolve));
  }

  readonly #onDrain = (): void => {
    this.#stalled = false;
    this.#pump();
    this.#maybeFinish();
  };

  /** Whether the server may be handed another request now. */
  #canDeliver(): boolean {
    return !this.#closed && this.#owedCount < MAX_OWED && !this.#output.writableNeedDrain;
  }

  /** Splits what was read into lines while the server may take more; pauses stdin while some is held. */
  #pump(): void {
    while (this.#backlog.length > 0 && this.#canDeliver()) {
      const chunk = this.#backlog.shift() as Buffer;
      const rest = this.#consume(chunk);
      if (rest < chunk.length) this.#backlog.unshift(chunk.subarray(rest));
    }
    if (this.#closed) return;
    if (this.#backlog.length > 0 || this.#output.writableNeedDrain) this.#input.pause();
    else if (!this.#ended) this.#input.resume();
  }

  readonly #onError = (error: Error): void => {
    this.onerror?.(error);
  };

  /** stdout gone (EPIPE): nobody can read an answer any more. */
  readonly #onOutputError = (error: Error): void => {
    this.onerror?.(error);
    this.#owed.clear();
    this.#owedCount = 0;
    void this.close();
  };

  readonly #onEnd = (): void => {
    if (this.#ended) return;
    this.#ended = true;
    setTimeout(() => void this.close(), DRAIN_LIMIT_MS).unref();
    this.#maybeFinish();
  };

  /** Once stdin has ended, every line read has been handled, every answer owed written and flushed: close. */
  #maybeFinish(): void {
    if (!this.#ended || this.#closed || this.#owedCount > 0 || this.#backlog.length > 0) return;
    // Frames still buffered: an empty write's callback runs once every write before it has been flushed.
    if (this.#output.writableLength > 0) this.#output.write('', () => void this.close());
    else void this.close();
  }

  #owe(id: RequestId): void {
    this.#owed.set(id, (this.#owed.get(id) ?? 0) + 1);
    this.#owedCount++;
  }

  #settle(id: RequestId): void {
    const n = this.#owed.get(id);
    if (n === undefined) return;
    this.#owedCount--;
    if (n <= 1) this.#owed.delete(id);
    else this.#owed.set(id, n - 1);
  }

  readonly #onData = (chunk: Buffer | string): void => {
    this.#backlog.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    this.#pump();
  };

  /** Splits `data` into lines and handles them until the server may take no more; returns where it stopped. */
  #consume(data: Buffer): number {
    let start = 0;
    while (start < data.length) {
      if (!this.#canDeliver()) return start;
      const end = data.indexOf(NEWLINE, start);
      const piece = data.subarray(start, end === -1 ? data.length : end);
      if (this.#skipping) {
        this.#keepTail(piece);
      } else if (this.#size + piece.length > this.#maxLineBytes) {
        this.#skipping = true;
        this.#head = Buffer.concat([...this.#chunks, piece]).subarray(0, EDGE_BYTES);
        this.#tail = Buffer.alloc(0);
        this.#keepTail(piece);
        this.#chunks = [];
        this.#size = 0;
      } else if (piece.length > 0) {
        this.#chunks.push(piece);
        this.#size += piece.length;
      }
      if (end === -1) return data.length;
      start = end + 1;
      if (this.#skipping) {
        this.#skipping = false;
        const id = idAtEdges(this.#head, this.#tail);
        this.#reject(
          INVALID_REQUEST,
          `Invalid Request: a line is capped at ${this.#maxLineBytes} bytes.`,
          id,
        );
      } else {
        const line = Buffer.concat(this.#chunks, this.#size);
        this.#chunks = [];
        this.#size = 0;
        this.#line(line);
      }
    }
    return data.length;
  }

  #keepTail(piece: Buffer): void {
    const joined = Buffer.concat([this.#tail, piece.subarray(Math.max(0, piece.length - EDGE_BYTES))]);
    this.#tail = Buffer.from(joined.subarray(Math.max(0, joined.length - EDGE_BYTES)));
  }

  #line(bytes: Buffer): void {
    let text: string;
    try {
      text = this.#decoder.decode(bytes);
    } catch {
      this.#reject(PARSE_ERROR, 'Parse error: the line is not valid UTF-8.');
      return;
    }
    if (text.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      this.#reject(PARSE_ERROR, 'Parse error: the line is not valid JSON.');
      return;
    }
    let message: JSONRPCMessage;
    try {
      message = parseJSONRPCMessage(value);
    } catch {
      this.#reject(INVALID_REQUEST, 'Invalid Request: not a JSON-RPC 2.0 message.', requestIdOf(value));
      return;
    }
    if ('method' in message && 'id' in message) this.#owe(message.id);
    else if ('method' in message && message.method === 'notifications/cancelled') {
      // A cancelled request is not answered (MCP): nothing is owed for it any more.
      const id = (message.params as { requestId?: unknown } | undefined)?.requestId;
      if (typeof id === 'string' || typeof id === 'number') this.#settle(id);
    }
    this.onmessage?.(message);
  }

  /** Answers a line that is not a message (id null when it could not be read) and reports it. */
  #reject(code: number, message: string, id: RequestId | null = null): void {
    this.onerror?.(new Error(message));
    void this.#write(`${JSON.stringify({ jsonrpc: '2.0', id, error: { code, message } })}\n`);
  }
}
