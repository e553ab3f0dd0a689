import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { SynServer } from '../server.js';

/** A running transport that can be closed on shutdown. */
export interface Running {
  close(): Promise<void>;
}

/**
 * Serves MCP over stdin/stdout. stdout carries nothing but MCP frames: the logger writes to stderr and the
 * CLI points console output there before this starts. Resolves `closed` when the client closes stdin.
 */
export async function serveStdio(server: SynServer, onClosed: () => void): Promise<Running> {
  const transport = new StdioServerTransport();
  const mcp = server.connect();
  process.stdin.once('end', onClosed);
  process.stdin.once('close', onClosed);
  await mcp.connect(transport);
  return { close: () => mcp.close() };
}
