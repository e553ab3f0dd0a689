/**
 * The retry, timeout and size policy of DESIGN.md §5, and the delays it waits: the backoff between attempts
 * and the wait an upstream asks for (Retry-After, its body, X-RateLimit-Reset).
 */

import type { Refusal } from './classify.js';
import { resetInMs, saneHoldMs } from './ratelimit.js';
import type { RequestOptions } from './request.js';

/** Retry, timeout and size policy; one per process. */
export interface ClientPolicy {
  /** Per-attempt timeout (ms). */
  attemptTimeoutMs: number;
  /** Total budget of one call including retries (ms), unless the caller gives a deadline. */
  callDeadlineMs: number;
  /** Retries after the first attempt. */
  maxRetries: number;
  /** Longest Retry-After honoured by waiting (ms); longer ones go back to the model. */
  maxRetryAfterMs: number;
  /** Largest response body read (bytes). */
  maxResponseBytes: number;
  /** Longest silence inside an event stream (ms). */
  streamIdleTimeoutMs: number;
}

/** Defaults of DESIGN.md §5. */
export const DEFAULT_POLICY: ClientPolicy = {
  attemptTimeoutMs: 30_000,
  callDeadlineMs: 60_000,
  maxRetries: 2,
  maxRetryAfterMs: 30_000,
  maxResponseBytes: 10 * 1024 * 1024,
  streamIdleTimeoutMs: 300_000,
};

/** When a call's attempts must end: its own deadline (or the policy's), pushed out for a long-running call. */
export function callDeadline(policy: ClientPolicy, opts: RequestOptions, started: number): number {
  const base = opts.deadline ?? started + policy.callDeadlineMs;
  return opts.timeoutMs === undefined ? base : Math.max(base, started + opts.timeoutMs);
}

/** Exponential backoff 0.5 s → 8 s with jitter (50–100 % of the step); `random` is in [0, 1). */
export function backoffMs(retry: number, random: () => number): number {
  const step = Math.min(8_000, 500 * 2 ** retry);
  return Math.round(step * (0.5 + random() / 2));
}

/**
 * Parses Retry-After: delta seconds or an HTTP date. Returns ms, or undefined when absent/unreadable; never
 * more than an hour, and a zero, negative or past value is a brief pause (saneHoldMs), not "at once".
 */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const v = value.trim();
  if (/^[-+]?\d+(\.\d+)?$/.test(v)) return saneHoldMs(Math.round(Number(v) * 1000));
  // Only an HTTP date (IMF-fixdate or the obsolete forms, all with a day or month name), not any string
  // Date.parse happens to read.
  if (!/[A-Za-z]{3}/.test(v)) return undefined;
  const date = Date.parse(v);
  if (Number.isNaN(date)) return undefined;
  return saneHoldMs(date - now);
}

/**
 * The wait an error answer asks for (ms): its Retry-After header, else the wait its body names, else — for a
 * 429 whose window is exhausted — X-RateLimit-Reset. At most an hour; a zero, negative or past value is a
 * brief pause, not a retry at once (saneHoldMs).
 */
export function askedWaitMs(
  status: number,
  headers: Readonly<Record<string, string | undefined>>,
  bodySeconds: number | undefined,
  now: number,
): number | undefined {
  return saneHoldMs(
    parseRetryAfter(headers['retry-after'], now) ??
      (bodySeconds !== undefined ? bodySeconds * 1000 : undefined) ??
      (status === 429 && headers['x-ratelimit-remaining']?.trim() === '0'
        ? resetInMs(headers['x-ratelimit-reset'], now)
        : undefined),
  );
}

/**
 * How long to wait before attempt `attempt + 1`, or undefined when there is none: retries left, a retryable
 * refusal, a wait an answer asked for no longer than maxRetryAfterMs, and the wait over before the deadline.
 */
export function retryDelay(
  policy: ClientPolicy,
  attempt: number,
  refusal: Refusal,
  deadline: number,
  clock: { now(): number; backoffMs(retry: number): number },
): number | undefined {
  if (attempt >= policy.maxRetries || !refusal.retryable) return undefined;
  const wait = refusal.retryAfterMs ?? clock.backoffMs(attempt);
  if (refusal.answered && wait > policy.maxRetryAfterMs) return undefined;
  return clock.now() + wait < deadline ? wait : undefined;
}
