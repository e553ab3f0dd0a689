/**
 * The per-API view tools use (`ctx.api.<service>.request(...)`): one API's endpoint and envelope over the
 * process's one client. It reads a success as JSON, bytes or an event stream; attempts.ts sends it.
 */
import type { Dispatcher } from 'undici';
import { NotConfiguredError, type ServiceName, UpstreamError, upstreamErrorFor } from '../errors.js';
import { attempts } from './attempts.js';
import { credentialEnv } from './build.js';
import {
  type Asked,
  bodyFailure,
  flatHeaders,
  mediaType,
  networkError,
  parseJson,
  readBody,
  requestIdOf,
} from './classify.js';
import type { HttpClient } from './client.js';
import type { Envelope } from './envelopes.js';
import {
  type ApiResponse,
  type ApiStream,
  type Endpoint,
  isReplayable,
  type RequestOptions,
  type UpstreamAnswer,
} from './request.js';
import { readSse, type SseEvent } from './sse.js';

/**
 * Key rotations shared with other replicas (src/state/rotation.ts): a view built with them tells them of each
 * secret its setSecret replaces, and asks them for a newer secret when a request is refused with 401.
 */
export interface CredentialRotations {
  /** `service`'s secret `old` was replaced with `next` here (told, not awaited: it must not throw). */
  published(service: ServiceName, old: string, next: string): void;
  /** The newest secret `current` was rotated to elsewhere, registered for redaction; undefined when none. */
  newest(service: ServiceName, current: string): Promise<string | undefined>;
}

/** What a view is built with besides its endpoint. */
export interface ViewHooks {
  rotations?: CredentialRotations | undefined;
}

/** The per-API view tools use: `ctx.api.<service>.request(...)`. */
export class ApiView {
  constructor(
    private readonly client: HttpClient,
    readonly endpoint: Endpoint,
    private readonly envelope: Envelope,
    private readonly rotations?: CredentialRotations | undefined,
  ) {}

  /** The API's service name. */
  get service(): ServiceName {
    return this.endpoint.service;
  }

  /** True when the named credential is configured. */
  has(credential: string): boolean {
    return Boolean(this.endpoint.credentials[credential]?.secret);
  }

