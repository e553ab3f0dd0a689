import type { FieldIssue, UpstreamProblem } from '../errors.js';
import { isRecord } from '../json.js';

/** What a response body means once its envelope is read. */
export type Unwrapped = { ok: true; data: unknown } | { ok: false; status: number; problem: UpstreamProblem };

/** One parser per API style: unwraps success bodies and reads error bodies. */
export interface Envelope {
  /** Reads a 2xx body. An envelope may still report failure (SyncGuard `isSuccess: false`). */
  success(status: number, body: unknown): Unwrapped;
  /** Reads an error body (already JSON-parsed when possible, else the raw text). */
  problem(status: number, body: unknown): UpstreamProblem;
}

function str(v: unknown): string | undefined {
  if (typeof v === 'string' && v !== '') return v;
  if (typeof v === 'number') return String(v);
  return undefined;
}

function num(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^\d+(\.\d+)?$/.test(v)) return Number(v);
  return undefined;
}

/** A body we could not read as the API's envelope: keep a short, safe text. */
function fallback(status: number, body: unknown): UpstreamProblem {
  if (typeof body === 'string' && body.trim() !== '') return { message: body.trim() };
  if (body !== undefined && body !== null && !(typeof body === 'string'))
    return { message: JSON.stringify(body) };
  return { message: `HTTP ${status} with no message` };
}

/** FastAPI's `{detail}`: a string, an object, or a list of `{loc, msg, type}` validation items. */
function fastApiDetail(status: number, detail: unknown): UpstreamProblem {
  if (typeof detail === 'string') return { message: detail };
  if (Array.isArray(detail)) {
    const fieldErrors: FieldIssue[] = detail.filter(isRecord).map((item) => {
      const loc = Array.isArray(item.loc) ? item.loc.filter((p) => p !== 'body').join('.') : '';
      return { path: loc, message: str(item.msg) ?? 'invalid' };
    });
    return { message: 'Request validation failed', code: 'validation_error', fieldErrors };
  }
  if (isRecord(detail)) {
    return {
      message: str(detail.message) ?? str(detail.error) ?? JSON.stringify(detail),
      code: str(detail.code),
    };
  }
  return fallback(status, detail);
}

/** ASP.NET-style `errors: {field: [messages]}`. */
function fieldMap(v: unknown): FieldIssue[] | undefined {
  if (!isRecord(v)) return undefined;
  const out: FieldIssue[] = [];
  for (const [path, msgs] of Object.entries(v)) {
    const list = Array.isArray(msgs) ? msgs : [msgs];
    for (const m of list) out.push({ path, message: str(m) ?? JSON.stringify(m) });
  }
  return out.length > 0 ? out : undefined;
}

/** SyncGuard `OperationResult<T>`: `{isSuccess, errorCode, message, data}`; 429 `{isSuccess:false, statusCode, message}`. */
export const syncguardEnvelope: Envelope = {
  success(status, body) {
    if (isRecord(body) && body.isSuccess === false) {
      const problem = this.problem(status, body);
      const httpStatus = num(body.statusCode) ?? (body.errorCode === 4 ? 400 : 422);
      return { ok: false, status: httpStatus, problem };
    }
    if (isRecord(body) && 'isSuccess' in body) return { ok: true, data: body.data ?? null };
    return { ok: true, data: body };
  },
  problem(status, body) {
    if (!isRecord(body)) return fallback(status, body);
    const message = str(body.message) ?? str(body.title) ?? str(body.detail) ?? `HTTP ${status}`;
    const code = body.errorCode !== undefined && body.errorCode !== null ? String(body.errorCode) : undefined;
    const fieldErrors =
      fieldMap(body.errors) ?? (body.errorCode === 4 ? fieldsNamedIn(message) : undefined) ?? undefined;
    return { message, code, fieldErrors };
  },
};

/** "integrationKey is required." → one field issue for `integrationKey`. */
function fieldsNamedIn(message: string): FieldIssue[] | undefined {
  const m = /^([A-Za-z_][A-Za-z0-9_.]*)\s+(is|must|should|cannot|has)\b/.exec(message);
  return m?.[1] ? [{ path: m[1], message }] : undefined;
}

