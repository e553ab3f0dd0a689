import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { createLogger, type Logger } from '../log.js';
import type { SynServer } from '../server.js';
import { type EarlyAnswer, takeEarlyInput } from './early.js';
import { LineTransport } from './lines.js';
import { type RpcAnswer, RpcSession, serialiseAnswer } from './rpc.js';

/** A running transport that can be closed on shutdown. */
export interface Running {
  close(): Promise<void>;
}

/** Longest wait for requests still in flight once stdin has closed (each call has its own, shorter deadline). */
const DRAIN_LIMIT_MS = 90_000;

export interface StdioOptions {
  /** Called once the client has closed stdin and every request read before that has been answered. */
  onClosed: () => void;
  /** Where lines that are not JSON-RPC messages are reported (`protocol error: …` at warn). */
  log?: Logger | undefined;
  /** Told when an early answer differs from the server's own (a bug); default: an error line. */
  onMismatch?: ((ours: string, early: string) => void) | undefined;
}

/**
 * Serves MCP over stdin/stdout. stdout carries nothing but MCP frames: the logger writes to stderr and the
 * CLI points console output there before this starts. `onClosed` runs when the client has closed stdin and
 * every request read before that has been answered (`printf '…' | syn-mcp` gets all its answers).
 *
 * Requests go to an RpcSession (transports/rpc.ts), which answers as the SDK's Server does without its
 * per-message overhead; each answer is written as one line as soon as it is ready, its structuredContent
 * spliced in as the text the call already made.
 *
 * When the bin's fast start has been reading stdin since the process began (src/fast-start.ts), this takes
 * over what it held, in order. If it already answered `initialize` (and `tools/list`), the session still
 * receives those requests (it records the client's name from the first) and its own answers, the same
 * frames, are not sent twice; `onMismatch` is told if one differs.
 */
export async function serveStdio(server: SynServer, options: StdioOptions): Promise<Running> {
  const { onClosed } = options;
  const onMismatch = options.onMismatch ?? reportMismatch;
  const early = takeEarlyInput();
  const input = early ?? process.stdin;
  const transport = new LineTransport(input, process.stdout);
  const rpc = new RpcSession(server);
  let pending = 0;
  let inputClosed = false;
  const settle = () => {
    if (inputClosed && pending === 0) onClosed();
  };
  const inputEnded = () => {
    if (inputClosed) return;
    inputClosed = true;
    setTimeout(onClosed, DRAIN_LIMIT_MS).unref();
    settle();
  };
  input.once('end', inputEnded);
  input.once('close', inputEnded);

  // Read as the answers come: the fast start may still answer a request held for the session.
  const answered = early?.answers ?? [];
  const write = (answer: RpcAnswer) => {
    const frame = serialiseAnswer(answer);
    const i = answered.length === 0 ? -1 : answered.findIndex((a) => a.id === answer.id);
    if (i !== -1) {
      const [sent] = answered.splice(i, 1) as [EarlyAnswer];
      if (frame !== sent.frame) onMismatch(frame, sent.frame);
      return;
    }
    transport.write(frame);
  };
  const notify = (message: JSONRPCMessage) => transport.write(JSON.stringify(message));
  const done = (answer: RpcAnswer | undefined) => {
    if (answer) write(answer);
    pending--;
    settle();
  };

  transport.onmessage = (message) => {
    const answer = rpc.receive(message, notify);
    if (!answer) return;
    pending++;
    // RpcSession.request never rejects; a failure to write (stdout gone) is the transport's to report.
    answer.then(done, () => done(undefined));
  };
  const log = options.log;
  transport.onerror = (error) => log?.warn(`protocol error: ${error.message}`);
  await transport.start();
  early?.release();
  return {
    close: async () => {
      rpc.close();
      await transport.close();
    },
  };
}

/** A fast-start answer that differs from the server's own is a bug: say so on stderr. */
function reportMismatch(ours: string, early: string): void {
  createLogger().error("fast start: an early answer differs from the server's own", undefined, {
    early,
    server: ours,
  });
}
