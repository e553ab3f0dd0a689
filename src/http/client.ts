import type { IncomingHttpHeaders } from 'node:http';
import { Agent, type Dispatcher, EnvHttpProxyAgent, type FormData, request } from 'undici';
import {
  CancelledError,
  NetworkError,
  NotConfiguredError,
  RedirectError,
  type ServiceName,
  type UpstreamError,
  upstreamErrorFor,
} from '../errors.js';
import { correlationOf } from './correlation.js';
import { ENVELOPES, type Envelope } from './envelopes.js';
import { type RateLimiter, resetInMs, saneHoldMs } from './ratelimit.js';
import { redact } from './redact.js';
import { readSse, type SseEvent } from './sse.js';

/** HTTP methods the APIs use. */
export type Method = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A query string value; arrays repeat the key, undefined drops it. */
export type QueryValue = string | number | boolean | undefined | null | readonly (string | number)[];

/** One credential of an API: which header carries it and which env var configures it (for messages). */
export interface Credential {
  /** Env var that configures it, named in 401/403 messages. */
  env: string;
  /** Header name, e.g. `X-Api-Key` or `Authorization`. */
  header: string;
  /** `Bearer` prefixes the secret; `raw` sends it as is. */
  scheme: 'bearer' | 'raw';
  /** The secret. Mutable only through ApiView.setSecret (key rotation). */
  secret: string;
}

/** Where and how to reach one API. */
export interface Endpoint {
  service: ServiceName;
  /** Documented base URL without a trailing slash; paths are appended to it. */
  baseUrl: string;
  /** Named credentials (`apiKey`, `jwt`, `org`, `integration`…); a request picks one by name. */
  credentials: Record<string, Credential | undefined>;
  /** The credential used when a request names none. */
  defaultCredential: string;
  /** Env var to name when no credential is configured at all. */
  missingEnv: string;
  /**
   * Whose credentials these are (a principal's name, HTTP for teams); undefined for the server's own. State
   * kept on behalf of a credential (minted tokens) is kept per owner.
   */
  owner?: string | undefined;
}

/** One request as a tool describes it. */
export interface RequestOptions {
  method: Method;
  /** Path built with buildPath(), starting with `/`, appended to the base URL. */
  path: string;
  query?: Readonly<Record<string, QueryValue>> | undefined;
  /** JSON body. */
  body?: unknown;
  /** Multipart body (storage uploads). */
  form?: FormData | undefined;
  /** Name of the endpoint credential to send; default the endpoint's default. */
  credential?: string | undefined;
  /** An explicit bearer secret (minted tokens); `env` is named in auth errors. */
  bearer?: { secret: string; env: string } | undefined;
  /** Makes a POST/PATCH retryable: the API deduplicates on it. */
  idempotencyKey?: string | undefined;
  /** A POST that only reads (a search sent as POST): retried like a GET, and its errors say a retry is safe. */
  idempotent?: boolean | undefined;
  /** The caller's cancellation (MCP `notifications/cancelled`). */
  signal?: AbortSignal | undefined;
  /** Absolute time (epoch ms) after which no attempt starts and no retry waits. */
  deadline?: number | undefined;
  /** `bytes`: a 2xx body is returned raw as a Buffer (`data`), not read as JSON; errors are parsed as usual. */
  responseType?: 'json' | 'bytes' | undefined;
  /** Largest body read when `responseType` is `bytes` (default: the policy's maxResponseBytes). */
  maxBytes?: number | undefined;
  /**
   * Per-attempt timeout for a call known to run long (a synchronous agent run); the call's deadline is
   * extended to at least this far ahead. Default: the policy's attemptTimeoutMs.
   */
  timeoutMs?: number | undefined;
  /** The call's correlation id, sent as `x-correlation-id`. */
  correlationId?: string | undefined;
  /** Called once per request or stream with the final upstream answer (errors included): the audit trace. */
  observe?: ((answer: { status: number; requestId?: string | undefined }) => void) | undefined;
}

/** A successful, unwrapped response. */
export interface ApiResponse<T = unknown> {
  status: number;
  data: T;
  headers: Readonly<Record<string, string | undefined>>;
  requestId: string | undefined;
}

/** An open event stream. Iterating ends when the upstream closes; abort the caller's signal to close it. */
export interface ApiStream {
  status: number;
  headers: Readonly<Record<string, string | undefined>>;
  requestId: string | undefined;
  events: AsyncIterable<SseEvent>;
}

