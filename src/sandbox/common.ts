/**
 * Building blocks shared by the sandbox emulators: a loopback HTTP server with a request log, capped JSON
 * body reading, fault injection (status, reset, delay, malformed body) and an injectable clock.
 * Nothing here knows about a particular API: the emulator supplies its handler and its error envelope.
 */
import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
  STATUS_CODES,
} from 'node:http';

/** Content type of every JSON answer the emulators send. */
export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/** Default cap on a request body (1 MiB). */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** A source of the current time in epoch milliseconds, injectable so tests control time. */
export interface Clock {
  now(): number;
}

/** The real wall clock. */
export const systemClock: Clock = { now: () => Date.now() };

/** A clock that only moves when told to (`set`, `advance`); starts at 2025-01-01T00:00:00Z by default. */
export class ManualClock implements Clock {
  #now: number;

  constructor(startMs: number = Date.UTC(2025, 0, 1)) {
    this.#now = checkedTime(startMs);
  }

  /** Current time in epoch milliseconds. */
  now(): number {
    return this.#now;
  }

  /** Jumps to `ms` (epoch milliseconds). */
  set(ms: number): void {
    this.#now = checkedTime(ms);
  }

  /** Moves forward (or backward, when negative) by `ms` milliseconds. */
  advance(ms: number): void {
    this.#now = checkedTime(this.#now + ms);
  }
}

function checkedTime(ms: number): number {
  if (!Number.isFinite(ms)) throw new RangeError(`clock time must be a finite number, got ${ms}`);
  return ms;
}

/** A failure an emulator can be told to produce instead of (or, for `delay`, before) its normal answer. */
export type Fault =
  | { kind: 'status'; status: number; retryAfter?: string; body?: unknown }
  | { kind: 'reset' }
  | { kind: 'delay'; ms: number }
  | { kind: 'malformed' }
  /** 200 headers and the start of a body, then silence for `ms` before the rest. */
  | { kind: 'slow-body'; ms: number }
  /** 200 headers and half a body, then the connection is reset. */
  | { kind: 'cut-body' }
  /** 200 with an HTML page where JSON was expected (a proxy's error page). */
  | { kind: 'wrong-content-type' }
  /** 200 with a valid JSON body of about `bytes` bytes. */
  | { kind: 'oversized'; bytes: number }
  /**
   * A redirect (the usual http→https one of a proxy or load balancer): `status` with `Location` and an empty
   * body, nothing done. `location` may be relative; absent, the same path on https.
   */
  | { kind: 'redirect'; status: 301 | 302 | 303 | 307 | 308; location?: string };

/** Which requests a fault applies to and how many times (default once; `Infinity` allowed). */
export interface FaultRule {
  fault: Fault;
  /** HTTP method, case-insensitive; any method when absent. */
  method?: string;
  /** Exact path (with or without the emulator's path prefix) or a RegExp tested on the full path. */
  path?: string | RegExp;
  times?: number;
}

/** One request as an emulator received it, kept for assertions in tests. */
export interface RecordedRequest {
  method: string;
  /** Full path without the query, e.g. `/api/v1/events`. */
  path: string;
  query: Record<string, string | string[]>;
  /** Header names lowercased; repeated headers joined with `, `. */
  headers: Record<string, string>;
  /** Parsed JSON body; the raw text when it was not JSON; `undefined` when there was none. */
  body: unknown;
  /** When the request arrived (epoch ms on the emulator's clock; the wall clock unless one was injected). */
  at: number;
}

/** Holds injected fault rules and hands out the first one that matches a request, counting down its uses. */
export class FaultInjector {
  readonly #rules: Array<{ rule: FaultRule; remaining: number }> = [];
  readonly #pathPrefix: string;

  constructor(pathPrefix = '') {
    this.#pathPrefix = pathPrefix;
  }

  /** Adds a rule; rules are tried in the order they were added. */
  inject(rule: FaultRule): void {
    const times = rule.times ?? 1;
    if (!(times > 0)) throw new RangeError(`FaultRule.times must be positive, got ${times}`);
    if (rule.fault.kind === 'delay' && !(rule.fault.ms >= 0)) {
      throw new RangeError(`delay fault needs ms >= 0, got ${rule.fault.ms}`);
    }
    this.#rules.push({ rule, remaining: times });
  }

  /** Removes every rule. */
  clear(): void {
    this.#rules.length = 0;
  }

  /** Number of rules still armed. */
  get size(): number {
    return this.#rules.length;
  }

