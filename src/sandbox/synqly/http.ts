/**
 * The Synqly emulator's HTTP layer: a loopback server that reads JSON and multipart bodies (storage
 * uploads), keeps a request log, applies injected faults, routes by path template and checks the bearer
 * token's kind per surface (organization token → Management paths, integration token → Connector paths).
 */
import { createServer, type IncomingMessage, type ServerResponse, STATUS_CODES } from 'node:http';
import { type Fault, FaultInjector } from '../common/faults.js';
import { sendJson } from '../common/json-body.js';
import { emulatorHandle } from '../common/lifecycle.js';
import { playFault } from '../common/play-fault.js';
import {
  type EmulatorServer,
  headersToRecord,
  queryToRecord,
  type RecordedRequest,
} from '../common/server.js';
import type { AccessToken, SynqlyState } from './model.js';
import { forbidden, ProblemError, problemBody, problemForStatus, unauthorized } from './problem.js';

/** How a request body was read. */
export type BodyKind = 'empty' | 'json' | 'multipart' | 'malformed' | 'other';

/** A request after its body was read. */
export interface SynqlyRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: Record<string, string>;
  readonly bodyKind: BodyKind;
  /** Parsed JSON body (bodyKind `json`). */
  readonly json: unknown;
  /** Parsed multipart body (bodyKind `multipart`). */
  readonly form: FormData | undefined;
}

/** What a handler answers: JSON (200 unless `status`), raw bytes, or nothing (204). */
export type Reply = { status?: number; body: unknown } | { bytes: Buffer; contentType: string } | undefined;

/** What a handler gets. */
export interface RouteContext {
  readonly state: SynqlyState;
  readonly req: SynqlyRequest;
  readonly params: Record<string, string>;
  readonly now: number;
  /** The authenticated token (organization on Management routes, integration on Connector routes). */
  readonly token: AccessToken;
}

/** One endpoint. `:name` is one path segment; `*name` takes the rest (each segment decoded, joined by `/`). */
export interface Route {
  method: string;
  path: string;
  surface: 'management' | 'connector';
  body?: 'json' | 'multipart';
  handler(ctx: RouteContext): Reply | Promise<Reply>;
}

/** Options of the HTTP layer. */
export interface SynqlyHttpOptions {
  state: SynqlyState;
  routes: readonly Route[];
  maxBodyBytes: number;
}

/** The running server's handle. */
export type SynqlyHttp = EmulatorServer;

function matchRoute(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split('/');
  const got = path.split('/');
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i] ?? '';
    if (w.startsWith('*')) {
      const rest = got.slice(i);
      if (rest.length === 0 || rest.every((s) => s === '')) return undefined;
      try {
        params[w.slice(1)] = rest.map((s) => decodeURIComponent(s)).join('/');
      } catch {
        return undefined;
      }
      return params;
    }
    const g = got[i];
    if (g === undefined) return undefined;
    if (w.startsWith(':')) {
      if (g === '') return undefined;
      try {
        params[w.slice(1)] = decodeURIComponent(g);
      } catch {
        return undefined;
      }
    } else if (w !== g) {
      return undefined;
    }
  }
  return want.length === got.length ? params : undefined;
}

const MANAGEMENT_REMEDIATION =
  'Use an organization token for the Management API (/v1/accounts, /v1/integrations, /v1/tokens, ' +
  '/v1/integration-points).';
const CONNECTOR_REMEDIATION =
  'Use an integration token for the Connector API; create one with POST /v1/tokens/{accountId}/{integrationId}.';

/** Checks the bearer token for a surface; throws the 401/403 Problem Synqly answers. */
export function authenticate(
  state: SynqlyState,
  headers: Record<string, string>,
  surface: 'management' | 'connector',
  now: number,
): AccessToken {
  const remediation = surface === 'management' ? MANAGEMENT_REMEDIATION : CONNECTOR_REMEDIATION;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '');
  if (!match?.[1]) {
    throw unauthorized('Missing bearer token', remediation, 'Send Authorization: Bearer <token>.');
  }
  const token = state.tokens.get(match[1]);
  if (!token) throw unauthorized('Invalid or revoked token', remediation);
  if (now >= token.expires) {
    throw unauthorized(
      'Token expired',
      surface === 'connector'
        ? 'Create a new integration token with POST /v1/tokens/{accountId}/{integrationId}.'
        : 'Create a new organization token.',
      `The token expired at ${new Date(token.expires).toISOString()}.`,
    );
  }
  if (surface === 'management' && token.kind !== 'organization') {
    throw forbidden(
      'Integration tokens cannot be used with the Management API',
      MANAGEMENT_REMEDIATION,
      'This endpoint needs an organization token; an integration token was sent.',
    );
  }
  if (surface === 'connector' && token.kind !== 'integration') {
    throw forbidden(
      'Organization tokens cannot be used with the Connector API',
      CONNECTOR_REMEDIATION,
      'This endpoint needs an integration token; an organization token was sent.',
    );
  }
  if (token.integrationId !== undefined && !state.integrations.has(token.integrationId)) {
    throw unauthorized('Invalid or revoked token', CONNECTOR_REMEDIATION, 'Its integration was deleted.');
  }
  return token;
}

async function readBody(req: IncomingMessage, cap: number): Promise<{ bytes: Buffer; tooLarge: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size <= cap) chunks.push(buffer);
  }
  return { bytes: Buffer.concat(chunks), tooLarge: size > cap };
}