/** Retry, timeout and size policy; one per process. */
export interface ClientPolicy {
  /** Per-attempt timeout (ms). */
  attemptTimeoutMs: number;
  /** Total budget of one call including retries (ms), unless the caller gives a deadline. */
  callDeadlineMs: number;
  /** Retries after the first attempt. */
  maxRetries: number;
  /** Longest Retry-After honoured by waiting (ms); longer ones go back to the model. */
  maxRetryAfterMs: number;
  /** Largest response body read (bytes). */
  maxResponseBytes: number;
  /** Longest silence inside an event stream (ms). */
  streamIdleTimeoutMs: number;
}

/** Defaults of DESIGN.md §5. */
export const DEFAULT_POLICY: ClientPolicy = {
  attemptTimeoutMs: 30_000,
  callDeadlineMs: 60_000,
  maxRetries: 2,
  maxRetryAfterMs: 30_000,
  maxResponseBytes: 10 * 1024 * 1024,
  streamIdleTimeoutMs: 300_000,
};

/** Things tests replace: the dispatcher (MockAgent), time and randomness. */
export interface ClientDeps {
  dispatcher?: Dispatcher;
  policy?: Partial<ClientPolicy>;
  now?: () => number;
  random?: () => number;
  sleep?: (ms: number, signal: AbortSignal | undefined) => Promise<void>;
  userAgent?: string;
  /** Outbound proxy (HTTPS_PROXY/HTTP_PROXY/NO_PROXY, read by config.ts); direct connections when absent. */
  proxy?: { httpProxy: string | undefined; httpsProxy: string | undefined; noProxy: string } | undefined;
  /** Upstream rate budgets (in memory or shared in Redis); no budgets when absent. */
  rates?: RateLimiter | undefined;
}

const IDEMPOTENT = new Set<Method>(['GET', 'HEAD', 'PUT', 'DELETE']);
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** True when sending the request again cannot write twice. */
function isReplayable(opts: RequestOptions): boolean {
  return IDEMPOTENT.has(opts.method) || opts.idempotencyKey !== undefined || opts.idempotent === true;
}

function defaultSleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new CancelledError());
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new CancelledError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Parses Retry-After: delta seconds or an HTTP date. Returns ms, or undefined when absent/unreadable; never
 * more than an hour, and a zero, negative or past value is a brief pause (saneHoldMs), not "at once".
 */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const v = value.trim();
  if (/^[-+]?\d+(\.\d+)?$/.test(v)) return saneHoldMs(Math.round(Number(v) * 1000));
  // Only an HTTP date (IMF-fixdate or the obsolete forms, all with a day or month name), not any string
  // Date.parse happens to read.
  if (!/[A-Za-z]{3}/.test(v)) return undefined;
  const date = Date.parse(v);
  if (Number.isNaN(date)) return undefined;
  return saneHoldMs(date - now);
}

/** Where a redirect pointed, fit to show: no user info, no query or fragment (they may carry a token), redacted. */
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

function flatHeaders(h: Record<string, string | string[] | undefined>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(h)) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

function requestIdOf(h: Readonly<Record<string, string | undefined>>): string | undefined {
  return h['x-request-id'] ?? h['x-correlation-id'] ?? h['x-trace-id'] ?? h['request-id'];
}

/** A Content-Type's media type only (`text/html`), the one part of an upstream header an error names. */
function mediaType(type: string): string {
  return /^\s*([\w.+-]+\/[\w.+-]+)/.exec(type)?.[1]?.toLowerCase() ?? 'no content type';
}

function errorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const own = (err as { code?: unknown }).code;
  if (typeof own === 'string') return own;
  return errorCode((err as { cause?: unknown }).cause);
}

function appendQuery(url: URL, query: Readonly<Record<string, QueryValue>> | undefined): void {
  if (!query) return;
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) for (const v of value) url.searchParams.append(key, String(v));
    else url.searchParams.append(key, String(value));
  }
}

/** What one attempt brought back: the status, the headers and the body, read whole or open (an event stream). */
interface Answer {
  statusCode: number;
  headers: IncomingHttpHeaders;
  /** The whole body; undefined when it passed the size cap (read whole only). */
  bytes: Buffer | undefined;
  /** The body still to be read (event streams). */
  stream?: Dispatcher.ResponseData['body'];
}

