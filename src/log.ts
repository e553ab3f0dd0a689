/**
 * The one logger of the process: JSON lines on stderr (stdout carries MCP frames), every string redacted.
 * A line is `{"ts","level","msg", …fields}`; an upstream failure adds `service`, `status`, `requestId` (the
 * API's own) and `correlationId` (the id syn-mcp sent upstream as X-Correlation-ID).
 */
import { NetworkError, SynError, UpstreamError } from './errors.js';
import { redact } from './http/redact.js';

/** Log levels, lowest first. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** Extra fields of one line; undefined values are left out. */
export type LogFields = Readonly<Record<string, string | number | boolean | undefined>>;

/** The one logger: stderr only, one JSON object per line, every line redacted. */
export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, err?: unknown, fields?: LogFields): void;
}

/** One parsed log line (what tests and log shippers read). */
export interface LogLine {
  ts: string;
  level: LogLevel;
  msg: string;
  [field: string]: unknown;
}

const RESERVED = new Set(['ts', 'level', 'msg']);

function errorText(err: unknown): string | undefined {
  if (err === undefined) return undefined;
  if (err instanceof Error) return err.stack ?? `${err.name}: ${err.message}`;
  return String(err);
}

/** Creates the stderr logger at a minimum level. `write` and `now` are injectable for tests. */
export function createLogger(
  level: LogLevel = 'info',
  write: (line: string) => void = (line) => process.stderr.write(line),
  now: () => Date = () => new Date(),
): Logger {
  const min = RANK[level];
  const emit = (lvl: LogLevel, msg: string, fields: LogFields | undefined, err?: unknown) => {
    if (RANK[lvl] < min) return;
    const line: Record<string, string | number | boolean> = {
      ts: now().toISOString(),
      level: lvl,
      msg: redact(msg),
    };
    for (const [k, v] of Object.entries(fields ?? {})) {
      if (v === undefined || RESERVED.has(k)) continue;
      line[k] = typeof v === 'string' ? redact(v) : v;
    }
    const detail = errorText(err);
    if (detail !== undefined) line.err = redact(detail);
    // Redacted field by field above (a secret JSON-escaped would escape a whole-line pass), and once more whole.
    write(`${redact(JSON.stringify(line))}\n`);
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, err, f) => emit('error', m, f, err),
  };
}

/** A logger that adds `fields` to every line (a principal's server names it on each line it logs). */
export function withFields(log: Logger, fields: LogFields): Logger {
  return {
    debug: (m, f) => log.debug(m, { ...fields, ...f }),
    info: (m, f) => log.info(m, { ...fields, ...f }),
    warn: (m, f) => log.warn(m, { ...fields, ...f }),
    error: (m, err, f) => log.error(m, err, { ...fields, ...f }),
  };
}

/** A logger that drops everything (tests, library use). */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** The fields that identify an upstream failure: service, status, the API's request id, the kind of failure. */
export function failureFields(err: unknown): LogFields {
  if (err instanceof UpstreamError) {
    return { service: err.service, status: err.status, requestId: err.requestId, code: err.code };
  }
  if (err instanceof NetworkError) return { service: err.service, failure: err.kind };
  return {};
}

/**
 * Logs a failed tool call once, at the level an operator needs: refused credentials, rate limits, outages and
 * network failures at `warn` (someone has to act); what the model can fix itself (bad arguments, unknown ids,
 * conflicts) at `debug`; anything unexpected at `error` with its stack.
 */
export function logToolFailure(log: Logger, tool: string, err: unknown, correlationId: string): void {
  const fields: LogFields = { tool, correlationId, ...failureFields(err) };
  if (!(err instanceof SynError)) {
    log.error(`tool ${tool} failed unexpectedly`, err, fields);
    return;
  }
  const msg = `tool ${tool}: ${err.name}: ${err.message}`;
  const operator =
    err instanceof NetworkError ||
    (err instanceof UpstreamError && [401, 403, 429].includes(err.status)) ||
    (err instanceof UpstreamError && err.status >= 500);
  if (operator) log.warn(msg, fields);
  else log.debug(msg, fields);
}

/** Parses the JSON log lines in a stderr text (other lines, if any, are skipped). */
export function parseLogLines(text: string): LogLine[] {
  const out: LogLine[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line.startsWith('{')) continue;
    try {
      const parsed = JSON.parse(line) as unknown;
      if (typeof parsed === 'object' && parsed !== null && 'level' in parsed && 'msg' in parsed) {
        out.push(parsed as LogLine);
      }
    } catch {
      // not a log line
    }
  }
  return out;
}
