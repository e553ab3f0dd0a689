/**
 * Synchronex error shapes (seed 004): `{error: {code, message}}` with the codes UNAUTHORIZED, FORBIDDEN,
 * NOT_FOUND, RATE_LIMITED, VALIDATION_ERROR, TIER_REQUIRED, INTERNAL_ERROR; and the different, flat 429 body
 * `{error: "rate_limit_exceeded", retry_after, limit, remaining, reset_at}`.
 */

/** Error codes the document lists. */
export type SxCode =
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'RATE_LIMITED'
  | 'VALIDATION_ERROR'
  | 'TIER_REQUIRED'
  | 'INTERNAL_ERROR';

/** A failure a route throws; rendered as `{error: {code, message}}`. */
export class SxApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: SxCode,
    message: string,
  ) {
    super(message);
    this.name = 'SxApiError';
  }
}

/** 400 VALIDATION_ERROR. */
export function validation(message: string): SxApiError {
  return new SxApiError(400, 'VALIDATION_ERROR', message);
}

/** 404 NOT_FOUND. */
export function notFound(message: string): SxApiError {
  return new SxApiError(404, 'NOT_FOUND', message);
}

/** The documented error body. */
export function errorBody(code: SxCode, message: string): { error: { code: SxCode; message: string } } {
  return { error: { code, message } };
}

/** The documented flat 429 body. */
export function rateLimitBody(
  retryAfterSeconds: number,
  limit: number,
  resetAtMs: number,
): Record<string, unknown> {
  return {
    error: 'rate_limit_exceeded',
    retry_after: retryAfterSeconds,
    limit,
    remaining: 0,
    reset_at: new Date(resetAtMs).toISOString(),
  };
}

/** The code the document gives a bare HTTP status (injected faults, crashes). */
export function codeForStatus(status: number): SxCode {
  if (status === 401) return 'UNAUTHORIZED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  if (status === 429) return 'RATE_LIMITED';
  if (status >= 400 && status < 500) return 'VALIDATION_ERROR';
  return 'INTERNAL_ERROR';
}
