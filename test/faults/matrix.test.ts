/**
 * The fault matrix for faults the upstream answers at once (statuses, resets, malformed, oversized bodies):
 * the client's backoff and Retry-After waits are skipped by a jumping clock, so the retry decisions and
 * deadlines are those of real time without waiting it. The faults only real time ends (slow headers, slow
 * body) are in test/faults/slow-upstream.test.ts (soak).
 */
import { expect, it } from 'vitest';
import { jumpingClock } from '../helpers/clock.js';
import { faultMatrix, PROMPT_FAULTS } from './matrix.js';

const clock = jumpingClock();

faultMatrix(PROMPT_FAULTS, clock);

it('waited through the clock: backoffs and the 1 s Retry-After were skipped, not slept', () => {
  expect(clock.waits).toContain(1_000);
  expect(clock.waits.filter((ms) => ms > 0).length).toBeGreaterThan(PROMPT_FAULTS.length);
});
