/** What a request is: the API it goes to (Endpoint), what a tool asks for (RequestOptions), what comes back. */
import type { FormData } from 'undici';
import type { ServiceName } from '../errors.js';
import type { SseEvent } from './sse.js';

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
  /** Sent upstream as `x-correlation-id`: the id of the tool call this request belongs to. */
  correlationId?: string | undefined;
  /**
   * Told the upstream's final answer to this request, once per `request()`/`stream()`: the status and request
   * id of the success, or of the UpstreamError thrown (held-back and redirect errors included); not called for
   * a NetworkError, a cancellation or a request never built (NotConfiguredError).
   */
  observe?: ((answer: UpstreamAnswer) => void) | undefined;
}

/** What a request's observer is told: the upstream's final answer. */
export interface UpstreamAnswer {
  status: number;
  requestId?: string | undefined;
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

const IDEMPOTENT = new Set<Method>(['GET', 'HEAD', 'PUT', 'DELETE']);

/** True when sending the request again cannot write twice. */
export function isReplayable(opts: RequestOptions): boolean {
  return IDEMPOTENT.has(opts.method) || opts.idempotencyKey !== undefined || opts.idempotent === true;
}
