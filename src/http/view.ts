/**
 * The per-API view tools use (`ctx.api.<service>.request(...)`): one API's endpoint and envelope over the
 * process's one client. It reads a success as JSON, bytes or an event stream; attempts.ts sends it.
 */
import type { Dispatcher } from 'undici';
import { NotConfiguredError, type ServiceName, upstreamErrorFor } from '../errors.js';
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
} from './request.js';
import { readSse, type SseEvent } from './sse.js';

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

  /** Opens an SSE stream (same retry policy until the response starts; no retry once events flow). */
  async stream(opts: RequestOptions): Promise<ApiStream> {
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
