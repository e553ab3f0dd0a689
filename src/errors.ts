/**
 * The errors syn-mcp raises on purpose, one class per kind of failure the model can act on; how each is told
 * to the model is in error-text.ts.
 */
import { APIS, byApi, type ServiceName } from './apis.js';

/** The upstream APIs syn-mcp speaks to (named in src/apis.ts, with their records). */
export type { ServiceName } from './apis.js';

/** Display names used in messages to the model. */
export const SERVICE_LABEL: Readonly<Record<ServiceName, string>> = byApi((a) => a.label);

/** Upstream text is cut to this many characters before it reaches the model. */
export const MAX_UPSTREAM_TEXT = 500;

/** Base class of every error syn-mcp raises on purpose. */
export class SynError extends Error {
  override name = 'SynError';
  /**
   * Text that came from an upstream (an agent's error, a stream's message), told apart from `message`, which
   * is syn-mcp's own: the error result fences it as data (fence.ts). `source` names where it came from.
   */
  upstream: { text: string; source: ServiceName } | undefined;
  constructor(message: string, upstream?: { text: string; source: ServiceName }) {
    super(message);
    this.upstream = upstream;
  }
}

/** One field-level problem, as the model should read it. */
export interface FieldIssue {
  path: string;
  message: string;
}

/**
 * The tool's arguments did not validate; nothing was sent upstream. `upstream` holds what an earlier read
 * returned that the refusal shows (the valid names, say): fenced as data like any upstream text.
 */
export class InputError extends SynError {
  override name = 'InputError';
  constructor(
    message: string,
    readonly issues: readonly FieldIssue[] = [],
    upstream?: { text: string; source: ServiceName },
  ) {
    super(message, upstream);
  }
}

/** Startup configuration is invalid (bad URL, unknown toolset, …). */
export class ConfigError extends SynError {
  override name = 'ConfigError';
}

/** A service the tool needs is not configured in this process. */
export class NotConfiguredError extends SynError {
  override name = 'NotConfiguredError';
  constructor(
    readonly service: ServiceName,
    readonly envVar: string,
  ) {
    super(`${SERVICE_LABEL[service]} is not configured: set ${envVar}.`);
  }
}

/** What an upstream error response said, parsed from the API's own envelope. */
export interface UpstreamProblem {
  message: string;
  code?: string | undefined;
  fieldErrors?: readonly FieldIssue[] | undefined;
  remediation?: string | undefined;
  retryAfterSeconds?: number | undefined;
  /**
   * The refusal is about the account, not the key (the envelope knows its API's codes): its plan or tier
   * lacks this (`plan`), its credits ran out (`credits`), or the organization is disabled (`disabled`).
   */
  account?: AccountLimit | undefined;
}

/** What of the account stopped a request whose key works (UpstreamProblem.account). */
export type AccountLimit = 'plan' | 'credits' | 'disabled';

/** Fields shared by every upstream HTTP error. */
export interface UpstreamErrorInit extends UpstreamProblem {
  service: ServiceName;
  status: number;
  method: string;
  requestId?: string | undefined;
  credentialEnv?: string | undefined;
  /** The request may be sent again safely (a read, or a POST the API treats as idempotent). */
  replayable?: boolean | undefined;
  /** syn-mcp raised it without asking the API (a held-back request): `message` is syn-mcp's own text. */
  local?: boolean | undefined;
  /**
   * An earlier attempt of this request may have reached the API (its answer was lost, or it failed with a
   * 5xx), so what it did may explain this answer.
   */
  afterLostAnswer?: boolean | undefined;
}

/** The API answered with an error status (or a failure envelope). */
export class UpstreamError extends SynError {
  override name = 'UpstreamError';
  readonly service: ServiceName;
  readonly status: number;
  readonly method: string;
  readonly apiMessage: string;
  readonly code: string | undefined;
  readonly fieldErrors: readonly FieldIssue[];
  readonly remediation: string | undefined;
  readonly requestId: string | undefined;
  readonly retryAfterSeconds: number | undefined;
  readonly account: AccountLimit | undefined;
  readonly credentialEnv: string | undefined;
  /** True when sending the request again is safe (nothing is written twice). */
  readonly replayable: boolean;
  /** syn-mcp's own message, not the API's. */
  readonly local: boolean;