  /** Returns the fault for this request, if any rule matches, and uses up one of that rule's times. */
  take(method: string, path: string): Fault | undefined {
    const index = this.#rules.findIndex(({ rule }) => this.#matches(rule, method, path));
    const entry = this.#rules[index];
    if (entry === undefined) return undefined;
    entry.remaining -= 1;
    if (entry.remaining <= 0) this.#rules.splice(index, 1);
    return entry.rule.fault;
  }

  #matches(rule: FaultRule, method: string, path: string): boolean {
    if (rule.method !== undefined && rule.method.toUpperCase() !== method.toUpperCase()) return false;
    const want = rule.path;
    if (want === undefined) return true;
    if (typeof want === 'string') return path === want || path === this.#pathPrefix + want;
    want.lastIndex = 0;
    return want.test(path);
  }
}

/** Starts `server` on 127.0.0.1 with an ephemeral port; resolves to its origin, e.g. `http://127.0.0.1:41234`. */
export function listenOnLoopback(server: Server): Promise<string> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    server.once('error', onError);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', onError);
      const address = server.address();
      if (address === null || typeof address === 'string') {
        reject(new Error('server did not bind a TCP port'));
        return;
      }
      resolve(`http://127.0.0.1:${address.port}`);
    });
  });
}

/** Stops `server`, dropping keep-alive and in-flight connections so it closes at once. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!server.listening) {
      resolve();
      return;
    }
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}

/** What reading a request body produced. */
export type BodyReadResult =
  | { kind: 'empty' }
  | { kind: 'json'; value: unknown }
  | { kind: 'malformed'; text: string }
  | { kind: 'too_large' };

/** Reads a request body, keeping at most `maxBytes` (the rest is drained), and parses it as JSON. */
export async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<BodyReadResult> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size <= maxBytes) chunks.push(buffer);
  }
  if (size > maxBytes) return { kind: 'too_large' };
  return parseJsonText(Buffer.concat(chunks).toString('utf8'));
}

/** Parses a body text: blank → `empty`, valid JSON → `json`, anything else → `malformed`. */
export function parseJsonText(text: string): BodyReadResult {
  if (text.trim() === '') return { kind: 'empty' };
  try {
    return { kind: 'json', value: JSON.parse(text) as unknown };
  } catch {
    return { kind: 'malformed', text };
  }
}

/** Sends `body` as JSON (`application/json; charset=utf-8`); does nothing when the answer already went out. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body) ?? 'null';
  res.writeHead(status, {
    ...headers,
    'content-type': JSON_CONTENT_TYPE,
    'content-length': String(Buffer.byteLength(text)),
  });
  res.end(text);
}

/** Query parameters as a record: a name given once maps to a string, a repeated name to an array. */
export function queryToRecord(params: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of params) {
    const seen = out[name];
    if (seen === undefined) out[name] = value;
    else if (Array.isArray(seen)) seen.push(value);
    else out[name] = [seen, value];
  }
  return out;
}