/** An attempt that failed: before its response started, or in the middle of its body (`status` set). */
class AttemptFailure extends Error {
  constructor(
    readonly error: unknown,
    readonly timedOut: boolean,
    readonly status?: { statusCode: number; headers: IncomingHttpHeaders },
  ) {
    super('attempt failed');
  }
}

const EMPTY = Buffer.alloc(0);
/** Most bytes of an error body read (its problem details). */
const ERROR_BODY_CAP = 64 * 1024;

async function readBody(body: Dispatcher.ResponseData['body'], cap: number): Promise<string | undefined> {
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

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  if (text.trim() === '') return { ok: true, value: null };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/**
 * The one HTTP client of the process: a keep-alive undici Agent shared by every API view, with the
 * retry/timeout policy of DESIGN.md §5.
 */
export class HttpClient {
  readonly policy: ClientPolicy;
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  readonly now: () => number;
  private readonly random: () => number;
  private readonly sleep: (ms: number, signal: AbortSignal | undefined) => Promise<void>;
  private readonly userAgent: string;
  /** Upstream rate budgets, when configured. */
  readonly rates: RateLimiter | undefined;

  constructor(deps: ClientDeps = {}) {
    this.policy = { ...DEFAULT_POLICY, ...deps.policy };
    this.rates = deps.rates;
    this.ownsDispatcher = deps.dispatcher === undefined;
    // No redirect interceptor is composed on either dispatcher: a 3xx is an answer (a RedirectError), never
    // followed, so a credential never goes to the address a redirect names.
    const pool = { keepAliveTimeout: 10_000, connections: 64 };
    this.dispatcher =
      deps.dispatcher ??
      (deps.proxy
        ? new EnvHttpProxyAgent({
            ...pool,
            ...(deps.proxy.httpProxy ? { httpProxy: deps.proxy.httpProxy } : {}),
            ...(deps.proxy.httpsProxy ? { httpsProxy: deps.proxy.httpsProxy } : {}),
            noProxy: deps.proxy.noProxy,
          })
        : new Agent(pool));
    this.now = deps.now ?? Date.now;
    this.random = deps.random ?? Math.random;
    this.sleep = deps.sleep ?? defaultSleep;
    this.userAgent = deps.userAgent ?? 'syn-mcp';
  }

  /** A view of one API: its base URL, credentials and envelope, over the shared pool. */
  view(endpoint: Endpoint): ApiView {
    return new ApiView(this, endpoint, ENVELOPES[endpoint.service]);
  }

  /** Closes the pool (only when this client created it). */
  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close();
  }

  /** Exponential backoff 0.5 s → 8 s with jitter (50–100 % of the step). */
  backoffMs(retry: number): number {
    const step = Math.min(8_000, 500 * 2 ** retry);
    return Math.round(step * (0.5 + this.random() / 2));
  }

  /**
   * Sends one attempt and reads its whole body, up to `cap` bytes (64 KiB when the status is an error). Through
   * the dispatcher's own handler interface rather than `request()`: no body stream, no AbortSignal.any() per
   * attempt; one timer bounds the attempt, headers and body. Rejects with AttemptFailure. Internal to ApiView.
   */
  fetch(
    url: URL,
    method: Method,
    headers: Record<string, string>,
    body: string | FormData | undefined,
    caller: AbortSignal | undefined,
    timeoutMs: number,
    cap: number,
  ): Promise<Answer> {
    return new Promise((resolve, reject) => {
      let controller: Dispatcher.DispatchController | undefined;
      let abortWith: Error | undefined;
      let timedOut = false;
      let overflow = false;
      let settled = false;
      let status: { statusCode: number; headers: IncomingHttpHeaders } | undefined;
      let limit = cap;
      let size = 0;
      const chunks: Buffer[] = [];
      // Settles at once, even for a request still queued for a connection: it is then aborted as it starts.
      const abort = (reason: Error) => {
        abortWith ??= reason;
        controller?.abort(reason);
        settle(new AttemptFailure(reason, timedOut, status));
      };
      const onCancel = () => abort(new CancelledError());
      const timer = setTimeout(
        () => {
          timedOut = true;
          abort(new Error(`no answer within ${timeoutMs} ms`));
        },
        Math.max(1, timeoutMs),
      );
      function settle(failure: AttemptFailure | undefined, answer?: Answer): void {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        caller?.removeEventListener('abort', onCancel);
        if (failure) reject(failure);
        else resolve(answer as Answer);
      }
      if (caller?.aborted) abort(new CancelledError());
      // No `{ once: true }`: settle() removes it, and on Node 20 that option makes the pair ~4× dearer.
      else caller?.addEventListener('abort', onCancel);
      const handler: Dispatcher.DispatchHandler = {
        onRequestStart(ctl) {
          // Called again when the request is sent again on another connection (a pipeline's head failed).
          controller = ctl;
          if (abortWith) ctl.abort(abortWith);
        },
        onResponseStart(_ctl, statusCode, resHeaders) {
          status = { statusCode, headers: resHeaders };
          if (statusCode >= 400) limit = Math.min(cap, ERROR_BODY_CAP);
        },
        onResponseData(ctl, chunk) {
          size += chunk.length;
          if (size > limit) {
            overflow = true;
            ctl.abort(new Error('response body too large'));
            return;
          }
          chunks.push(chunk);
        },
        onResponseEnd() {
          const { statusCode, headers: h } = status as NonNullable<typeof status>;
          settle(undefined, { statusCode, headers: h, bytes: Buffer.concat(chunks, size) });
        },
        onResponseError(_ctl, err) {
          if (overflow && status) settle(undefined, { ...status, bytes: undefined });
          else settle(new AttemptFailure(err, timedOut, status));
        },
      };
      if (settled) return;
      this.dispatcher.dispatch(
        {
          origin: url.origin,
          path: url.search ? url.pathname + url.search : url.pathname,
          method,
          headers: { 'user-agent': this.userAgent, ...headers },
          body: body ?? null,
        },
        handler,
      );
    });
  }

  /** Sends one attempt whose answer is an event stream, left open. Rejects with AttemptFailure. */
  async openStream(
    url: URL,
    method: Method,
    headers: Record<string, string>,
    body: string | FormData | undefined,
    caller: AbortSignal | undefined,
    headersTimeout: number,
  ): Promise<Answer> {
    try {
      const res = await request(url, {
        dispatcher: this.dispatcher,
        method,
        headers: { 'user-agent': this.userAgent, ...headers },
        body: body ?? null,
        signal: caller ?? new AbortController().signal,
        headersTimeout,
        bodyTimeout: this.policy.streamIdleTimeoutMs,
      });
      return { statusCode: res.statusCode, headers: res.headers, bytes: undefined, stream: res.body };
    } catch (err) {
      throw new AttemptFailure(err, errorCode(err) === 'UND_ERR_HEADERS_TIMEOUT');
    }
  }

  /** Waits, rejecting with CancelledError if the caller cancels. Internal to ApiView. */
  wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
    return this.sleep(ms, signal);
  }
}

