/**
 * The request body: read whole within its time and under its cap, and the 413 that closes gracefully when it
 * is over the cap.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export class BodyTooLarge extends Error {}
export class BodyTimeout extends Error {}

/**
 * Reads and parses a JSON body of at most `cap` bytes. Stream events rather than an async iterator: the
 * iterator costs tens of µs per request, on every request.
 */
export function readJsonBody(req: IncomingMessage, cap: number, timeoutMs: number): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > cap) return Promise.reject(new BodyTooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    // A body that stalls holds its buffers and its socket: it has timeoutMs to arrive whole.
    const timer = setTimeout(() => {
      stop();
      reject(new BodyTimeout());
    }, timeoutMs);
    timer.unref();
    const stop = () => {
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= cap) {
        chunks.push(chunk);
        return;
      }
      // Not destroyed: an oversized body is drained by tooLarge(), not reset.
      stop();
      req.pause();
      reject(new BodyTooLarge());
    };
    const onEnd = () => {
      stop();
      try {
        resolve(JSON.parse(Buffer.concat(chunks, size).toString('utf8')));
      } catch (err) {
        reject(err);
      }
    };
    const onError = (err: Error) => {
      stop();
      reject(err);
    };
    const onClose = () => {
      stop();
      reject(new Error('the request closed before its body ended'));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

/** How long a 413 connection goes on reading (and discarding) an oversized body before it closes. */
const LINGER_MS = 5_000;

/**
 * Answers 413 and closes gracefully (RFC 9112 §9.6): the complete answer goes out, the rest of the body is
 * read and discarded, and only then (or after LINGER_MS) does the connection close. Closing with unread data
 * makes the kernel send a reset, and the client often loses the 413 it was about to read.
 */
export function tooLarge(req: IncomingMessage, res: ServerResponse, cap: number): void {
  const text = JSON.stringify({
    jsonrpc: '2.0',
    error: { code: -32600, message: `Request body larger than ${cap} bytes.` },
    id: null,
  });
  res.writeHead(413, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
    connection: 'close',
  });
  res.write(text);
  let done = false;
  const finish = () => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    res.end();
  };
  const timer = setTimeout(finish, LINGER_MS);
  timer.unref();
  if (req.readableEnded) {
    finish();
    return;
  }
  req.once('end', finish);
  req.once('close', finish);
  req.resume();
}
