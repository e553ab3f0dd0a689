/**
 * The audit log of writes (SYN_MCP_AUDIT_LOG): one JSON line per call of a tool whose readOnlyHint is false,
 * appended to a file opened once, lazily, on the first write. Writing never blocks or fails a call: lines are
 * queued on a stream, and a failing file costs one warning line, after which auditing stops. A call whose
 * entry cannot be serialised as it is (a cycle, nesting deeper than MAX_AUDIT_DEPTH, a BigInt, a getter that
 * throws) is logged with those values replaced by markers and `incomplete: true`; the log stays on. Every
 * string of an entry, the upstream's request id included, is redacted.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { redact } from './http/redact.js';
import type { Logger } from './log.js';

/** One audited write call. */
export interface AuditEntry {
  /** Start of the call, ISO 8601. */
  ts: string;
  /** Who called: the principal's name (SYN_MCP_PRINCIPALS_FILE); absent over stdio and the single token. */
  principal?: string;
  tool: string;
  /** The arguments as the client sent them, redacted (see `redactArgs`). */
  args: unknown;
  /** `input_required`: the call asked the user (ToolInput) after it had already called the API. */
  outcome: 'ok' | 'error' | 'input_required';
  /** HTTP status of the last upstream answer, when one came. */
  status?: number;
  /** Request or correlation id of the last upstream answer, when the API sent one (redacted). */
  requestId?: string;
  durationMs: number;
  /** Some value could not be logged as it was (cycle, depth, BigInt…) and was replaced by a marker. */
  incomplete?: true;
}

/** Where the boundary sends audit entries. */
export interface AuditSink {
  /** Queues one entry; never throws, never waits. */
  write(entry: AuditEntry): void;
  /** Flushes what is queued and closes the file. */
  close(): Promise<void>;
}

const MASK = '[REDACTED]';

/** Argument names that hold credentials, compared lowercased without `_`/`-`. */
const SECRET_NAME =
  /^(key|pin)$|apikey|accesskey|privatekey|secretkey|routingkey|webhookurl|token|secret|password|passwd|passphrase|credential|authorization|cookie|signature/;

/** True when an argument's name says it holds a credential (`apiKey`, `webhookUrl`, `client_secret`…). */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name.toLowerCase().replace(/[-_]/g, ''));
}

/** Deepest nesting an audit entry keeps; deeper values are replaced by a marker. */
export const MAX_AUDIT_DEPTH = 16;

/** Markers that stand for values an entry could not keep as they were. */
const TOO_DEEP = `[syn-mcp: nested deeper than ${MAX_AUDIT_DEPTH} levels, not logged]`;
const CIRCULAR = '[syn-mcp: circular reference, not logged]';
const UNREADABLE = '[syn-mcp: value that cannot be serialised, not logged]';
const MARKERS = new Set([TOO_DEEP, CIRCULAR, UNREADABLE]);

/** One pass over a value: the objects on the path (cycles), and whether anything was replaced. */
interface Walk {
  path: object[];
  replaced: boolean;
}

function auditable(value: unknown, depth: number, walk: Walk): unknown {
  switch (typeof value) {
    case 'string':
      if (MARKERS.has(value)) walk.replaced = true;
      return redact(value);
    case 'number':
      return Number.isFinite(value) ? value : String(value);
    case 'boolean':
      return value;
    case 'bigint':
      walk.replaced = true;
      return `${value.toString()}n`;
    case 'undefined':
      return undefined;
    case 'object':
      break;
    default:
      // A function or a symbol: JSON would drop it silently.
      walk.replaced = true;
      return UNREADABLE;
  }
  if (value === null) return null;
  if (walk.path.includes(value)) {
    walk.replaced = true;
    return CIRCULAR;
  }
  if (depth >= MAX_AUDIT_DEPTH) {
    walk.replaced = true;
    return TOO_DEEP;
  }
  walk.path.push(value);
  try {
    if (Array.isArray(value)) return value.map((v) => auditable(v, depth + 1, walk) ?? null);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const masked = isSecretName(k) && v !== null && typeof v !== 'number' && typeof v !== 'boolean';
      const kept = masked ? MASK : auditable(v, depth + 1, walk);
      if (kept !== undefined) out[redact(k)] = kept;
    }
    return out;
  } catch {
    // A getter or a proxy that throws.
    walk.replaced = true;
    return UNREADABLE;
  } finally {
    walk.path.pop();
  }
}

/**
 * Arguments fit for the audit log: every registered secret replaced in every string, the value of every
 * field whose name looks secret masked whole (numbers and booleans, such as `token_ttl`, are kept), and what
 * JSON cannot hold (cycles, BigInts, nesting deeper than MAX_AUDIT_DEPTH) replaced by markers.
 */
export function redactArgs(value: unknown): unknown {
  return auditable(value, 0, { path: [], replaced: false });
}

/** The JSON line of an entry, whatever its values hold; never throws. Exported for tests. */
export function auditLine(entry: AuditEntry): string {
  const walk: Walk = { path: [], replaced: false };
  let safe: Record<string, unknown>;
  try {
    safe = auditable(entry, 0, walk) as Record<string, unknown>;
  } catch {
    // Nothing is known to throw past auditable's own guard; the call is still recorded, marked.
    safe = {
      ts: String(entry.ts),
      tool: String(entry.tool),
      args: UNREADABLE,
      outcome: String(entry.outcome),
    };
    walk.replaced = true;
  }
  if (walk.replaced) safe.incomplete = true;
  // Redacted string by string above, and once more whole (a secret JSON-escaped would escape the first pass).
  return `${redact(JSON.stringify(safe))}\n`;
}

/** What the last upstream answer of one call said. */
export interface UpstreamTrace {
  status?: number;
  requestId?: string;
}

/**
 * An empty trace for one call, and the hook its requests call with each final upstream answer (errors
 * included, RequestOptions.observe): the trace keeps the last one's status and request id.
 */
export function upstreamTrace(): {
  trace: UpstreamTrace;
  observe(answer: { status: number; requestId?: string | undefined }): void;
} {
  const trace: UpstreamTrace = {};
  return {
    trace,
    observe({ status, requestId }) {
      trace.status = status;
      if (requestId) trace.requestId = requestId;
      else delete trace.requestId;
    },
  };
}

/**
 * Opens the audit log at `path` (append mode; the file is created on the first entry). A failure to open or
 * write is logged once as a warning; later entries are dropped and calls go on.
 */
export function openAuditLog(path: string, log: Logger): AuditSink {
  let stream: WriteStream | undefined;
  let failed = false;
  const fail = (err: unknown) => {
    if (failed) return;
    failed = true;
    const code = (err as { code?: unknown }).code;
    log.warn(
      `audit log ${path}: cannot write (${typeof code === 'string' ? code : 'error'}); write calls are no longer audited`,
    );
    stream?.destroy();
  };
  const open = (): WriteStream => {
    const s = createWriteStream(path, { flags: 'a', encoding: 'utf8' });
    s.on('error', fail);
    return s;
  };
  return {
    write(entry) {
      if (failed) return;
      // Serialising never turns the sink off: only the file failing does.
      const line = auditLine(entry);
      try {
        stream ??= open();
        stream.write(line);
      } catch (err) {
        fail(err);
      }
    },
    close() {
      const s = stream;
      if (!s || failed || s.destroyed) return Promise.resolve();
      return new Promise<void>((resolve) => {
        s.once('error', () => resolve());
        s.end(() => resolve());
      });
    },
  };
}