  constructor(init: UpstreamErrorInit) {
    super(`${SERVICE_LABEL[init.service]} answered HTTP ${init.status}: ${init.message}`);
    this.service = init.service;
    this.status = init.status;
    this.method = init.method;
    this.apiMessage = init.message;
    this.code = init.code;
    this.fieldErrors = init.fieldErrors ?? [];
    this.remediation = init.remediation;
    this.requestId = init.requestId;
    this.retryAfterSeconds = init.retryAfterSeconds;
    this.account = init.account;
    this.credentialEnv = init.credentialEnv;
    this.replayable = init.replayable ?? !isWrite(init.method);
    this.local = init.local ?? false;
  }
}

/** 400 / 422: the API rejected the request's content. */
export class BadRequestError extends UpstreamError {
  override name = 'BadRequestError';
}
/** 401 / 403: the credential is missing, invalid or lacks permission. */
export class AuthError extends UpstreamError {
  override name = 'AuthError';
}
/** 404: the resource does not exist. */
export class NotFoundError extends UpstreamError {
  override name = 'NotFoundError';
}
/**
 * 404 to a DELETE sent again after an earlier attempt that may have reached the API: that attempt probably
 * deleted it, so "not found" would tell the model the id never existed. Either way it is gone now.
 */
export class GoneAfterRetryError extends NotFoundError {
  override name = 'GoneAfterRetryError';
}
/** 409: the request conflicts with the resource's state. */
export class ConflictError extends UpstreamError {
  override name = 'ConflictError';
}
/** 429: rate limited. */
export class RateLimitError extends UpstreamError {
  override name = 'RateLimitError';
}
/** 5xx: the API failed. */
export class ServerError extends UpstreamError {
  override name = 'ServerError';
}

/** The environment variable that sets a service's base URL (DESIGN.md §6). */
export function baseUrlEnv(service: ServiceName): string {
  return APIS.find((a) => a.name === service)?.baseUrlEnv ?? `${service.toUpperCase()}_BASE_URL`;
}

/**
 * 3xx: the API answered with a redirect, which syn-mcp never follows (a redirect would carry the credential to
 * another address, and a write redirected as a GET would read as done). The base URL is the thing to fix.
 */
export class RedirectError extends UpstreamError {
  override name = 'RedirectError';
  /** Where the redirect pointed (redacted, no user info), when it said. */
  readonly location: string | undefined;
  /** The variable to fix, e.g. `SYNCGUARD_BASE_URL`. */
  readonly baseUrlEnv: string;
  constructor(init: UpstreamErrorInit & { location?: string | undefined }) {
    super({ ...init, replayable: true, local: true });
    this.location = init.location;
    this.baseUrlEnv = baseUrlEnv(init.service);
  }
}

/** Builds the error class that fits an HTTP status. */
export function upstreamErrorFor(init: UpstreamErrorInit): UpstreamError {
  const s = init.status;
  if (s === 400 || s === 422) return new BadRequestError(init);
  if (s === 401 || s === 403) return new AuthError(init);
  if (s === 404) {
    return init.afterLostAnswer && init.method === 'DELETE'
      ? new GoneAfterRetryError(init)
      : new NotFoundError(init);
  }
  if (s === 409) return new ConflictError(init);
  if (s === 429) return new RateLimitError(init);
  if (s >= 500) return new ServerError(init);
  return new UpstreamError(init);
}

/** Why a request got no usable answer. */
export type NetworkFailure = 'timeout' | 'connection' | 'malformed' | 'deadline';

/** No usable HTTP answer: timeout, reset, refused, or a body we could not parse. */
export class NetworkError extends SynError {
  override name = 'NetworkError';
  constructor(
    readonly service: ServiceName,
    readonly kind: NetworkFailure,
    readonly method: string,
    /** True when the request may have reached the API (a write may have happened). */
    readonly mayHaveReached: boolean,
    detail: string,
    /** True when sending the request again is safe even if it reached the API. */
    readonly replayable: boolean = !isWrite(method),
  ) {
    super(detail);
  }
}

/** The MCP client cancelled the call. */
export class CancelledError extends SynError {
  override name = 'CancelledError';
  constructor() {
    super('The call was cancelled by the client.');
  }
}

/** True for a method that may change something upstream. */
function isWrite(method: string): boolean {
  return method !== 'GET' && method !== 'HEAD';
}