/** The per-API view tools use: `ctx.api.<service>.request(...)`. */
export class ApiView {
  constructor(
    private readonly client: HttpClient,
    readonly endpoint: Endpoint,
    private readonly envelope: Envelope,
  ) {}

  /** The API's service name. */
  get service(): ServiceName {
    return this.endpoint.service;
  }

  /** True when the named credential is configured. */
  has(credential: string): boolean {
    return Boolean(this.endpoint.credentials[credential]?.secret);
  }

  /** Replaces a credential's secret (SyncGuard key rotation). Callers register the new secret for redaction. */
  setSecret(credential: string, secret: string): void {
    const cred = this.endpoint.credentials[credential];
    if (!cred) throw new NotConfiguredError(this.service, this.endpoint.missingEnv);
    cred.secret = secret;
  }

  /** GET shorthand returning the unwrapped data. */
  async get<T = unknown>(path: string, opts: Omit<RequestOptions, 'method' | 'path'> = {}): Promise<T> {
    return (await this.request<T>({ ...opts, method: 'GET', path })).data;
  }

  /** POST shorthand returning the unwrapped data. */
  async post<T = unknown>(path: string, opts: Omit<RequestOptions, 'method' | 'path'> = {}): Promise<T> {
    return (await this.request<T>({ ...opts, method: 'POST', path })).data;
  }

