/** Reading a capped JSON request body and sending a JSON answer, as every emulator does. */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Content type of every JSON answer the emulators send. */
export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/** Default cap on a request body (1 MiB). */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

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

/**
 * Statuses whose answer has no content (RFC 9110 §15.3.5, §15.3.6, §15.4.5). Node drops a body written to a
 * 204 or 304 but keeps the Content-Length it was given, which the client then reads as a truncated answer:
 * these go out with no body at all, whatever body a fault carries, as a real server sends them.
 */
const NO_CONTENT = new Set([204, 205, 304]);

/**
 * Sends `body` as JSON (`application/json; charset=utf-8`), or nothing for a no-content status; does nothing
 * when the answer already went out.
 */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent || res.destroyed) return;
  if (NO_CONTENT.has(status)) {
    // 205 is not among Node's bodiless statuses: an explicit zero length keeps it from being chunked.
    res.writeHead(status, status === 205 ? { ...headers, 'content-length': '0' } : headers);
    res.end();
    return;
  }
  const text = JSON.stringify(body) ?? 'null';
  res.writeHead(status, {
    ...headers,
    'content-type': JSON_CONTENT_TYPE,
    'content-length': String(Buffer.byteLength(text)),
  });
  res.end(text);
}
