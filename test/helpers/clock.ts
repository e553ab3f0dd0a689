/**
 * A clock for the HTTP client's waits (backoff, Retry-After, rate budgets) that skips them: a wait returns at
 * once and moves the clock forward by its length, so a test sees the same deadlines and decisions as in real
 * time without spending it. Time still runs underneath (now = wall clock + the waits skipped), so socket
 * timeouts, which are real, stay consistent with it.
 */
import { CancelledError } from '../../src/errors.js';

/** The `now` and `sleep` a jumping clock gives HttpClient (and `now` to the server, for call deadlines). */
export interface JumpingClock {
  now(): number;
  sleep(ms: number, signal: AbortSignal | undefined): Promise<void>;
  /** Every wait skipped so far, in order (ms). */
  readonly waits: readonly number[];
}

/** A clock that skips the client's waits (see the module comment). */
export function jumpingClock(): JumpingClock {
  const waits: number[] = [];
  let skipped = 0;
  return {
    now: () => Date.now() + skipped,
    async sleep(ms, signal) {
      if (signal?.aborted) throw new CancelledError();
      waits.push(ms);
      skipped += Math.max(0, ms);
    },
    waits,
  };
}
