/**
 * The built server as the real-client tests spawn it: the embedded sandbox (no credentials, no network), every
 * toolset, only errors on stderr, and `--schema-profile` when the test names one. The child gets PATH and
 * nothing else from this process's environment.
 */
import { CLI } from '../e2e/spawn.js';

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
