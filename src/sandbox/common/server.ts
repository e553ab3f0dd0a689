/**
 * The loopback HTTP server every emulator runs on: it records each request, plays injected faults, reads and
 * checks the JSON body, then hands the request to the emulator's handler. Nothing here knows about a
 * particular API: the emulator supplies its handler and its error envelope.
 */
import { createServer, type IncomingMessage, type ServerResponse, STATUS_CODES } from 'node:http';
import { type Clock, systemClock } from './clock.js';
import { type Fault, FaultInjector, type FaultRule } from './faults.js';
import { type BodyReadResult, DEFAULT_MAX_BODY_BYTES, readJsonBody, sendJson } from './json-body.js';
import { emulatorHandle } from './lifecycle.js';
import { playFault } from './play-fault.js';

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
