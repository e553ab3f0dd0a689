/** The answers the HTTP transport writes itself, outside the SDK: JSON bodies and JSON-RPC errors. */
import type { ServerResponse } from 'node:http';

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** A JSON-RPC error response outside any session (id null), as the transport itself would write it. */
export function rpcError(
  res: ServerResponse,
  status: number,
  code: number,
  message: string,
  headers?: Record<string, string>,
) {
  sendJson(res, status, { jsonrpc: '2.0', error: { code, message }, id: null }, headers);
}

/** Answers a refused request and closes its connection: a client that failed gets no reusable socket. */
export function refuse(
  res: ServerResponse,
  status: number,
  message: string,
  headers: Record<string, string>,
) {
  res.shouldKeepAlive = false;
  rpcError(res, status, -32000, message, { ...headers, connection: 'close' });
}
