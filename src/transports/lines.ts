import type { Writable } from 'node:stream';
import { type JSONRPCMessage, JSONRPCMessageSchema } from '@modelcontextprotocol/sdk/types.js';
import { ACCEPT, verdictOf } from '../accepts.js';

/** Longest line read (bytes), the same cap as an HTTP request body. */
export const MAX_LINE_BYTES = 4 * 1024 * 1024;

const NEWLINE = 0x0a;
const PARSE_ERROR = -32700;
const INVALID_REQUEST = -32600;

/** Bytes kept from each end of a line too long to read, to find its request id. */
const EDGE_BYTES = 256;
const ID = String.raw`(-?\d{1,15}|"(?:[^"\\]|\\.){0,200}")`;
const ID_FIRST = new RegExp(String.raw`^\s*\{\s*(?:"jsonrpc"\s*:\s*"2\.0"\s*,\s*)?"id"\s*:\s*${ID}\s*,`);
const ID_LAST = new RegExp(String.raw`"id"\s*:\s*${ID}\s*\}\s*$`);

/**
 * The top-level id of a JSON object known only by its first and last bytes: a key `"id"` opening the object
 * (after `"jsonrpc"`) or closing it. Lets a client waiting on an oversized request get its answer.
 */
function idAtEdges(head: Buffer, tail: Buffer): string | number | null {
  const found = ID_FIRST.exec(head.toString('utf8'))?.[1] ?? ID_LAST.exec(tail.toString('utf8'))?.[1];
  if (found === undefined) return null;
  try {
    const id: unknown = JSON.parse(found);
    return typeof id === 'string' || typeof id === 'number' ? id : null;
  } catch {
    return null;
  }
}

/** A copy of the first `n` bytes of `chunks`. */
function firstBytes(chunks: readonly Buffer[], n: number): Buffer {
  const taken: Buffer[] = [];
  let size = 0;
  for (const chunk of chunks) {
    if (size >= n) break;
    taken.push(chunk.subarray(0, n - size));
    size += Math.min(chunk.length, n - size);
  }
  return Buffer.concat(taken, size);
}

/** The request id of something that looks like a request, else null (JSON-RPC 2.0 §5). */
function requestIdOf(value: unknown): string | number | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const { id, method } = value as { id?: unknown; method?: unknown };
  if (typeof method !== 'string') return null;
  return typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id)) ? id : null;
}

/** What the transport reads lines from: stdin, or stdin held since startup (transports/early.ts). */
export interface LineInput {
  on(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  off(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  off(event: 'error', listener: (error: Error) => void): unknown;
  listenerCount(event: 'data'): number;
  pause(): unknown;
}

/**
 * Newline-delimited JSON-RPC over a pair of streams (stdin/stdout). Unlike the SDK's StdioServerTransport,
 * which drops a bad line without an answer and closes itself for good on a line over 10 MiB, every line that
 * is not a JSON-RPC message gets the error JSON-RPC 2.0 requires and the next line is read as usual: bytes
 * that are not UTF-8 or not JSON → -32700 Parse error; JSON that is not a message → -32600 Invalid Request; a
 * line over `maxLineBytes` → -32600, skipped without being buffered, with the request's id when its first or
 * last bytes show it (so the client's request ends instead of hanging).
 */
export class LineTransport {
  onerror?: ((error: Error) => void) | undefined;
  onmessage?: ((message: JSONRPCMessage) => void) | undefined;

  readonly #input: LineInput;
  readonly #output: Writable;
  readonly #maxLineBytes: number;
  readonly #decoder = new TextDecoder('utf-8', { fatal: true });
  #chunks: Buffer[] = [];
  #size = 0;
  #skipping = false;
  #head: Buffer = Buffer.alloc(0);
  #tail: Buffer = Buffer.alloc(0);

  constructor(input: LineInput, output: Writable, maxLineBytes = MAX_LINE_BYTES) {
    this.#input = input;
    this.#output = output;
    this.#maxLineBytes = maxLineBytes;
  }

  async start(): Promise<void> {
    this.#input.on('data', this.#onData);
    this.#input.on('error', this.#onError);
    this.#output.on('error', this.#onError);
  }

  /** Writes one frame already serialised (without its newline). */
  write(frame: string): void {
    this.#output.write(`${frame}\n`);
  }

  async close(): Promise<void> {
    this.#input.off('data', this.#onData);
    this.#input.off('error', this.#onError);
    this.#output.off('error', this.#onError);
    if (this.#input.listenerCount('data') === 0) this.#input.pause();
    this.#chunks = [];
  }

  readonly #onError = (error: Error): void => {
    this.onerror?.(error);
  };

  readonly #onData = (chunk: Buffer | string): void => {
    const data = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    let start = 0;
    while (start < data.length) {
      const end = data.indexOf(NEWLINE, start);
      const piece = data.subarray(start, end === -1 ? data.length : end);
      if (this.#skipping) {
        this.#keepTail(piece);
      } else if (this.#size + piece.length > this.#maxLineBytes) {
        this.#skipping = true;
        this.#head = firstBytes([...this.#chunks, piece], EDGE_BYTES);
        this.#tail = Buffer.alloc(0);
        this.#keepTail(piece);
        this.#chunks = [];
        this.#size = 0;
      } else if (piece.length > 0) {
        this.#chunks.push(piece);
        this.#size += piece.length;
      }
      if (end === -1) return;
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
  };

  #keepTail(piece: Buffer): void {
    const joined = Buffer.concat([this.#tail, piece.subarray(Math.max(0, piece.length - EDGE_BYTES))]);
    this.#tail = Buffer.from(joined.subarray(Math.max(0, joined.length - EDGE_BYTES)));
  }

  #line(bytes: Buffer): void {
    const message = this.#parse(bytes);
    if (message) this.onmessage?.(message);
  }

  /** The message a line holds; undefined (after answering it) when it holds none. */
  #parse(bytes: Buffer): JSONRPCMessage | undefined {
    let text: string;
    try {
      text = this.#decoder.decode(bytes);
    } catch {
      this.#reject(PARSE_ERROR, 'Parse error: the line is not valid UTF-8.');
      return undefined;
    }
    if (text.trim() === '') return undefined;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      this.#reject(PARSE_ERROR, 'Parse error: the line is not valid JSON.');
      return undefined;
    }
    // A well-formed message is told without zod (accepts.ts); zod decides the rest.
    if (verdictOf(JSONRPCMessageSchema, value) === ACCEPT) return value as JSONRPCMessage;
    const parsed = JSONRPCMessageSchema.safeParse(value);
    if (!parsed.success) {
      this.#reject(INVALID_REQUEST, 'Invalid Request: not a JSON-RPC 2.0 message.', requestIdOf(value));
      return undefined;
    }
    return parsed.data;
  }

  /** Answers a line that is not a message (the id is null when it could not be read) and reports it. */
  #reject(code: number, message: string, id: string | number | null = null): void {
    this.onerror?.(new Error(message));
    // id null is what JSON-RPC 2.0 prescribes here.
    this.write(JSON.stringify({ jsonrpc: '2.0', id, error: { code, message } }));
  }
}
