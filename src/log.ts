import { redact } from './http/redact.js';

/** Log levels, lowest first. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** The one logger: stderr only (stdout carries MCP frames), every line redacted. */
export interface Logger {
  debug(msg: string): void;
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string, err?: unknown): void;
}

/** Creates the stderr logger at a minimum level. `write` is injectable for tests. */
export function createLogger(
  level: LogLevel = 'info',
  write: (line: string) => void = (line) => process.stderr.write(line),
): Logger {
  const min = RANK[level];
  const emit = (lvl: LogLevel, msg: string) => {
    if (RANK[lvl] < min) return;
    write(`syn-mcp ${lvl}: ${redact(msg)}\n`);
  };
  return {
    debug: (m) => emit('debug', m),
    info: (m) => emit('info', m),
    warn: (m) => emit('warn', m),
    error: (m, err) => {
      const detail =
        err instanceof Error
          ? ` — ${err.stack ?? err.message}`
          : err === undefined
            ? ''
            : ` — ${String(err)}`;
      emit('error', `${m}${detail}`);
    },
  };
}

/** A logger that drops everything (tests, library use). */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
