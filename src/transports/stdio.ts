import { createLogger } from '../log.js';
import type { SynServer } from '../server.js';
import { takeEarlyInput } from './early.js';
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
 *
 * When the bin's fast start has been reading stdin since the process began (src/fast-start.ts), this takes
 * over what it held, in order. If it already answered `initialize`, the server still receives that request
 * (it records the client's name and capabilities from it) and its own answer, the same frame, is not sent
 * twice; `onMismatch` is told if it differs.
 */
export async function serveStdio(
  server: SynServer,
  onClosed: () => void,
  onMismatch: (ours: string, early: string) => void = reportMismatch,
): Promise<Running> {
  const early = takeEarlyInput();
  const input = early ?? process.stdin;
  const transport = new LineTransport(input, process.stdout);
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
  input.once('end', inputEnded);
  input.once('close', inputEnded);
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
  let answered = early?.answer;
  transport.send = async (message) => {
    try {
      if (answered && !('method' in message) && 'id' in message && message.id === answered.id) {
        const ours = JSON.stringify(message);
        if (ours !== answered.frame) onMismatch(ours, answered.frame);
        answered = undefined;
        return;
      }
      await send(message);
    } finally {
      if (!('method' in message) && 'id' in message && message.id !== undefined) {
        pending.delete(message.id);
        settle();
      }
    }
  };
  early?.release();
  return { close: () => mcp.close() };
}

/** A fast-start answer that differs from the server's own is a bug: say so on stderr. */
function reportMismatch(ours: string, early: string): void {
  createLogger().error("fast start: the early initialize answer differs from the server's own", undefined, {
    early,
    server: ours,
  });
}
