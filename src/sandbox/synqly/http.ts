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
import { authenticate } from './auth.js';
import { parseBody, readBody } from './body.js';
import type { SynqlyState } from './model.js';
import { ProblemError, problemBody, problemForStatus } from './problem.js';
import { matchRoute, type Reply, type Route, type SynqlyRequest } from './route.js';

/** Options of the HTTP layer. */
export interface SynqlyHttpOptions {
  state: SynqlyState;
  routes: readonly Route[];
  maxBodyBytes: number;
}

/** The running server's handle. */
export type SynqlyHttp = EmulatorServer;

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
