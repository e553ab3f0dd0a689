import type { SynServer } from '../server.js';
import { LineTransport } from './lines.js';

/** A running transport that can be closed on shutdown. */
export interface Running {
  close(): Promise<void>;
}

/** Longest wait for requests still in flight once stdin has closed (each call has its own, shorter deadline). */
const DRAIN_LIMIT_MS = 90_000;

/**
 * Serves MCP over stdin/stdout. stdout carries nothing but MCP frames: the logger writes to stderr and the
 * CLI points console output there before this starts. Calls `onClosed` when the client has closed stdin and
 * every request read before that has been answered (`printf '…' | syn-mcp` gets all its answers).
 */
export async function serveStdio(server: SynServer, onClosed: () => void): Promise<Running> {
  const transport = new LineTransport(process.stdin, process.stdout);
  const mcp = server.connect();
  const pending = new Set<string | number>();
  let inputClosed = false;
  const settle = () => {
    if (inputClosed && pending.size === 0) onClosed();
  };
  const inputEnded = () => {
    if (inputClosed) return;
    inputClosed = true;
    setTimeout(onClosed, DRAIN_LIMIT_MS).unref();
    settle();
  };
  process.stdin.once('end', inputEnded);
  process.stdin.once('close', inputEnded);
  await mcp.connect(transport);

  const receive = transport.onmessage;
  transport.onmessage = (message) => {
    if ('method' in message) {
      if ('id' in message) pending.add(message.id);
      // A cancelled request gets no answer (MCP cancellation): stop waiting for it.
      else if (message.method === 'notifications/cancelled') {
        const id = message.params?.requestId;
        if (typeof id === 'string' || typeof id === 'number') pending.delete(id);
      }
    }
    receive?.(message);
  };
  const send = transport.send.bind(transport);
  transport.send = async (message) => {
    try {
      await send(message);
    } finally {
      if (!('method' in message) && 'id' in message && message.id !== undefined) {
        pending.delete(message.id);
        settle();
      }
    }
  };
  return { close: () => mcp.close() };
}
