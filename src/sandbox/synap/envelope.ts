/**
 * Synap's two error envelopes (api-notes §4, decision 3):
 * - the documented `{error, code, details}` (seed 003, docs.maximem.ai), and
 * - FastAPI's `{detail}` that the Python SDK parses (a string; an object for 402; a list of `{loc, msg, type}`
 *   for request validation, with HTTP 422).
 * The emulator answers in the style it is set to (`docs` by default); a validation failure is a 400
 * `INVALID_INPUT` with `details.fields` in the docs style and a 422 `{detail: [...]}` in the FastAPI style.
 */

/** Which error envelope the emulator speaks. */
export type ErrorStyle = 'docs' | 'fastapi';

/** A failure a route throws; the router renders it in the current error style. */
export class SynapApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
    /** Field → messages, for validation failures. */
    readonly fields: Record<string, string[]> | undefined = undefined,
  ) {
    super(message);
    this.name = 'SynapApiError';
  }
}

/** 400 INVALID_INPUT naming one field. */
export function invalid(field: string, message: string): SynapApiError {
  return new SynapApiError(400, 'INVALID_INPUT', `${field}: ${message}`, {}, { [field]: [message] });
}

/** 404 with a resource code. */
export function notFound(
  code: string,
  message: string,
  details: Record<string, unknown> = {},
): SynapApiError {
  return new SynapApiError(404, code, message, details);
}

/** Renders an error in the given style; returns the HTTP status to use and the body. */
export function renderError(style: ErrorStyle, err: SynapApiError): { status: number; body: unknown } {
  if (style === 'fastapi') {
    if (err.fields) {
      const detail = Object.entries(err.fields).flatMap(([field, msgs]) =>
        msgs.map((msg) => ({ loc: ['body', field], msg, type: 'value_error' })),
      );
      return { status: 422, body: { detail } };
    }
    if (err.status === 402)
      return { status: 402, body: { detail: { message: err.message, code: err.code } } };
    return { status: err.status, body: { detail: err.message } };
  }
  const details = err.fields ? { ...err.details, fields: err.fields } : err.details;
  return { status: err.status, body: { error: err.message, code: err.code, details } };
}

/** The machine code the docs list for a bare HTTP status (injected faults, crashes). */
export function codeForStatus(status: number): string {
  if (status === 400) return 'INVALID_INPUT';
  if (status === 401) return 'UNAUTHORIZED';
  if (status === 402) return 'INSUFFICIENT_CREDITS';
  if (status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  if (status === 409) return 'CONFLICT';
  if (status === 429) return 'RATE_LIMITED';
  if (status === 503) return 'SERVICE_UNAVAILABLE';
  return 'INTERNAL_ERROR';
}

/** Error body for a bare status in the given style (used by fault injection and the common server). */
export function errorBodyFor(
  style: ErrorStyle,
  status: number,
  message: string,
  retryAfter?: string,
): unknown {
  const details: Record<string, unknown> = {};
  if (retryAfter !== undefined && /^\d+$/.test(retryAfter)) details.retry_after = Number(retryAfter);
  return renderError(style, new SynapApiError(status, codeForStatus(status), message, details)).body;
}
