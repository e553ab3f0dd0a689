/**
 * The process's pool of connections (one keep-alive undici Agent) and one attempt sent on it: a body read whole,
 * or an event stream left open. Retrying is attempts.ts's.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { Agent, type Dispatcher, EnvHttpProxyAgent, type FormData, request } from 'undici';
import { API } from '../apis.js';
import { CancelledError } from '../errors.js';
import { type Answer, AttemptFailure, ERROR_BODY_CAP, errorCode } from './classify.js';
import { type ClientPolicy, DEFAULT_POLICY, backoffMs as jitteredBackoff } from './policy.js';
import type { RateLimiter } from './ratelimit.js';
import type { Endpoint, Method } from './request.js';
import { ApiView, type ViewHooks } from './view.js';

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
 * The one HTTP client of the process: a keep-alive undici Agent shared by every API view, with the
 * retry/timeout policy of DESIGN.md §5 (policy.ts) and the clock, randomness and rate budgets attempts use.
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

  /** A view of one API: its base URL, credentials and its record's envelope, over the shared pool. */
  view(endpoint: Endpoint, hooks: ViewHooks = {}): ApiView {
    return new ApiView(this, endpoint, API[endpoint.service].envelope, hooks.rotations);
  }

  /** Closes the pool (only when this client created it). */
  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close();
  }

  /** Exponential backoff 0.5 s → 8 s with jitter (50–100 % of the step). */
  backoffMs(retry: number): number {
    return jitteredBackoff(retry, this.random);
  }

  /**
   * Sends one attempt and reads its whole body, up to `cap` bytes (64 KiB when the status is an error). Through
   * the dispatcher's own handler interface rather than `request()`: no body stream, no AbortSignal.any() per
   * attempt; one timer bounds the attempt, headers and body. Rejects with AttemptFailure. Internal to
   * src/http (attempts.ts).
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

  /** Waits, rejecting with CancelledError if the caller cancels. Internal to src/http (attempts.ts). */
  wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
    return this.sleep(ms, signal);
  }
}
