/**
 * SyncGuard's `OperationResult<T>` envelope and error codes.
 *
 * Documented (seed 002): 0 = Success, 4 = ValidationError, and the 429 body
 * `{isSuccess:false, statusCode:429, message:"Rate limit exceeded. Try again in N seconds."}` + `Retry-After`.
 * Chosen here for what the document leaves open (stable, so clients and tests may rely on them):
 *   1 = Unauthorized (401: missing/invalid X-Api-Key or bearer token)
 *   2 = NotFound     (404: unknown id or unknown route)
 *   3 = Conflict     (409: tenant externalId already exists, incident already closed)
 *   5 = InternalError (5xx, including injected status faults without a body)
 * Any other injected 4xx without a body gets 4 (ValidationError).
 */

/** Error codes used in the envelope (see the module comment for which are documented). */
export const ErrorCode = {
  Success: 0,
  Unauthorized: 1,
  NotFound: 2,
  Conflict: 3,
  ValidationError: 4,
  InternalError: 5,
} as const;

/** A failure a handler throws; the router turns it into the envelope and status. */
export class ApiError extends Error {
  readonly status: number;
  readonly errorCode: number;

  constructor(status: number, errorCode: number, message: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.errorCode = errorCode;
  }
}

/** 400 ValidationError (errorCode 4) with a message naming the field. */
export function validationError(message: string): ApiError {
  return new ApiError(400, ErrorCode.ValidationError, message);
}

/** 404 NotFound (errorCode 2). */
export function notFound(message: string): ApiError {
  return new ApiError(404, ErrorCode.NotFound, message);
}

/** 409 Conflict (errorCode 3). */
export function conflict(message: string): ApiError {
  return new ApiError(409, ErrorCode.Conflict, message);
}

/** 401 Unauthorized (errorCode 1). */
export function unauthorized(message: string): ApiError {
  return new ApiError(401, ErrorCode.Unauthorized, message);
}

/** Success envelope. */
export function success(data: unknown, message: string | null = null): Record<string, unknown> {
  return { isSuccess: true, errorCode: ErrorCode.Success, message, data };
}

/** Error envelope `{isSuccess:false, errorCode, message}`. */
export function failure(errorCode: number, message: string): Record<string, unknown> {
  return { isSuccess: false, errorCode, message };
}

/** The documented 429 body; `retryAfter` is the Retry-After header value (seconds). */
export function rateLimitBody(retryAfter: string | undefined): Record<string, unknown> {
  const seconds = retryAfter !== undefined && /^\d+$/.test(retryAfter) ? retryAfter : undefined;
  const message =
    seconds === undefined
      ? 'Rate limit exceeded. Try again later.'
      : `Rate limit exceeded. Try again in ${seconds} seconds.`;
  return { isSuccess: false, statusCode: 429, message };
}

/** The envelope for an HTTP status with no handler-specific body (faults, bad bodies, crashes). */
export function errorBodyForStatus(status: number, message: string, retryAfter?: string): unknown {
  if (status === 429) return rateLimitBody(retryAfter);
  if (status === 401) return failure(ErrorCode.Unauthorized, message);
  if (status === 404) return failure(ErrorCode.NotFound, message);
  if (status === 409) return failure(ErrorCode.Conflict, message);
  if (status >= 500) return failure(ErrorCode.InternalError, message);
  return failure(ErrorCode.ValidationError, message);
}
