/**
 * What an attempt's answer or failure means: the answer to return, or the typed error it ends in and whether
 * sending again may help. Every NetworkError of a request is built by networkError() here.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';
import {
  CancelledError,
  NetworkError,
  type NetworkFailure,
  RedirectError,
  ServerError,
  type UpstreamError,
  upstreamErrorFor,
} from '../errors.js';
import { credentialEnv } from './build.js';
import type { Envelope } from './envelopes.js';
import { askedWaitMs } from './policy.js';
import { redact } from './redact.js';
import { type Endpoint, isReplayable, type RequestOptions } from './request.js';

/** The request being classified: the API it went to and what the tool asked. */
export interface Asked {
  endpoint: Endpoint;
  opts: RequestOptions;
}

/** What one attempt brought back: the status, the headers and the body, read whole or open (an event stream). */
export interface Answer {
  statusCode: number;
  headers: IncomingHttpHeaders;
  /** The whole body; undefined when it passed the size cap (read whole only). */
  bytes: Buffer | undefined;
  /** The body still to be read (event streams). */
  stream?: Dispatcher.ResponseData['body'];
}

/** An attempt that failed: before its response started, or in the middle of its body (`status` set). */
export class AttemptFailure extends Error {
  constructor(
    readonly error: unknown,
    readonly timedOut: boolean,
    readonly status?: { statusCode: number; headers: IncomingHttpHeaders },
  ) {
    super('attempt failed');
  }
}

/** An attempt that is not the call's result: the error it ends in, and whether sending again may help. */
export interface Refusal {
  error: Error;
  /** True when sending again may get another answer and cannot write twice. */
  retryable: boolean;
  /** True when the upstream answered (an error status): the wait, its own or the backoff, is capped. */
  answered: boolean;
  /** The wait the upstream asked for, when it did. */
  retryAfterMs?: number | undefined;
}

export function isRefusal(outcome: Answer | Refusal): outcome is Refusal {
  return 'error' in outcome;
}

/**
 * True when the attempt a refusal ends may have been carried out upstream: it was sent and its answer was
 * lost, or the API failed (5xx) partway. A later attempt's answer may then be the result of this one.
 */
export function mayHaveLanded({ error }: Refusal): boolean {
  return (error instanceof NetworkError && error.mayHaveReached) || error instanceof ServerError;
}

/** Most bytes of an error body read (its problem details). */
export const ERROR_BODY_CAP = 64 * 1024;
const EMPTY = Buffer.alloc(0);

/** Connection failures that happen before a byte of the request left: sending again cannot write twice. */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** The NetworkError of a request: no usable answer, for the reason `kind` says. */
export function networkError(
  { endpoint, opts }: Asked,
  kind: NetworkFailure,
  mayHaveReached: boolean,
  detail: string,
): NetworkError {
  return new NetworkError(endpoint.service, kind, opts.method, mayHaveReached, detail, isReplayable(opts));
}

/** An attempt that rejected: an error status whose body was cut off is still an answer; anything else is not. */
export function failedAttempt(asked: Asked, err: unknown, timeoutMs: number): Answer | Refusal {
  if (asked.opts.signal?.aborted) throw new CancelledError();
  const failed = err instanceof AttemptFailure ? err : new AttemptFailure(err, false);
  if (failed.status && failed.status.statusCode < 400) {
    // Cut off in the middle of a body: it was answered, so it is not sent again.
    throw bodyFailure(asked, failed.error, failed.timedOut);
  }
  // An error status whose body was cut off: the status alone is the answer.
  if (failed.status) return { ...failed.status, bytes: EMPTY };
  const code = errorCode(failed.error);
  const timedOut = failed.timedOut || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT';
  const notSent = !timedOut && code !== undefined && NOT_SENT_CODES.has(code);
  const error = timedOut
    ? networkError(asked, 'timeout', true, `no answer within ${Math.round(timeoutMs / 1000)} s`)
    : networkError(asked, 'connection', !notSent, code ?? 'connection failed');
  return { error, retryable: notSent || isReplayable(asked.opts), answered: false };
}

/** The body failed after the headers came (reset, timeout, caller cancelled): the same typed errors. */
export function bodyFailure(
  asked: Asked,
  err: unknown,
  attemptTimedOut = false,
): CancelledError | NetworkError {
  if (asked.opts.signal?.aborted) return new CancelledError();
  const code = errorCode(err);
  return attemptTimedOut || code === 'UND_ERR_BODY_TIMEOUT'
    ? networkError(asked, 'timeout', true, 'the response body did not arrive in time')
    : networkError(asked, 'connection', true, `response cut off (${code ?? 'connection lost'})`);
}

