import type { CallToolResult } from '@modelcontextprotocol/server';
import { APIS, byApi, type ServiceName } from './apis.js';
import { fence, stripInvisible } from './fence.js';
import { redact } from './http/redact.js';

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
}

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
  if (s === 404) return new NotFoundError(init);
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

/** Hints a tool gives the boundary for its error messages. */
export interface ErrorHints {
  /** The tool(s) that list the ids this tool takes (for 404s), one per kind of id. */
  listTool?: string | readonly string[] | undefined;
}

function cut(text: string): string {
  // Invisible characters out, then redact, then cut: either could otherwise leave part of a secret in the text.
  const oneLine = redact(stripInvisible(text)).replace(/\s+/g, ' ').trim();
  return oneLine.length > MAX_UPSTREAM_TEXT ? `${oneLine.slice(0, MAX_UPSTREAM_TEXT)}…` : oneLine;
}

/** The 404 hint: the tools that list valid ids, by name (never a REST path). */
function listHint(listTool: string | readonly string[] | undefined): string {
  const tools = (typeof listTool === 'string' ? [listTool] : (listTool ?? [])).map((t) => `\`${t}\``);
  if (tools.length === 0) return 'Check the id and call again.';
  if (tools.length === 1) return `Check the id; list valid ones with ${tools[0]}.`;
  return `Check the ids; list valid ones with ${tools.slice(0, -1).join(', ')} and ${tools.at(-1)}.`;
}

/** A REST call spelled out ("GET /v1/…"): the model cannot make one, so such advice is left out of hints. */
const REST_CALL = /\b(GET|POST|PUT|PATCH|DELETE)\s+\/\S*/;

/** The API's remediation without its sentences (or clauses) that point at raw REST calls (our hint names the tool). */
function remediationText(remediation: string): string {
  return remediation
    .split(/(?<=[.!?;])\s+/)
    .filter((s) => !REST_CALL.test(s))
    .join(' ')
    .replace(/;$/, '.');
}

function isWrite(method: string): boolean {
  return method !== 'GET' && method !== 'HEAD';
}

/** syn-mcp's own sentences, then what the upstream said fenced as data (fence.ts): one text. */
function withUpstream(own: string, upstream: readonly string[], service: ServiceName): string {
  if (upstream.length === 0) return own;
  return `${own}\n${fence(upstream.join('\n'), `${SERVICE_LABEL[service]} (its error response)`)}`;
}

/** What the API said, line by line, each cut and redacted: the part of an error result that is fenced. */
function upstreamLines(err: UpstreamError): string[] {
  const lines: string[] = [];
  if (!err.local) lines.push(`message: ${cut(err.apiMessage)}`);
  if (err.fieldErrors.length > 0) {
    lines.push(
      `fields: ${err.fieldErrors.map((f) => `${cut(f.path) || '(body)'}: ${cut(f.message)}`).join('; ')}`,
    );
  }
  const remediation = err.remediation ? remediationText(err.remediation) : '';
  if (remediation) lines.push(`remediation: ${cut(remediation)}`);
  if (err.code && !err.local) lines.push(`code: ${cut(err.code)}`);
  if (err.requestId) lines.push(`request id: ${cut(err.requestId)}`);
  if (err instanceof RedirectError && err.location) lines.push(`location: ${cut(err.location)}`);
  return lines;
}

