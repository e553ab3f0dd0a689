/**
 * The attempts of one request, as the policy of DESIGN.md §5 reads: the request is built once; then each
 * attempt takes a grant from the rate budget, is sent once, and its answer or failure is classified; a
 * refusal worth retrying waits and goes round again, anything else is the call's result.
 */
import { CancelledError } from '../errors.js';
import { type AnswerKind, buildRequest, type Outgoing } from './build.js';
import {
  type Answer,
  type Asked,
  ERROR_BODY_CAP,
  errorAnswer,
  failedAttempt,
  heldBack,
  isRefusal,
  mayHaveLanded,
  networkError,
  type Refusal,
  redirected,
} from './classify.js';
import type { HttpClient } from './client.js';
import type { Envelope } from './envelopes.js';
import { callDeadline, retryDelay } from './policy.js';
import type { RateLimiter } from './ratelimit.js';

/**
 * Runs attempts until an answer that is not retried: a success (returned) or a typed error (thrown). `json`
 * and `bytes` read the whole body (up to `cap`, default the policy's maxResponseBytes) within the attempt's
 * timeout; `stream` leaves an event stream open.
 */
export function attempts(
  client: HttpClient,
  envelope: Envelope,
  asked: Asked,
  kind: AnswerKind,
  cap?: number,
): Promise<Answer> {
  return new Attempts(client, envelope, asked, kind, cap ?? client.policy.maxResponseBytes).run();
}

/** One request's attempts: what they share (the built request, the deadline, the rate budget) and the loop. */
class Attempts {
  /** Built once, sent by every attempt. */
  private readonly out: Outgoing;
  private readonly deadline: number;
  private readonly perAttemptMs: number;
  /** The rate budget the request draws from (its API's, keyed by the credential sent), if its API has one. */
  private readonly rates: RateLimiter | undefined;
  private readonly rateKey: string;
  /** An attempt so far may have been carried out upstream though its answer was lost (mayHaveLanded). */
  private landed = false;

  constructor(
    private readonly client: HttpClient,
    private readonly envelope: Envelope,
    private readonly asked: Asked,
    private readonly kind: AnswerKind,
    private readonly cap: number,
  ) {
    const { opts, endpoint } = asked;
    this.deadline = callDeadline(client.policy, opts, client.now());
    this.perAttemptMs = opts.timeoutMs ?? client.policy.attemptTimeoutMs;
    this.out = buildRequest(endpoint, opts, kind);
    this.rates = client.rates?.limits(endpoint.service) ? client.rates : undefined;
    this.rateKey = this.rates?.key(endpoint.service, this.out.authValue) ?? '';
  }

  async run(): Promise<Answer> {
    const { client, asked, deadline } = this;
    for (let attempt = 0; ; attempt++) {
      if (asked.opts.signal?.aborted) throw new CancelledError();
      const ticket = await this.grant();
      const sent = await this.sendOnce(attempt, ticket);
      const outcome = isRefusal(sent) ? sent : await this.judge(sent);
      if (!isRefusal(outcome)) return outcome;
      if (mayHaveLanded(outcome)) this.landed = true;
      const wait = retryDelay(client.policy, attempt, outcome, deadline, client);
      if (wait === undefined) throw outcome.error;
      await client.wait(wait, asked.opts.signal);
    }
  }

  /** Waits for the rate budget's grant (its ticket); no room before the deadline: held back, nothing sent. */
  private async grant(): Promise<string | undefined> {
    const { rates, asked, client } = this;
    if (!rates) return undefined;
    const { signal } = asked.opts;
    const wait = (ms: number) => client.wait(ms, signal);
    const grant = await rates.acquire(
      asked.endpoint.service,
      this.rateKey,
      this.deadline,
      wait,
      this.perAttemptMs,
    );
    if (typeof grant === 'number') throw heldBack(asked, grant);
    return grant;
  }

  /** Ends a grant's hold: the attempt was answered or failed, or will not be sent. */
  private release(ticket: string | undefined): void {
    if (ticket !== undefined) this.rates?.release(this.rateKey, ticket);
  }

  /** Sends one attempt within what is left of the deadline; none left: a `deadline` error, nothing sent. */
  private async sendOnce(attempt: number, ticket: string | undefined): Promise<Answer | Refusal> {
    const { client, asked, out } = this;
    const { opts } = asked;
    const remaining = this.deadline - client.now();
    if (remaining <= 0) {
      // Granted but not sent: end its hold now (it then counts for one window, not its whole hold).
      this.release(ticket);
      throw networkError(asked, 'deadline', attempt > 0, 'the call deadline passed');
    }
    const timeoutMs = Math.min(this.perAttemptMs, remaining);
    const { url, headers, body } = out;
    try {
      const answer =
        this.kind === 'stream'
          ? await client.openStream(url, opts.method, headers, body, opts.signal, timeoutMs)
          : await client.fetch(url, opts.method, headers, body, opts.signal, timeoutMs, this.cap);
      this.release(ticket);
      return answer;
    } catch (err) {
      this.release(ticket);
      return failedAttempt(asked, err, timeoutMs);
    }
  }

  /**
   * An answer's meaning: a 3xx is never followed (no redirect interceptor) and never a success, so nothing
   * was done here; below 400 it is the result; an error status is a refusal. The rate budget learns from it.
   */
  private async judge(res: Answer): Promise<Answer | Refusal> {
    if (res.statusCode >= 300 && res.statusCode < 400) {
      await res.stream?.dump({ limit: ERROR_BODY_CAP }).catch(() => undefined);
      throw redirected(this.asked, res, this.out.url);
    }
    const refusal =
      res.statusCode < 400
        ? undefined
        : await errorAnswer(this.asked, res, this.envelope, this.client.now(), this.landed);
    if (this.rates) {
      const { statusCode, headers } = res;
      await this.rates.observe(
        this.asked.endpoint.service,
        this.rateKey,
        statusCode,
        headers,
        refusal?.retryAfterMs,
      );
    }
    return refusal ?? res;
  }
}
