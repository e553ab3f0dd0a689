/**
 * Synqly's error body, the `Problem` (seed 000 "Errors", api-notes §1): `{type?, occurred_at, status,
 * instance, message, detail?, remediation?, context?, cause?}`. Handlers throw ProblemError; the router
 * turns it into the body with the request path as `instance`.
 */

const TYPE_BASE = 'https://docs.synqly.com/problems/';

/** One root cause of a problem. */
export interface ProblemCause {
  type: string;
  message: string;
  detail?: string;
  remediation?: string;
}

/** The parameter a problem is about (`context.parameter`). */
export interface ProblemParameter {
  id: string;
  location: 'path' | 'query' | 'body' | 'header';
  value?: unknown;
}

/** What a handler says about a failure; `occurred_at` and `instance` are added when it is sent. */
export interface ProblemInit {
  status: number;
  message: string;
  /** Last segment of the `type` URI, e.g. `not-found`. */
  kind?: string;
  detail?: string;
  remediation?: string;
  parameter?: ProblemParameter;
  cause?: ProblemCause[];
}

/** A failure a handler throws. */
export class ProblemError extends Error {
  readonly init: ProblemInit;
  constructor(init: ProblemInit) {
    super(init.message);
    this.name = 'ProblemError';
    this.init = init;
  }
}

const KIND_OF_STATUS: Readonly<Record<number, string>> = {
  400: 'bad-request',
  401: 'unauthorized',
  402: 'payment-required',
  403: 'forbidden',
  404: 'not-found',
  405: 'method-not-allowed',
  409: 'conflict',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  429: 'too-many-requests',
  500: 'internal-server-error',
  502: 'bad-gateway',
  503: 'service-unavailable',
};

/** The Problem body of `init` for the request at `instance`, at time `now`. */
export function problemBody(init: ProblemInit, instance: string, now: number): Record<string, unknown> {
  const kind = init.kind ?? KIND_OF_STATUS[init.status] ?? 'error';
  const body: Record<string, unknown> = {
    type: `${TYPE_BASE}${kind}`,
    occurred_at: new Date(now).toISOString(),
    status: init.status,
    instance,
    message: init.message,
  };
  if (init.detail !== undefined) body.detail = init.detail;
  if (init.remediation !== undefined) body.remediation = init.remediation;
  if (init.parameter !== undefined) body.context = { parameter: init.parameter };
  if (init.cause !== undefined) body.cause = init.cause;
  return body;
}

/** 400 about one parameter. */
export function badRequest(
  message: string,
  parameter?: ProblemParameter,
  extra: Partial<ProblemInit> = {},
): ProblemError {
  return new ProblemError({
    status: 400,
    message,
    ...(parameter ? { parameter } : {}),
    ...extra,
  });
}

/** 404 for a resource, with a cause naming it. */
export function notFound(what: string, id: string, remediation?: string): ProblemError {
  return new ProblemError({
    status: 404,
    message: `${what} not found`,
    detail: `No ${what.toLowerCase()} with ID '${id}' exists.`,
    cause: [{ type: `${TYPE_BASE}resource-not-found`, message: `${what} not found` }],
    ...(remediation ? { remediation } : {}),
  });
}

/** 409 for a name already taken. */
export function conflict(message: string, detail?: string): ProblemError {
  return new ProblemError({ status: 409, message, ...(detail ? { detail } : {}) });
}

/** 401: missing, unknown or expired token. */
export function unauthorized(message: string, remediation: string, detail?: string): ProblemError {
  return new ProblemError({
    status: 401,
    message,
    remediation,
    ...(detail ? { detail } : {}),
  });
}

/** 403: a valid token of the wrong kind, or without access to the resource. */
export function forbidden(message: string, remediation: string, detail?: string): ProblemError {
  return new ProblemError({
    status: 403,
    message,
    remediation,
    ...(detail ? { detail } : {}),
    cause: [{ type: `${TYPE_BASE}invalid-token-type`, message }],
  });
}

/** The Problem body for a status with no handler-specific problem (faults, crashes, bad bodies). */
export function problemForStatus(status: number, message: string, instance: string, now: number): unknown {
  return problemBody({ status, message }, instance, now);
}