  /**
   * Replaces a credential's secret (SyncGuard key rotation) and tells the view's rotations, if it shares any.
   * Callers register the new secret for redaction.
   */
  setSecret(credential: string, secret: string): void {
    const old = this.replaceSecret(credential, secret);
    if (old !== secret) this.rotations?.published(this.service, old, secret);
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
  request<T = unknown>(opts: RequestOptions): Promise<ApiResponse<T>> {
    return this.answered(opts, () =>
      opts.responseType === 'bytes'
        ? (this.requestBytes(opts) as Promise<ApiResponse<T>>)
        : this.requestJson<T>(opts),
    );
  }

  /** Opens an SSE stream (same retry policy until the response starts; no retry once events flow). */
  stream(opts: RequestOptions): Promise<ApiStream> {
    return this.answered(opts, () => this.openStream(opts));
  }

  /**
   * Sends by `send`, once more after switching to the newer secret when a 401 refused a credential another
   * replica rotated (a refused request did nothing, so sending it again is safe), and tells `opts.observe` the
   * final upstream answer.
   */
  private async answered<R extends UpstreamAnswer>(opts: RequestOptions, send: () => Promise<R>): Promise<R> {
    let res: R;
    try {
      res = await (this.rotations ? this.sendRotating(opts, send, this.rotations) : send());
    } catch (err) {
      if (err instanceof UpstreamError) opts.observe?.({ status: err.status, requestId: err.requestId });
      throw err;
    }
    opts.observe?.({ status: res.status, requestId: res.requestId });
    return res;
  }

  private async sendRotating<R>(
    opts: RequestOptions,
    send: () => Promise<R>,
    rotations: CredentialRotations,
  ): Promise<R> {
    try {
      return await send();
    } catch (err) {
      if (!(err instanceof UpstreamError) || err.status !== 401 || opts.bearer !== undefined) throw err;
      const name = opts.credential ?? this.endpoint.defaultCredential;
      const current = this.endpoint.credentials[name]?.secret;
      const newer = current === undefined ? undefined : await rotations.newest(this.service, current);
      if (newer === undefined) throw err;
      this.replaceSecret(name, newer);
      return send();
    }
  }

  /** Sets a credential's secret without telling anyone (a rotation learned elsewhere); returns the old one. */
  private replaceSecret(credential: string, secret: string): string {
    const cred = this.endpoint.credentials[credential];
    if (!cred) throw new NotConfiguredError(this.service, this.endpoint.missingEnv);
    const old = cred.secret;
    cred.secret = secret;
    return old;
  }

  private async requestJson<T>(opts: RequestOptions): Promise<ApiResponse<T>> {
    const asked = this.asked(opts);
    const res = await attempts(this.client, this.envelope, asked, 'json');
    const headers = flatHeaders(res.headers);
    const requestId = requestIdOf(headers);
    if (res.bytes === undefined) throw networkError(asked, 'malformed', true, 'response body too large');
    const text = res.bytes.toString('utf8');
    const parsed = parseJson(text);
    if (!parsed.ok) {
      const type = headers['content-type'] ?? '';
      // An HTML page where JSON was expected is a proxy's or gateway's error page, not the API's answer.
      if (type.includes('json') || type.includes('html') || !type) {
        const detail = type.includes('html')
          ? 'an HTML page came back instead of JSON'
          : 'response body is not valid JSON';
        throw networkError(asked, 'malformed', true, detail);
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
        credentialEnv: credentialEnv(this.endpoint, opts),
        replayable: isReplayable(opts),
      });
    }
    return { status: res.statusCode, data: unwrapped.data as T, headers, requestId };
  }

  /** A 2xx body as raw bytes (downloads); too large a body is a `malformed` NetworkError naming the cap. */
  private async requestBytes(opts: RequestOptions): Promise<ApiResponse<Buffer>> {
    const asked = this.asked(opts);
    const cap = opts.maxBytes ?? this.client.policy.maxResponseBytes;
    const res = await attempts(this.client, this.envelope, asked, 'bytes', cap);
    const data = res.bytes;
    if (data === undefined)
      throw networkError(asked, 'malformed', true, `response body exceeds ${cap} bytes`);
    const headers = flatHeaders(res.headers);
    return { status: res.statusCode, data, headers, requestId: requestIdOf(headers) };
  }

  private async openStream(opts: RequestOptions): Promise<ApiStream> {
    const asked = this.asked(opts);
    const res = await attempts(this.client, this.envelope, asked, 'stream');
    const body = res.stream as Dispatcher.ResponseData['body'];
    const headers = flatHeaders(res.headers);
    const type = headers['content-type'] ?? '';
    if (!type.includes('text/event-stream')) {
      // A 200 JSON body where a stream was expected: read it as an error when it is one.
      const text = (await readBody(body, this.client.policy.maxResponseBytes)) ?? '';
      const parsed = parseJson(text);
      const detail = `expected an event stream, got ${mediaType(type)}${parsed.ok ? '' : ' (unreadable body)'}`;
      throw networkError(asked, 'malformed', true, detail);
    }
    return {
      status: res.statusCode,
      headers,
      requestId: requestIdOf(headers),
      events: guardEvents(readSse(body), asked),
    };
  }

  private asked(opts: RequestOptions): Asked {
    return { endpoint: this.endpoint, opts };
  }
}

/** Event iteration whose failures (reset mid-stream, idle timeout, cancellation) are typed errors too. */
async function* guardEvents(events: AsyncGenerator<SseEvent>, asked: Asked): AsyncGenerator<SseEvent> {
  try {
    yield* events;
  } catch (err) {
    throw bodyFailure(asked, err);
  }
}
