/** Building a request once for all its attempts: URL and query, auth header, body and headers. */
import type { FormData } from 'undici';
import { NotConfiguredError } from '../errors.js';
import type { Endpoint, QueryValue, RequestOptions } from './request.js';

/** What an attempt reads back: JSON, raw bytes, or an event stream left open. */
export type AnswerKind = 'json' | 'bytes' | 'stream';

/** A request ready to send, the same for every attempt. */
export interface Outgoing {
  url: URL;
  headers: Record<string, string>;
  body: string | FormData | undefined;
  /** The credential sent (its rate budget is keyed by it). */
  authValue: string;
}

const ACCEPT: Readonly<Record<AnswerKind, string>> = {
  json: 'application/json',
  bytes: '*/*',
  stream: 'text/event-stream',
};

/** Builds the request; throws NotConfiguredError (nothing sent) when its credential is not configured. */
export function buildRequest(endpoint: Endpoint, opts: RequestOptions, kind: AnswerKind): Outgoing {
  const url = new URL(endpoint.baseUrl + opts.path);
  appendQuery(url, opts.query);
  const [authName, authValue] = authHeader(endpoint, opts);
  const headers: Record<string, string> = { accept: ACCEPT[kind], [authName]: authValue };
  let body: string | FormData | undefined;
  if (opts.form) body = opts.form;
  else if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['content-type'] = 'application/json';
  }
  if (opts.idempotencyKey) headers['idempotency-key'] = opts.idempotencyKey;
  // The signal's tag is the fallback until every caller passes its call's correlationId.
  const correlation = opts.correlationId;
  if (correlation) headers['x-correlation-id'] = correlation;
  return { url, headers, body, authValue };
}

/** The env var of the credential a request sends, named in its auth errors. */
export function credentialEnv(endpoint: Endpoint, opts: RequestOptions): string {
  if (opts.bearer) return opts.bearer.env;
  const name = opts.credential ?? endpoint.defaultCredential;
  return endpoint.credentials[name]?.env ?? endpoint.missingEnv;
}

function authHeader(endpoint: Endpoint, opts: RequestOptions): [string, string] {
  if (opts.bearer) return ['authorization', `Bearer ${opts.bearer.secret}`];
  const name = opts.credential ?? endpoint.defaultCredential;
  const cred = endpoint.credentials[name];
  if (!cred?.secret) throw new NotConfiguredError(endpoint.service, cred?.env ?? endpoint.missingEnv);
  return [cred.header.toLowerCase(), cred.scheme === 'bearer' ? `Bearer ${cred.secret}` : cred.secret];
}

function appendQuery(url: URL, query: Readonly<Record<string, QueryValue>> | undefined): void {
  if (!query) return;
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) for (const v of value) url.searchParams.append(key, String(v));
    else url.searchParams.append(key, String(value));
  }
}
