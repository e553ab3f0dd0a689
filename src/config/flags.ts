/** Command-line flags: the strict reader every command uses, and the flags of the server itself. */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { ConfigError } from '../errors.js';

/** Flag values read by `readFlags`: a string option's text, `true` for a boolean given. */
export type Flags = Record<string, string | boolean | undefined>;

/**
 * Reads flags strictly (no positionals, no unknown flag); a bad one becomes ConfigError with node's message
 * (which names the flag) wrapped by `explain`, so each command points at its own usage.
 */
export function readFlags(
  argv: readonly string[],
  options: NonNullable<ParseArgsConfig['options']>,
  explain: (message: string) => string,
): Flags {
  try {
    return parseArgs({ args: [...argv], strict: true, allowPositionals: false, options }).values as Flags;
  } catch (err) {
    throw new ConfigError(explain((err as Error).message));
  }
}

/** The server's flags (`syn-mcp [options]`), as `--help` lists them. */
const SERVE_OPTIONS: NonNullable<ParseArgsConfig['options']> = {
  http: { type: 'boolean' },
  host: { type: 'string' },
  port: { type: 'string' },
  stateless: { type: 'boolean' },
  'session-timeout': { type: 'string' },
  toolsets: { type: 'string' },
  tools: { type: 'string' },
  'read-only': { type: 'boolean' },
  sandbox: { type: 'boolean' },
  'no-apps': { type: 'boolean' },
  'log-level': { type: 'string' },
  'schema-profile': { type: 'string' },
  'max-result-chars': { type: 'string' },
  'rate-limit': { type: 'string' },
  confirm: { type: 'string' },
  'oauth-issuer': { type: 'string' },
  resource: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
};

/** The server's flags as read from argv: whether a boolean one is given, and a string one's text. */
export interface ServeFlags {
  flag(name: string): boolean;
  opt(name: string): string | undefined;
}

/** Reads the server's flags; an unknown or malformed one is a ConfigError pointing at `--help`. */
export function readServeFlags(argv: readonly string[]): ServeFlags {
  const values = readFlags(
    argv,
    SERVE_OPTIONS,
    (message) => `${message}. Run syn-mcp --help for the options.`,
  );
  return {
    flag: (name) => values[name] === true,
    opt: (name) => {
      const v = values[name];
      return typeof v === 'string' ? v : undefined;
    },
  };
}