  /** Sends a request with the retry policy; resolves to the unwrapped data or throws a typed error. */
  async request<T = unknown>(opts: RequestOptions): Promise<ApiResponse<T>> {
    if (opts.responseType === 'bytes') return (await this.requestBytes(opts)) as ApiResponse<T>;
    const res = await this.attempts(opts, 'json');
    const headers = flatHeaders(res.headers);
    const requestId = requestIdOf(headers);
    if (res.bytes === undefined) {
      throw new NetworkError(
        this.service,
        'malformed',
        opts.method,
        true,
        'response body too large',
        isReplayable(opts),
      );
    }
    const text = res.bytes.toString('utf8');
    const parsed = parseJson(text);
    if (!parsed.ok) {
      const type = headers['content-type'] ?? '';
      // An HTML page where JSON was expected is a proxy's or gateway's error page, not the API's answer.
      if (type.includes('json') || type.includes('html') || !type) {
        throw new NetworkError(
          this.service,
          'malformed',
          opts.method,
          true,
          type.includes('html')
            ? 'an HTML page came back instead of JSON'
            : 'response body is not valid JSON',
          isReplayable(opts),
        );
      }
      return { status: res.statusCode, data: text as T, headers, requestId };
    }
    const unwrapped = this.envelope.success(res.statusCode, parsed.value);
    if (!unwrapped.ok) {
      throw upstreamErrorFor({
        ...unwrapped.problem,
        service: this.service,
        status: unwrapped.status,
        method: opts.method,
        requestId,
        credentialEnv: this.credentialEnv(opts),
        replayable: isReplayable(opts),
      });
    }
    return { status: res.statusCode, data: unwrapped.data as T, headers, requestId };
  }

  /** A 2xx body as raw bytes (downloads); too large a body is a `malformed` NetworkError naming the cap. */
  private async requestBytes(opts: RequestOptions): Promise<ApiResponse<Buffer>> {
    const cap = opts.maxBytes ?? this.client.policy.maxResponseBytes;
    const res = await this.attempts(opts, 'bytes', cap);
    const data = res.bytes;
    if (data === undefined) {
      throw new NetworkError(
        this.service,
        'malformed',
        opts.method,
        true,
        `response body exceeds ${cap} bytes`,
        isReplayable(opts),
      );
    }
    const headers = flatHeaders(res.headers);
    return { status: res.statusCode, data, headers, requestId: requestIdOf(headers) };
  }

  /** Opens an SSE stream (same retry policy until the response starts; no retry once events flow). */
  async stream(opts: RequestOptions): Promise<ApiStream> {
    const res = await this.attempts(opts, 'stream');
    const body = res.stream as Dispatcher.ResponseData['body'];
    const headers = flatHeaders(res.headers);
    const type = headers['content-type'] ?? '';
    if (!type.includes('text/event-stream')) {
      // A 200 JSON body where a stream was expected: read it as an error when it is one.
      const text = (await readBody(body, this.client.policy.maxResponseBytes)) ?? '';
      const parsed = parseJson(text);
      throw new NetworkError(
        this.service,
        'malformed',
        opts.method,
        true,
        `expected an event stream, got ${mediaType(type)}${parsed.ok ? '' : ' (unreadable body)'}`,
        isReplayable(opts),
      );
    }
    return {
      status: res.statusCode,
      headers,
      requestId: requestIdOf(headers),
      events: this.guardEvents(readSse(body), opts),
    };
  }

  /** The body failed after the headers came (reset, timeout, caller cancelled): the same typed errors. */
  private bodyFailure(
    err: unknown,
    opts: RequestOptions,
    attemptTimedOut = false,
  ): CancelledError | NetworkError {
    if (opts.signal?.aborted) return new CancelledError();
    const code = errorCode(err);
    const timedOut = attemptTimedOut || code === 'UND_ERR_BODY_TIMEOUT';
    return new NetworkError(
      this.service,
      timedOut ? 'timeout' : 'connection',
      opts.method,
      true,
      timedOut
        ? 'the response body did not arrive in time'
        : `response cut off (${code ?? 'connection lost'})`,
      isReplayable(opts),
    );
  }

  /** Event iteration whose failures (reset mid-stream, idle timeout, cancellation) are typed errors too. */
  private async *guardEvents(
    events: AsyncGenerator<SseEvent>,
    opts: RequestOptions,
  ): AsyncGenerator<SseEvent> {
    try {
      yield* events;
    } catch (err) {
      throw this.bodyFailure(err, opts);
    }
  }

