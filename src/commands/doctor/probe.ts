/** The cheap authenticated read of each API, and what a failed one means and how to fix it. */
import type { ApiRecord } from '../../apis.js';
import {
  AuthError,
  NetworkError,
  NotFoundError,
  RateLimitError,
  RedirectError,
  UpstreamError,
} from '../../errors.js';
import type { ApiView } from '../../http/view.js';
import { defaultBase, TLS_CODES } from './network.js';
import { type Check, clip, fail, warn } from './report.js';

/** The fix for a failed authenticated read. */
export function readFailure(api: ApiRecord, credentialEnv: string, err: unknown, name: string): Check {
  const label = api.label;
  const baseEnv = api.baseUrlEnv;
  if (err instanceof AuthError) {
    const refused = err.status === 401 || api.forbiddenIsBadKey === true;
    return fail(
      name,
      `${label} refused the credential (HTTP ${err.status}: ${clip(err.apiMessage, 200)})`,
      refused
        ? `the value of ${credentialEnv} is wrong, revoked or expired: create a new one and set ${credentialEnv}`
        : `${credentialEnv} is valid but lacks permission for this read: give it read access (or use a key with the right scope)`,
    );
  }
  if (err instanceof NotFoundError) {
    return fail(
      name,
      `HTTP 404: ${baseEnv} does not point at the ${label} API`,
      `set ${baseEnv} to the documented base URL (default ${defaultBase(api)}); a missing or doubled path such as /api/v1 is the usual cause`,
    );
  }
  if (err instanceof RateLimitError) {
    return warn(
      name,
      `rate limited (HTTP 429)${err.retryAfterSeconds ? `, retry after ${err.retryAfterSeconds} s` : ''}`,
      'wait and run doctor again',
    );
  }
  if (err instanceof RedirectError) {
    return fail(
      name,
      `${label} answered HTTP ${err.status}, a redirect${err.location ? ` to ${clip(err.location, 200)}` : ''}; syn-mcp never follows redirects`,
      `set ${baseEnv} to the API's own address (often the https:// URL the redirect names; default ${defaultBase(api)})`,
    );
  }
  if (err instanceof UpstreamError) {
    return fail(
      name,
      `${label} answered HTTP ${err.status}: ${clip(err.apiMessage, 200)}`,
      err.status >= 500 ? `${label} is failing right now: retry later` : `check ${baseEnv}`,
    );
  }
  if (err instanceof NetworkError) {
    const detail = err.message;
    if (err.kind === 'malformed') {
      return fail(
        name,
        `the answer is not the ${label} API's (${detail})`,
        `${baseEnv} points at some other server (a web page, a proxy?): set it to the documented base URL (default ${defaultBase(api)})`,
      );
    }
    if (TLS_CODES.test(detail)) {
      return fail(
        name,
        `TLS failed (${detail})`,
        'a proxy or antivirus intercepting TLS? give Node its CA with NODE_EXTRA_CA_CERTS=/path/to/ca.pem',
      );
    }
    return fail(
      name,
      `no usable answer (${err.kind}: ${detail})`,
      `check ${baseEnv} and the network; then run doctor again`,
    );
  }
  return fail(
    name,
    `failed: ${err instanceof Error ? err.message : String(err)}`,
    'run doctor again; report it if it persists',
  );
}

/** The API's cheap authenticated read with one credential: how long it took and what it answered. */
export async function probe(
  view: ApiView,
  api: ApiRecord,
  credential: string,
  ms: number,
): Promise<{ ms: number; data: unknown }> {
  const started = Date.now();
  const { path, query } = api.probe;
  const res = await view.request({ method: 'GET', path, query, credential, deadline: Date.now() + ms });
  return { ms: Date.now() - started, data: res.data };
}
