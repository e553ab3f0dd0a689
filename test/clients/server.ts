/**
 * The built server as the real-client tests spawn it: the embedded sandbox (no credentials, no network), every
 * toolset, only errors on stderr, and `--schema-profile` when the test names one. The child gets PATH and
 * nothing else from this process's environment.
 */
import { TOOLSETS } from '../../tools/index.js';
import { CLI } from '../e2e/spawn.js';

/**
 * How many tools `--toolsets all` serves (a tool in two toolsets, like search_memory, once): each client
 * must take every one of them.
 */
export const ALL_TOOLS = new Set(TOOLSETS.flatMap((set) => set.tools.map((t) => t.name))).size;

/** The command, argv and environment each client library's stdio transport takes. */
export function sandboxServer(profile?: string): {
  command: string;
  args: string[];
  env: Record<string, string>;
} {
  return {
    command: process.execPath,
    args: [
      CLI,
      '--sandbox',
      '--toolsets',
      'all',
      '--log-level',
      'error',
      ...(profile ? ['--schema-profile', profile] : []),
    ],
    env: { PATH: process.env.PATH ?? '' },
  };
}

/** A tool as tools/list published it, reduced to what the tests compare. */
export interface Listed {
  name: string;
  inputSchema: unknown;
}