/** Request headers with lowercased names; repeated headers joined with `, `. */
export function headersToRecord(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** A request after its body has been read, as handed to an emulator's handler. */
export interface EmulatorRequest {
  readonly method: string;
  /** Full path without the query, e.g. `/api/v1/events`. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: Record<string, string>;
  /** Parsed JSON body, `undefined` when the request had none. */
  readonly body: unknown;
}

/** What an emulator plugs into `createEmulatorServer`. */
export interface EmulatorServerOptions {
  /** Answers one request; called after faults and body checks. */
  handle(req: EmulatorRequest, res: ServerResponse): void | Promise<void>;
  /** Builds the API's own error envelope (used for injected status faults, bad bodies and crashes). */
  errorBody(status: number, message: string, retryAfter?: string): unknown;
  /** Prefix that fault-rule string paths may leave out, e.g. `/api/v1`. */
  pathPrefix?: string;
  /** Largest accepted request body in bytes (default 1 MiB); larger bodies get a 413. */
  maxBodyBytes?: number;
  /** Clock stamping each recorded request's `at` (default: the wall clock). */
  clock?: Clock;
}

/** A loopback emulator HTTP server with a request log and fault injection. */
export interface EmulatorServer {
  /** Starts listening (once); resolves to the origin `http://127.0.0.1:PORT`. */
  listen(): Promise<string>;
  /** Stops the server and drops every connection, keep-alive ones included. */
  close(): Promise<void>;
  /** The origin once listening, otherwise `undefined`. */
  readonly origin: string | undefined;
  /** Every request received, in arrival order (faulted ones included). */
  readonly requests: RecordedRequest[];
  /** Arms a fault rule. */
  inject(rule: FaultRule): void;
  /** Disarms all fault rules. */
  clearFaults(): void;
}

const TRUNCATED_BODY = '{"isSuccess":true,"errorCode":0,"message":null,"data":{"id":"9d8c7b6a-5e4f';

/** Waits `ms`; resolves false (and clears the timer) if the client goes away first. */
export function waitOrClose(res: ServerResponse, ms: number, timers: Set<NodeJS.Timeout>): Promise<boolean> {
  return new Promise((resolve) => {
    const onClose = (): void => {
      clearTimeout(timer);
      timers.delete(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      timers.delete(timer);
      res.off('close', onClose);
      resolve(!res.destroyed);
    }, ms);
    timers.add(timer);
    res.once('close', onClose);
  });
}

/** What playFault needs from its emulator: the API's own error body, and the timer set closed on shutdown. */
export interface FaultContext {
  timers: Set<NodeJS.Timeout>;
  errorBody(status: number, retryAfter: string | undefined): unknown;
}

/**
 * Plays an injected fault on a response; resolves true when the request should then be handled normally
 * (`delay`), false when the fault was the whole answer. Shared by every emulator.
 */
export async function playFault(
  fault: Fault,
  req: IncomingMessage,
  res: ServerResponse,
  ctx: FaultContext,
): Promise<boolean> {
  switch (fault.kind) {
    case 'status': {
      const headers: Record<string, string> = {};
      if (fault.retryAfter !== undefined) headers['retry-after'] = fault.retryAfter;
      sendJson(
        res,
        fault.status,
        fault.body !== undefined ? fault.body : ctx.errorBody(fault.status, fault.retryAfter),
        headers,
      );
      return false;
    }
    case 'reset':
      req.socket.resetAndDestroy();
      return false;
    case 'malformed':
      res.writeHead(200, {
        'content-type': JSON_CONTENT_TYPE,
        'content-length': String(Buffer.byteLength(TRUNCATED_BODY)),
      });
      res.end(TRUNCATED_BODY);
      return false;
    case 'delay':
      return waitOrClose(res, fault.ms, ctx.timers);
    case 'slow-body': {
      const body = '{"slow":true,"items":[]}';
      res.writeHead(200, { 'content-type': JSON_CONTENT_TYPE, 'content-length': String(body.length) });
      res.write(body.slice(0, 5));
      if (await waitOrClose(res, fault.ms, ctx.timers)) res.end(body.slice(5));
      return false;
    }
    case 'cut-body':
      res.writeHead(200, { 'content-type': JSON_CONTENT_TYPE, 'content-length': '4096' });
      res.write(TRUNCATED_BODY, () => req.socket.resetAndDestroy());
      return false;
    case 'wrong-content-type': {
      const page = '<html><body><h1>502 Bad Gateway</h1></body></html>';
      res.writeHead(200, { 'content-type': 'text/html', 'content-length': String(page.length) });
      res.end(page);
      return false;
    }
    case 'redirect': {
      const host = req.headers.host ?? 'localhost';
      const location = fault.location ?? `https://${host}${req.url ?? '/'}`;
      res.writeHead(fault.status, { location, 'content-length': '0' });
      res.end();
      return false;
    }
    case 'oversized': {
      const body = JSON.stringify({ blob: 'x'.repeat(Math.max(0, fault.bytes - 12)) });
      res.writeHead(200, {
        'content-type': JSON_CONTENT_TYPE,
        'content-length': String(Buffer.byteLength(body)),
      });
      res.end(body);
      return false;
    }
  }
}

/** Creates (without starting) an emulator server around `options.handle`. */
export function createEmulatorServer(options: EmulatorServerOptions): EmulatorServer {
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const clock = options.clock ?? systemClock;
  const faults = new FaultInjector(options.pathPrefix ?? '');
  const requests: RecordedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();

  const sendError = (res: ServerResponse, status: number, message: string): void => {
    sendJson(res, status, options.errorBody(status, message));
  };

  /** Applies a fault; resolves true when the request should then be handled normally. */
  const applyFault = (fault: Fault, req: IncomingMessage, res: ServerResponse): Promise<boolean> =>
    playFault(fault, req, res, {
      timers,
      errorBody: (status, retryAfter) =>
        options.errorBody(status, `${STATUS_CODES[status] ?? 'Error'}.`, retryAfter),
    });

  const dispatch = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const at = clock.now();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = (req.method ?? 'GET').toUpperCase();
    const headers = headersToRecord(req);
    let body: BodyReadResult;
    try {
      body = await readJsonBody(req, maxBodyBytes);
    } catch {
      req.socket.destroy();
      return;
    }
    requests.push({
      method,
      path: url.pathname,
      query: queryToRecord(url.searchParams),
      headers,
      body: body.kind === 'json' ? body.value : body.kind === 'malformed' ? body.text : undefined,
      at,
    });
    const fault = faults.take(method, url.pathname);
    if (fault !== undefined && !(await applyFault(fault, req, res))) return;
    if (body.kind === 'too_large') {
      sendError(res, 413, `Request body is larger than ${maxBodyBytes} bytes.`);
      return;
    }
    if (body.kind === 'malformed') {
      sendError(res, 400, 'Request body is not valid JSON.');
      return;
    }
    await options.handle(
      {
        method,
        path: url.pathname,
        query: url.searchParams,
        headers,
        body: body.kind === 'json' ? body.value : undefined,
      },
      res,
    );
  };

  const server = createServer((req, res) => {
    dispatch(req, res).catch((error: unknown) => {
      const detail = error instanceof Error ? error.message : String(error);
      sendError(res, 500, `Internal emulator error: ${detail}`);
    });
  });

  return emulatorHandle(server, { requests, faults, timers });
}