  /** A 3xx answer: an error naming the base URL variable to fix and where the redirect pointed. */
  private redirected(opts: RequestOptions, res: Answer, url: URL): RedirectError {
    const headers = flatHeaders(res.headers);
    return new RedirectError({
      service: this.service,
      status: res.statusCode,
      method: opts.method,
      message: `redirect (HTTP ${res.statusCode})`,
      location: redirectTarget(headers.location, url.toString()),
      requestId: requestIdOf(headers),
      credentialEnv: this.credentialEnv(opts),
    });
  }

  /** The rate budget has no room before the deadline: the request was not sent, and says so. */
  private heldBack(opts: RequestOptions, waitMs: number): UpstreamError {
    return upstreamErrorFor({
      service: this.service,
      status: 429,
      method: opts.method,
      message:
        "syn-mcp held this request back and did not send it: this key's rate budget has no room before the " +
        "call's deadline (the API's documented limit, its X-RateLimit headers or a Retry-After it sent)",
      code: 'RATE_BUDGET',
      retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)),
      credentialEnv: this.credentialEnv(opts),
      replayable: true,
      local: true,
    });
  }

  private credentialEnv(opts: RequestOptions): string {
    if (opts.bearer) return opts.bearer.env;
    const name = opts.credential ?? this.endpoint.defaultCredential;
    return this.endpoint.credentials[name]?.env ?? this.endpoint.missingEnv;
  }

  private authHeader(opts: RequestOptions): [string, string] {
    if (opts.bearer) return ['authorization', `Bearer ${opts.bearer.secret}`];
    const name = opts.credential ?? this.endpoint.defaultCredential;
    const cred = this.endpoint.credentials[name];
    if (!cred?.secret) {
      throw new NotConfiguredError(this.service, cred?.env ?? this.endpoint.missingEnv);
    }
    return [cred.header.toLowerCase(), cred.scheme === 'bearer' ? `Bearer ${cred.secret}` : cred.secret];
  }

  /**
   * Runs attempts until a response that is not retried; throws typed errors for error statuses. `json` and
   * `bytes` read the whole body (up to `cap`, default the policy's maxResponseBytes) within the attempt's
   * timeout; `stream` leaves an event stream open.
   */
  private async attempts(
    opts: RequestOptions,
    kind: 'json' | 'bytes' | 'stream',
    cap?: number,
  ): Promise<Answer> {
    const { client } = this;
    const { policy } = client;
    const started = client.now();
    const baseDeadline = opts.deadline ?? started + policy.callDeadlineMs;
    const deadline =
      opts.timeoutMs === undefined ? baseDeadline : Math.max(baseDeadline, started + opts.timeoutMs);
    const perAttempt = opts.timeoutMs ?? policy.attemptTimeoutMs;
    const url = new URL(this.endpoint.baseUrl + opts.path);
    appendQuery(url, opts.query);
    const [authName, authValue] = this.authHeader(opts);
    const accept = kind === 'json' ? 'application/json' : kind === 'bytes' ? '*/*' : 'text/event-stream';
    const headers: Record<string, string> = { accept, [authName]: authValue };
    let body: string | FormData | undefined;
    if (opts.form) body = opts.form;
    else if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['content-type'] = 'application/json';
    }
    if (opts.idempotencyKey) headers['idempotency-key'] = opts.idempotencyKey;
    const correlation = correlationOf(opts.signal);
    if (correlation) headers['x-correlation-id'] = correlation;
    const replayable = isReplayable(opts);
    const isStream = kind === 'stream';
    const limit = cap ?? policy.maxResponseBytes;
    const rates = client.rates?.limits(this.service) ? client.rates : undefined;
    const rateKey = rates?.key(this.service, authValue);

    for (let attempt = 0; ; attempt++) {
      if (opts.signal?.aborted) throw new CancelledError();
      let ticket: string | undefined;
      if (rates && rateKey !== undefined) {
        const grant = await rates.acquire(
          this.service,
          rateKey,
          deadline,
          (ms) => client.wait(ms, opts.signal),
          perAttempt,
        );
        if (typeof grant === 'number') throw this.heldBack(opts, grant);
        ticket = grant;
      }
      const remaining = deadline - client.now();
      if (remaining <= 0) {
        // Granted but not sent: end its hold now (it then counts for one window, not its whole hold).
        if (ticket !== undefined) rates?.release(rateKey as string, ticket);
        throw new NetworkError(
          this.service,
          'deadline',
          opts.method,
          attempt > 0,
          'the call deadline passed',
          isReplayable(opts),
        );
      }
      const attemptTimeout = Math.min(perAttempt, remaining);
      const canRetry = attempt < policy.maxRetries;

      let res: Answer;
      try {
        res = isStream
          ? await client.openStream(url, opts.method, headers, body, opts.signal, attemptTimeout)
          : await client.fetch(url, opts.method, headers, body, opts.signal, attemptTimeout, limit);
        if (ticket !== undefined) rates?.release(rateKey as string, ticket);
      } catch (err) {
        if (ticket !== undefined) rates?.release(rateKey as string, ticket);
        if (opts.signal?.aborted) throw new CancelledError();
        const failed = err instanceof AttemptFailure ? err : new AttemptFailure(err, false);
        if (failed.status && failed.status.statusCode < 400) {
          // Cut off in the middle of a body: it was answered, so it is not sent again.
          throw this.bodyFailure(failed.error, opts, failed.timedOut);
        }
        if (failed.status) {
          // An error status whose body was cut off: the status alone is the answer.
          res = { ...failed.status, bytes: EMPTY };
        } else {
          const code = errorCode(failed.error);
          const timedOut =
            failed.timedOut || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT';
          const notSent = !timedOut && code !== undefined && NOT_SENT_CODES.has(code);
          const failure = new NetworkError(
            this.service,
            timedOut ? 'timeout' : 'connection',
            opts.method,
            !notSent,
            timedOut
              ? `no answer within ${Math.round(attemptTimeout / 1000)} s`
              : (code ?? 'connection failed'),
            isReplayable(opts),
          );
          if (canRetry && (notSent || replayable)) {
            const wait = client.backoffMs(attempt);
            if (client.now() + wait < deadline) {
              await client.wait(wait, opts.signal);
              continue;
            }
          }
          throw failure;
        }
      }

      if (res.statusCode >= 300 && res.statusCode < 400) {
        // Never followed (the Agent has no redirect interceptor) and never success: nothing was done here.
        await res.stream?.dump({ limit: ERROR_BODY_CAP }).catch(() => undefined);
        throw this.redirected(opts, res, url);
      }
      if (res.statusCode < 400) {
        if (rates && rateKey !== undefined) {
          await rates.observe(this.service, rateKey, res.statusCode, res.headers, undefined);
        }
        return res;
      }

      const text = res.stream
        ? ((await readBody(res.stream, ERROR_BODY_CAP).catch(() => undefined)) ?? '')
        : (res.bytes?.toString('utf8') ?? '');
      const parsed = parseJson(text);
      const problem = this.envelope.problem(res.statusCode, parsed.ok ? parsed.value : text);
      const resHeaders = flatHeaders(res.headers);
      // At most an hour; a zero, negative or past value is a brief pause, not a retry at once (saneHoldMs).
      const retryAfterMs = saneHoldMs(
        parseRetryAfter(resHeaders['retry-after'], client.now()) ??
          (problem.retryAfterSeconds !== undefined ? problem.retryAfterSeconds * 1000 : undefined) ??
          // No Retry-After: X-RateLimit-Reset says when the exhausted window ends (only when it is exhausted).
          (res.statusCode === 429 && resHeaders['x-ratelimit-remaining']?.trim() === '0'
            ? resetInMs(resHeaders['x-ratelimit-reset'], client.now())
            : undefined),
      );
      if (rates && rateKey !== undefined) {
        await rates.observe(this.service, rateKey, res.statusCode, res.headers, retryAfterMs);
      }
      const error: UpstreamError = upstreamErrorFor({
        ...problem,
        service: this.service,
        status: res.statusCode,
        method: opts.method,
        requestId: requestIdOf(resHeaders),
        credentialEnv: this.credentialEnv(opts),
        replayable: isReplayable(opts),
        retryAfterSeconds: retryAfterMs !== undefined ? Math.ceil(retryAfterMs / 1000) : undefined,
      });
      const retryableStatus = res.statusCode === 408 || res.statusCode === 429 || res.statusCode >= 500;
      if (canRetry && retryableStatus && replayable && res.statusCode !== 501) {
        const wait = retryAfterMs ?? client.backoffMs(attempt);
        if (wait <= policy.maxRetryAfterMs && client.now() + wait < deadline) {
          await client.wait(wait, opts.signal);
          continue;
        }
      }
      throw error;
    }
  }
}