/**
 * An error status (4xx/5xx): the API's problem read from the body by its envelope, as a typed error that
 * carries the wait the API asked for; retried only for 408, 429 and 5xx but 501, when a replay is safe.
 * `afterLostAnswer`: an earlier attempt may have been carried out (mayHaveLanded), which the error tells.
 */
export async function errorAnswer(
  asked: Asked,
  res: Answer,
  envelope: Envelope,
  now: number,
  afterLostAnswer = false,
): Promise<Refusal> {
  const { endpoint, opts } = asked;
  const text = res.stream
    ? ((await readBody(res.stream, ERROR_BODY_CAP).catch(() => undefined)) ?? '')
    : (res.bytes?.toString('utf8') ?? '');
  const parsed = parseJson(text);
  const problem = envelope.problem(res.statusCode, parsed.ok ? parsed.value : text);
  const headers = flatHeaders(res.headers);
  const retryAfterMs = askedWaitMs(res.statusCode, headers, problem.retryAfterSeconds, now);
  const error: UpstreamError = upstreamErrorFor({
    ...problem,
    service: endpoint.service,
    status: res.statusCode,
    method: opts.method,
    requestId: requestIdOf(headers),
    credentialEnv: credentialEnv(endpoint, opts),
    replayable: isReplayable(opts),
    retryAfterSeconds: retryAfterMs !== undefined ? Math.ceil(retryAfterMs / 1000) : undefined,
    afterLostAnswer,
  });
  const status = res.statusCode;
  const retryableStatus = (status === 408 || status === 429 || status >= 500) && status !== 501;
  return { error, retryable: retryableStatus && isReplayable(opts), answered: true, retryAfterMs };
}

/** A 3xx answer: an error naming the base URL variable to fix and where the redirect pointed. */
export function redirected({ endpoint, opts }: Asked, res: Answer, url: URL): RedirectError {
  const headers = flatHeaders(res.headers);
  return new RedirectError({
    service: endpoint.service,
    status: res.statusCode,
    method: opts.method,
    message: `redirect (HTTP ${res.statusCode})`,
    location: redirectTarget(headers.location, url.toString()),
    requestId: requestIdOf(headers),
    credentialEnv: credentialEnv(endpoint, opts),
  });
}

/** Where a redirect pointed, fit to show: no user info, query or fragment (they may carry a token), redacted. */
export function redirectTarget(location: string | undefined, base: string): string | undefined {
  if (location === undefined || location.trim() === '') return undefined;
  try {
    const url = new URL(location.trim(), base);
    url.username = '';
    url.password = '';
    url.search = '';
    url.hash = '';
    return redact(url.toString());
  } catch {
    return redact(location.trim().slice(0, 200));
  }
}

/** The rate budget has no room before the deadline: the request was not sent, and says so. */
export function heldBack({ endpoint, opts }: Asked, waitMs: number): UpstreamError {
  return upstreamErrorFor({
    service: endpoint.service,
    status: 429,
    method: opts.method,
    message:
      "syn-mcp held this request back and did not send it: this key's rate budget has no room before the " +
      "call's deadline (the API's documented limit, its X-RateLimit headers or a Retry-After it sent)",
    code: 'RATE_BUDGET',
    retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)),
    credentialEnv: credentialEnv(endpoint, opts),
    replayable: true,
    local: true,
  });
}

/** Response headers with lower-case names and repeated values joined. */
export function flatHeaders(
  h: Record<string, string | string[] | undefined>,
): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(h)) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

export function requestIdOf(h: Readonly<Record<string, string | undefined>>): string | undefined {
  return h['x-request-id'] ?? h['x-correlation-id'] ?? h['x-trace-id'] ?? h['request-id'];
}

/** A Content-Type's media type only (`text/html`), the one part of an upstream header an error names. */
export function mediaType(type: string): string {
  return /^\s*([\w.+-]+\/[\w.+-]+)/.exec(type)?.[1]?.toLowerCase() ?? 'no content type';
}

/** The `code` of an error or of the first of its causes that has one. */
export function errorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const own = (err as { code?: unknown }).code;
  if (typeof own === 'string') return own;
  return errorCode((err as { cause?: unknown }).cause);
}

/** Reads a body whole as text; undefined (and the body destroyed) once it passes `cap` bytes. */
export async function readBody(
  body: Dispatcher.ResponseData['body'],
  cap: number,
): Promise<string | undefined> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of body) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > cap) {
      body.destroy();
      return undefined;
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  if (text.trim() === '') return { ok: true, value: null };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}