async function parseBody(
  bytes: Buffer,
  contentType: string,
): Promise<{ kind: BodyKind; json?: unknown; form?: FormData; recorded: unknown }> {
  if (bytes.length === 0) return { kind: 'empty', recorded: undefined };
  const text = bytes.toString('utf8');
  if (/multipart\/form-data/i.test(contentType)) {
    try {
      const form = await new Response(bytes, { headers: { 'content-type': contentType } }).formData();
      const parts: unknown[] = [];
      for (const [name, value] of form.entries()) {
        if (typeof value === 'string') parts.push({ name, value });
        else {
          const content = Buffer.from(await value.arrayBuffer());
          parts.push({ name, filename: value.name, type: value.type, size: content.length, content });
        }
      }
      return { kind: 'multipart', form, recorded: { form: parts } };
    } catch {
      return { kind: 'malformed', recorded: text };
    }
  }
  if (/json/i.test(contentType)) {
    try {
      const json: unknown = JSON.parse(text);
      return { kind: 'json', json, recorded: json };
    } catch {
      return { kind: 'malformed', recorded: text };
    }
  }
  return { kind: 'other', recorded: text };
}

/** Creates (without starting) the emulator server. */
export function createSynqlyHttp(opts: SynqlyHttpOptions): SynqlyHttp {
  const { state, routes } = opts;
  const faults = new FaultInjector('');
  const requests: RecordedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();

  const sendProblem = (res: ServerResponse, err: ProblemError, instance: string): void => {
    sendJson(res, err.init.status, problemBody(err.init, instance, state.clock.now()));
  };

  const applyFault = (
    fault: Fault,
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
  ): Promise<boolean> =>
    playFault(fault, req, res, {
      timers,
      errorBody: (status) =>
        problemForStatus(status, `${STATUS_CODES[status] ?? 'Error'}`, path, state.clock.now()),
    });

  const answer = (res: ServerResponse, reply: Reply): void => {
    if (reply === undefined) {
      res.writeHead(204);
      res.end();
    } else if ('bytes' in reply) {
      res.writeHead(200, { 'content-type': reply.contentType, 'content-length': String(reply.bytes.length) });
      res.end(reply.bytes);
    } else {
      sendJson(res, reply.status ?? 200, reply.body);
    }
  };

  const dispatch = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const at = state.clock.now();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = (req.method ?? 'GET').toUpperCase();
    const headers = headersToRecord(req);
    const path = url.pathname;
    let read: { bytes: Buffer; tooLarge: boolean };
    try {
      read = await readBody(req, opts.maxBodyBytes);
    } catch {
      req.socket.destroy();
      return;
    }
    const contentType = headers['content-type'] ?? '';
    const body = read.tooLarge
      ? { kind: 'other' as const, recorded: undefined }
      : await parseBody(read.bytes, contentType);
    requests.push({
      method,
      path,
      query: queryToRecord(url.searchParams),
      headers,
      body: body.recorded,
      at,
    });
    const fault = faults.take(method, path);
    if (fault !== undefined && !(await applyFault(fault, req, res, path))) return;
    try {
      if (read.tooLarge) {
        throw new ProblemError({
          status: 413,
          message: 'Request body too large',
          detail: `The body is larger than ${opts.maxBodyBytes} bytes.`,
        });
      }
      const trimmed = path.length > 1 ? path.replace(/\/+$/, '') : path;
      let found: { route: Route; params: Record<string, string> } | undefined;
      let otherMethod = false;
      for (const route of routes) {
        const params = matchRoute(route.path, trimmed);
        if (params === undefined) continue;
        if (route.method !== method) {
          otherMethod = true;
          continue;
        }
        found = { route, params };
        break;
      }
      if (!found) {
        throw new ProblemError(
          otherMethod
            ? { status: 405, message: `Method ${method} not allowed for ${path}` }
            : { status: 404, message: `No endpoint at ${method} ${path}` },
        );
      }
      const now = state.clock.now();
      const { route, params } = found;
      const token = authenticate(state, headers, route.surface, now);
      if (route.body === 'json' && body.kind !== 'empty' && body.kind !== 'json') {
        throw body.kind === 'malformed'
          ? new ProblemError({ status: 400, message: 'Request body is not valid JSON' })
          : new ProblemError({
              status: 415,
              message: 'Unsupported Media Type',
              detail: 'The request body must be JSON.',
              remediation: 'Send Content-Type: application/json.',
            });
      }
      if (route.body === 'multipart' && body.kind !== 'multipart') {
        throw body.kind === 'malformed'
          ? new ProblemError({ status: 400, message: 'Request body is not a valid multipart form' })
          : new ProblemError({
              status: 415,
              message: 'Unsupported Media Type',
              detail: 'Uploads must be multipart/form-data with a single part named "file".',
              remediation: 'Send Content-Type: multipart/form-data.',
            });
      }
      const synqlyReq: SynqlyRequest = {
        method,
        path,
        query: url.searchParams,
        headers,
        bodyKind: body.kind,
        json: 'json' in body ? body.json : undefined,
        form: 'form' in body ? body.form : undefined,
      };
      answer(res, await route.handler({ state, req: synqlyReq, params, now, token }));
    } catch (err) {
      if (!(err instanceof ProblemError)) throw err;
      sendProblem(res, err, path);
    }
  };

  const server = createServer((req, res) => {
    dispatch(req, res).catch((error: unknown) => {
      const detail = error instanceof Error ? error.message : String(error);
      sendProblem(
        res,
        new ProblemError({ status: 500, message: `Internal emulator error: ${detail}` }),
        req.url ?? '/',
      );
    });
  });

  return emulatorHandle(server, { requests, faults, timers });
}
