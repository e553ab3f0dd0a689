import { serveStdio as sdkServeStdio } from '@modelcontextprotocol/server/stdio';
import type { Logger } from '../log.js';
import { serverFactory } from '../protocol.js';
import type { SynServer } from '../server.js';
import { StdioWire } from './stdio-wire.js';

/** A running transport that can be closed on shutdown. */
export interface Running {
  close(): Promise<void>;
}

/** What serveStdio needs besides the server. */
export interface StdioOptions {
  /** Called once the client has closed stdin and every request read before that has been answered. */
  onClosed: () => void;
  /** Where lines that are not JSON-RPC messages and other protocol errors are reported (warn). */
  log?: Logger | undefined;
  /** Verifies a 2026-07-28 requestState (see ProtocolOptions.verifyState). */
  verifyState?: ((state: string) => unknown) | undefined;
}

/**
 * Serves MCP over stdin/stdout with the SDK's `serveStdio`: the SDK decides each connection's era from its
 * opening (`initialize` → 2025-11-25; a request with the 2026-07-28 `_meta` envelope → modern, and
 * `server/discover` followed by `initialize` is served as 2025, not refused). The wire under it is
 * syn-mcp's (StdioWire): answers owed when stdin closes are all written before `onClosed`, stdout
 * backpressure pauses reading, and malformed lines get JSON-RPC errors. stdout carries nothing but MCP
 * frames: the logger writes to stderr and the CLI points console output there before this starts.
 */
export function serveStdio(server: SynServer, options: StdioOptions): Running {
  const wire = new StdioWire(process.stdin, process.stdout);
  const log = options.log;
  const factory = serverFactory(server, { legacyCanElicit: true, verifyState: options.verifyState });
  // serveStdio sets wire.onclose to tear the pinned server down; ours runs after it.
  const handle = sdkServeStdio(factory, {
    transport: wire,
    onerror: (error) => log?.warn(`protocol error: ${error.message}`),
  });
  wire.onstall = () => log?.debug('stdio: the client is not reading its answers; reading paused');
  const sdkOnClose = wire.onclose;
  wire.onclose = () => {
    sdkOnClose?.();
    options.onClosed();
  };
  return { close: () => handle.close() };
}