/**
 * The handle of an emulator's HTTP server: listens once on loopback, closes it (with the fault timers still
 * pending), and exposes its request log and fault rules.
 */
export function emulatorHandle(
  server: Server,
  parts: { requests: RecordedRequest[]; faults: FaultInjector; timers: Set<NodeJS.Timeout> },
): EmulatorServer {
  const { requests, faults, timers } = parts;
  let origin: string | undefined;
  let listening: Promise<string> | undefined;
  return {
    listen(): Promise<string> {
      listening ??= listenOnLoopback(server).then((value) => {
        origin = value;
        return value;
      });
      return listening;
    },
    async close(): Promise<void> {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await closeServer(server);
      origin = undefined;
      listening = undefined;
    },
    get origin(): string | undefined {
      return origin;
    },
    requests,
    inject: (rule) => faults.inject(rule),
    clearFaults: () => faults.clear(),
  };
}

/** What a route table entry needs for matching: a method, a pattern with one group per parameter, their names. */
export interface RoutePattern {
  method: string;
  pattern: RegExp;
  names: readonly string[];
}

/**
 * The first route of `routes` for `method` whose pattern matches `path`, with its parameters percent-decoded;
 * undefined when none matches or a parameter is not valid percent-encoding.
 */
export function findRoute<R extends RoutePattern>(
  routes: readonly R[],
  method: string,
  path: string,
): { route: R; params: Record<string, string> } | undefined {
  for (const r of routes) {
    if (r.method !== method) continue;
    const m = r.pattern.exec(path);
    if (!m) continue;
    const params: Record<string, string> = {};
    try {
      r.names.forEach((name, i) => {
        params[name] = decodeURIComponent(m[i + 1] ?? '');
      });
    } catch {
      return undefined;
    }
    return { route: r, params };
  }
  return undefined;
}

/** The fault controls of an emulator whose API handler answers injected statuses itself. */
export interface SplitFaults {
  inject(rule: FaultRule): void;
  clearFaults(): void;
  /** The next `times` (default 1) requests answer the API's 429 with `Retry-After`. */
  rateLimit(opts: { retryAfterSeconds: number; times?: number }): void;
}

/**
 * Fault controls for an emulator whose handler answers status faults (`statusFaults`, so that they carry the
 * API's own headers) while the common server plays the others (resets, delays, malformed bodies).
 */
export function splitFaults(server: EmulatorServer, statusFaults: FaultInjector): SplitFaults {
  return {
    inject(rule) {
      if (rule.fault.kind === 'status') statusFaults.inject(rule);
      else server.inject(rule);
    },
    clearFaults() {
      statusFaults.clear();
      server.clearFaults();
    },
    rateLimit({ retryAfterSeconds, times = 1 }) {
      statusFaults.inject({
        fault: { kind: 'status', status: 429, retryAfter: String(retryAfterSeconds) },
        times,
      });
    },
  };
}
