/**
 * The audit log of writes (SYN_MCP_AUDIT_LOG): one JSON line per call of a tool whose readOnlyHint is false,
 * appended to a file opened once, lazily, on the first write. Writing never blocks or fails a call: lines are
 * queued on a stream, and a failing file costs one warning line, after which auditing stops.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { UpstreamError } from './errors.js';
import { redact } from './http/redact.js';
import type { Logger } from './log.js';
import type { ApiViews } from './tool.js';

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
  /** Request or correlation id of the last upstream answer, when the API sent one. */
  requestId?: string;
  durationMs: number;
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

/**
 * Arguments fit for the audit log: every registered secret replaced in every string, and the value of every
 * field whose name looks secret masked whole (numbers and booleans, such as `token_ttl`, are kept).
 */
export function redactArgs(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redact(value);
  if (depth > 32 || typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map((v) => redactArgs(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const masked = isSecretName(k) && v !== null && typeof v !== 'number' && typeof v !== 'boolean';
    out[redact(k)] = masked ? MASK : redactArgs(v, depth + 1);
  }
  return out;
}

/** What the last upstream answer of one call said. */
export interface UpstreamTrace {
  status?: number;
  requestId?: string;
}

/**
 * A view of `api` for one call that notes the status and request id of every upstream answer (errors
 * included) in `trace`; the tool sees the same API. Wraps each view's `request` and `stream`, which every
 * other method of a view goes through.
 */
export function traceUpstream(api: ApiViews): { api: ApiViews; trace: UpstreamTrace } {
  const trace: UpstreamTrace = {};
  const note = (status: number, requestId: string | undefined) => {
    trace.status = status;
    if (requestId) trace.requestId = requestId;
    else delete trace.requestId;
  };
  const wrapped = new Map<object, object>();
  const wrapView = (view: object): object => {
    const proxy: object = new Proxy(view, {
      get(target, prop) {
        const value: unknown = Reflect.get(target, prop, proxy);
        if ((prop !== 'request' && prop !== 'stream') || typeof value !== 'function') return value;
        return async (...args: unknown[]) => {
          try {
            const res = (await Reflect.apply(value, proxy, args)) as { status: number; requestId?: string };
            note(res.status, res.requestId);
            return res;
          } catch (err) {
            if (err instanceof UpstreamError) note(err.status, err.requestId);
            throw err;
          }
        };
      },
    });
    return proxy;
  };
  const views = new Proxy(api, {
    get(target, prop) {
      const view: unknown = Reflect.get(target, prop);
      if (typeof view !== 'object' || view === null) return view;
      let proxy = wrapped.get(view);
      if (!proxy) {
        proxy = wrapView(view);
        wrapped.set(view, proxy);
      }
      return proxy;
    },
  });
  return { api: views, trace };
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
      try {
        stream ??= open();
        stream.write(`${JSON.stringify(entry)}\n`);
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