/**
 * Synqly: `{result, cursor?, meta?, messages?}`; errors are `Problem` objects with remediation and cause. A 402
 * is always the organization disabled (api-notes §1, PaymentRequired), whatever its body.
 */
export const synqlyEnvelope: Envelope = {
  success(_status, body) {
    return { ok: true, data: body };
  },
  problem(status, body) {
    const problem = synqlyProblem(status, body);
    return status === 402 ? { ...problem, account: 'disabled' } : problem;
  },
};

/** A Synqly `Problem` body. */
function synqlyProblem(status: number, body: unknown): UpstreamProblem {
  if (!isRecord(body)) return fallback(status, body);
  const parts = [str(body.message), str(body.detail)].filter((p): p is string => p !== undefined);
  const causes = Array.isArray(body.cause) ? body.cause.filter(isRecord) : [];
  const causeText = causes
    .map((c) => [str(c.message), str(c.detail)].filter(Boolean).join(': '))
    .filter((t) => t !== '');
  if (causeText.length > 0) parts.push(`cause: ${causeText.join('; ')}`);
  const remediation =
    str(body.remediation) ?? causes.map((c) => str(c.remediation)).find((r) => r !== undefined);
  return {
    message: parts.length > 0 ? parts.join(' — ') : `HTTP ${status}`,
    code: str(body.type),
    remediation,
  };
}

/**
 * Synap: bare bodies or `{data, page, …}`; errors `{error, code, details}` or FastAPI `{detail}`. A 402 is
 * always out of credits (api-notes §4), whatever its body.
 */
export const synapEnvelope: Envelope = {
  success(_status, body) {
    return { ok: true, data: body };
  },
  problem(status, body) {
    const problem = synapProblem(status, body);
    return status === 402 ? { ...problem, account: 'credits' } : problem;
  },
};

/** A Synap error body in either of its shapes. */
function synapProblem(status: number, body: unknown): UpstreamProblem {
  if (!isRecord(body)) return fallback(status, body);
  if ('detail' in body && !('error' in body)) return fastApiDetail(status, body.detail);
  const details = isRecord(body.details) ? body.details : undefined;
  const fieldErrors = details ? (fieldMap(details.fields) ?? fieldMap(details.errors)) : undefined;
  return {
    message: str(body.error) ?? str(body.message) ?? `HTTP ${status}`,
    code: str(body.code),
    fieldErrors,
    retryAfterSeconds: details ? num(details.retry_after) : undefined,
  };
}

/** Synchronex: bare bodies; errors `{error:{code,message}}` or the flat 429 `{error, retry_after, …}`. */
export const synchronexEnvelope: Envelope = {
  success(_status, body) {
    return { ok: true, data: body };
  },
  problem(status, body) {
    if (!isRecord(body)) return fallback(status, body);
    const err = body.error;
    if (isRecord(err)) {
      const code = str(err.code);
      return {
        message: str(err.message) ?? `HTTP ${status}`,
        code,
        fieldErrors: fieldMap(err.details) ?? fieldMap(err.fields),
        // A 403 for the plan, not the key (api-notes §5: 403 = lacks scope or tier).
        account: code === 'TIER_REQUIRED' ? 'plan' : undefined,
      };
    }
    if (typeof err === 'string') {
      const retry = num(body.retry_after);
      const reset = str(body.reset_at);
      const message = reset ? `${err} (daily quota resets at ${reset})` : err;
      return { message: str(body.message) ?? message, code: err, retryAfterSeconds: retry };
    }
    return fallback(status, body);
  },
};

/** Synapse: bare bodies; errors FastAPI `{detail}`. */
export const synapseEnvelope: Envelope = {
  success(_status, body) {
    return { ok: true, data: body };
  },
  problem(status, body) {
    if (isRecord(body) && 'detail' in body) return fastApiDetail(status, body.detail);
    return fallback(status, body);
  },
};
