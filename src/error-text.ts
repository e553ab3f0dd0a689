/**
 * How a failure is told to the model: syn-mcp's sentence on what failed and the next step (by error class),
 * then what the API said, cut, redacted and fenced as data; and the one isError result that carries it.
 */
import type { CallToolResult } from '@modelcontextprotocol/server';
import {
  AuthError,
  BadRequestError,
  ConflictError,
  GoneAfterRetryError,
  InputError,
  MAX_UPSTREAM_TEXT,
  NetworkError,
  NotFoundError,
  RateLimitError,
  RedirectError,
  SERVICE_LABEL,
  ServerError,
  type ServiceName,
  SynError,
  UpstreamError,
} from './errors.js';
import { fence, stripInvisible } from './fence.js';
import { redact } from './http/redact.js';

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
  } else if (err.account !== undefined) {
    parts.push(accountText(err, label));
  } else if (err instanceof AuthError) {
    const cred = err.credentialEnv ?? 'the API credential';
    // Synapse (FastAPI HTTPBearer) answers 403 for a missing key: api-notes §8.5 reads 401 and 403 alike.
    const keyProblem = err.status === 401 || (err.status === 403 && err.service === 'synapse');
    const what = keyProblem ? 'missing, invalid or revoked' : 'not allowed to do this';
    parts.push(`${label} refused the credential (HTTP ${err.status}).`);
    parts.push(`The key in ${cred} is ${what}. Ask the user to check ${cred}; retrying will not help.`);
  } else if (err instanceof GoneAfterRetryError) {
    parts.push(
      `${label}: not found (HTTP 404) when syn-mcp sent this DELETE again, after an earlier attempt that may ` +
        `have reached ${label} lost its answer.`,
    );
    parts.push(
      'It is not there now, and most likely that earlier attempt deleted it (syn-mcp cannot tell this from an ' +
        'id that never existed). Tell the user it is gone, probably deleted by this call; there is nothing to retry.',
    );
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

/**
 * A refusal for the account (its plan, its credits, the organization disabled): the key works, so changing it
 * or retrying will not help.
 */
function accountText(err: UpstreamError, label: string): string {
  const cred = err.credentialEnv ?? 'the API credential';
  const head =
    err.account === 'plan'
      ? `${label} refused this for the account's plan (HTTP ${err.status}): the key in ${cred} works, but its ` +
        'plan or tier does not include this. Tell the user it needs a higher plan'
      : err.account === 'disabled'
        ? `${label} refused this: the organization is disabled (HTTP ${err.status}, payment required); the key ` +
          `in ${cred} works. Tell the user the organization must be enabled again with ${label} (its plan or ` +
          'payment)'
        : `${label} refused this: the account is out of credits (HTTP ${err.status}); the key in ${cred} works. ` +
          'Tell the user to add credits to the account';
  return `${head}; changing the key or retrying will not help until then.`;
}

/** Ends a sentence of syn-mcp's own with a full stop so the next one reads as a new sentence. */
function sentence(text: string): string {
  return /[.!?\u2026]$/.test(text) || text === '' ? text : `${text}.`;
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
