/** The emulators' injectable clock: the wall clock, or a manual one tests move by hand. */
/** A source of the current time in epoch milliseconds, injectable so tests control time. */
export interface Clock {
  now(): number;
}

/** The real wall clock. */
export const systemClock: Clock = { now: () => Date.now() };

/** A clock that only moves when told to (`set`, `advance`); starts at 2025-01-01T00:00:00Z by default. */
export class ManualClock implements Clock {
  #now: number;

  constructor(startMs: number = Date.UTC(2025, 0, 1)) {
    this.#now = checkedTime(startMs);
  }

  /** Current time in epoch milliseconds. */
  now(): number {
    return this.#now;
  }

  /** Jumps to `ms` (epoch milliseconds). */
  set(ms: number): void {
    this.#now = checkedTime(ms);
  }

  /** Moves forward (or backward, when negative) by `ms` milliseconds. */
  advance(ms: number): void {
    this.#now = checkedTime(this.#now + ms);
  }
}

function checkedTime(ms: number): number {
  if (!Number.isFinite(ms)) throw new RangeError(`clock time must be a finite number, got ${ms}`);
  return ms;
}