function upstreamText(err: UpstreamError, hints: ErrorHints): string {
  const label = SERVICE_LABEL[err.service];
  const parts: string[] = [];
  if (err instanceof RedirectError) {
    parts.push(
      `${label} answered HTTP ${err.status}, a redirect${err.location ? ' (its location is below)' : ''}; ` +
        'syn-mcp never follows redirects, so the request was not carried out.',
    );
    parts.push(
      `${err.baseUrlEnv} does not point at the API itself: ask the user to set ${err.baseUrlEnv} to the API's ` +
        'documented base URL (often the https:// address the redirect names); retrying will not help.',
    );
  } else if (err instanceof BadRequestError) {
    parts.push(`${label} rejected the request (HTTP ${err.status}).`);
    parts.push('Fix the arguments and call again.');
  } else if (err instanceof AuthError) {
    const cred = err.credentialEnv ?? 'the API credential';
    // Synapse (FastAPI HTTPBearer) answers 403 for a missing key: api-notes §8.5 reads 401 and 403 alike.
    const keyProblem = err.status === 401 || (err.status === 403 && err.service === 'synapse');
    const what = keyProblem ? 'missing, invalid or revoked' : 'not allowed to do this';
    parts.push(`${label} refused the credential (HTTP ${err.status}).`);
    parts.push(`The key in ${cred} is ${what}. Ask the user to check ${cred}; retrying will not help.`);
  } else if (err instanceof NotFoundError) {
    parts.push(`${label}: not found (HTTP 404).`);
    parts.push(listHint(hints.listTool));
  } else if (err instanceof ConflictError) {
    parts.push(`${label}: conflict (HTTP 409).`);
    parts.push('The resource is not in a state that allows this; read it again before retrying.');
  } else if (err instanceof RateLimitError) {
    const wait = err.retryAfterSeconds;
    parts.push(
      err.local
        ? `${label} rate limit (HTTP 429): ${sentence(err.apiMessage)}`
        : `${label} rate limit reached (HTTP 429).`,
    );
    parts.push(wait !== undefined ? `Retry after ${wait} s.` : 'Wait a little before retrying.');
  } else if (err instanceof ServerError) {
    parts.push(`${label} is unavailable (HTTP ${err.status}).`);
    parts.push(
      err.replayable
        ? 'Retrying later is safe.'
        : 'The write may or may not have been applied: read the current state before retrying.',
    );
  } else {
    parts.push(`${label} answered HTTP ${err.status}.`);
  }
  return withUpstream(parts.join(' '), upstreamLines(err), err.service);
}

/** Ends a sentence of syn-mcp's own with a full stop so the next one reads as a new sentence. */
function sentence(text: string): string {
  return /[.!?…]$/.test(text) || text === '' ? text : `${text}.`;
}

function networkText(err: NetworkError): string {
  const label = SERVICE_LABEL[err.service];
  const what =
    err.kind === 'timeout' || err.kind === 'deadline'
      ? 'did not answer in time'
      : err.kind === 'malformed'
        ? 'sent a response that could not be read'
        : 'could not be reached';
  const next = err.replayable
    ? 'Retrying later is safe.'
    : err.mayHaveReached
      ? 'The write may have been applied: read the current state before retrying.'
      : 'The request was not sent; retrying is safe.';
  return `${label} is unavailable: it ${what} (${cut(err.message)}). ${next}`;
}

/**
 * The one short, redacted text a failure is told with: what failed and the next step (syn-mcp's words), then
 * what the API said, fenced as data (fence.ts).
 */
export function errorText(err: unknown, hints: ErrorHints = {}): string {
  let text: string;
  if (err instanceof InputError) {
    const fields = err.issues.map((i) => `${i.path || '(arguments)'}: ${i.message}`).join('; ');
    const own = fields
      ? `Invalid arguments: ${fields}. ${err.message}`.trim()
      : `Invalid arguments: ${err.message}`;
    text = err.upstream ? withUpstream(own, [cut(err.upstream.text)], err.upstream.source) : own;
  } else if (err instanceof UpstreamError) {
    text = upstreamText(err, hints);
  } else if (err instanceof NetworkError) {
    text = networkText(err);
  } else if (err instanceof SynError) {
    text = err.upstream
      ? withUpstream(err.message, [cut(err.upstream.text)], err.upstream.source)
      : err.message;
  } else {
    text = 'Internal error in syn-mcp while running this tool; the details were logged on the server.';
  }
  // Tools' own messages may quote upstream text too (fence what they can with SynError's `upstream`): no
  // invisible characters anywhere, and none left to split a secret before redaction.
  return redact(stripInvisible(text));
}

/** Turns any failure into the one isError result the model sees. The only place errors become results. */
export function toToolResult(err: unknown, hints: ErrorHints = {}): CallToolResult {
  const result: CallToolResult = { isError: true, content: [{ type: 'text', text: errorText(err, hints) }] };
  if (err instanceof UpstreamError && err.retryAfterSeconds !== undefined) {
    result._meta = { retryAfterSeconds: err.retryAfterSeconds };
  }
  return result;
}
