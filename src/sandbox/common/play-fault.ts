/** Playing an injected fault on a response: a status, a reset, a delay or a damaged body. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Fault } from './faults.js';
import { JSON_CONTENT_TYPE, sendJson } from './json-body.js';

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
 * (`delay`, `lost-answer`), false when the fault was the whole answer. Shared by every emulator.
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
    case 'lost-answer': {
      // The handler runs and writes its answer; the first byte of it resets the connection instead.
      const drop = (): boolean => {
        req.socket.resetAndDestroy();
        return true;
      };
      res.write = drop as typeof res.write;
      res.end = ((): ServerResponse => {
        drop();
        return res;
      }) as typeof res.end;
      return true;
    }
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
