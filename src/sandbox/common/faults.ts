/**
 * Injected faults: what an emulator can be told to fail with, the rules saying which requests fail, and the
 * split of those rules between an API handler (statuses) and the common server (everything else).
 */
import type { EmulatorServer } from './server.js';

/** A failure an emulator can be told to produce instead of (or, for `delay`, before) its normal answer. */
export type Fault =
  /** `status` with `body` (else the API's error body); a 204, 205 or 304 goes out with no body at all. */
  | { kind: 'status'; status: number; retryAfter?: string; body?: unknown }
  | { kind: 'reset' }
  /**
   * The request is carried out as usual, then the connection is reset where its answer would go: the answer
   * is lost after the work was done (a delete happened, the client cannot know).
   */
  | { kind: 'lost-answer' }
  | { kind: 'delay'; ms: number }
  | { kind: 'malformed' }
  /** 200 headers and the start of a body, then silence for `ms` before the rest. */
  | { kind: 'slow-body'; ms: number }
  /** 200 headers and half a body, then the connection is reset. */
  | { kind: 'cut-body' }
  /** 200 with an HTML page where JSON was expected (a proxy's error page). */
  | { kind: 'wrong-content-type' }
  /** 200 with a valid JSON body of about `bytes` bytes. */
  | { kind: 'oversized'; bytes: number }
  /**
   * A redirect (the usual http→https one of a proxy or load balancer): `status` with `Location` and an empty
   * body, nothing done. `location` may be relative; absent, the same path on https.
   */
  | { kind: 'redirect'; status: 301 | 302 | 303 | 307 | 308; location?: string };

/** Which requests a fault applies to and how many times (default once; `Infinity` allowed). */
export interface FaultRule {
  fault: Fault;
  /** HTTP method, case-insensitive; any method when absent. */
  method?: string;
  /** Exact path (with or without the emulator's path prefix) or a RegExp tested on the full path. */
  path?: string | RegExp;
  times?: number;
}

/** Holds injected fault rules and hands out the first one that matches a request, counting down its uses. */
export class FaultInjector {
  readonly #rules: Array<{ rule: FaultRule; remaining: number }> = [];
  readonly #pathPrefix: string;

  constructor(pathPrefix = '') {
    this.#pathPrefix = pathPrefix;
  }

  /** Adds a rule; rules are tried in the order they were added. */
  inject(rule: FaultRule): void {
    const times = rule.times ?? 1;
    if (!(times > 0)) throw new RangeError(`FaultRule.times must be positive, got ${times}`);
    if (rule.fault.kind === 'delay' && !(rule.fault.ms >= 0)) {
      throw new RangeError(`delay fault needs ms >= 0, got ${rule.fault.ms}`);
    }
    this.#rules.push({ rule, remaining: times });
  }

  /** Removes every rule. */
  clear(): void {
    this.#rules.length = 0;
  }

  /** Number of rules still armed. */
  get size(): number {
    return this.#rules.length;
  }

  /** Returns the fault for this request, if any rule matches, and uses up one of that rule's times. */
  take(method: string, path: string): Fault | undefined {
    const index = this.#rules.findIndex(({ rule }) => this.#matches(rule, method, path));
    const entry = this.#rules[index];
    if (entry === undefined) return undefined;
    entry.remaining -= 1;
    if (entry.remaining <= 0) this.#rules.splice(index, 1);
    return entry.rule.fault;
  }

  #matches(rule: FaultRule, method: string, path: string): boolean {
    if (rule.method !== undefined && rule.method.toUpperCase() !== method.toUpperCase()) return false;
    const want = rule.path;
    if (want === undefined) return true;
    if (typeof want === 'string') return path === want || path === this.#pathPrefix + want;
    want.lastIndex = 0;
    return want.test(path);
  }
}

/** The fault controls of an emulator whose API handler answers injected statuses itself. */
export interface SplitFaults {
  inject(rule: FaultRule): void;
  clearFaults(): void;
  /** The next `times` (default 1) requests answer the API's 429 with `Retry-After`. */
  rateLimit(opts: { retryAfterSeconds: number; times?: number }): void;
}

/**
 * Fault controls for an emulator whose handler answers status faults (`statusFaults`, so that they carry the
 * API's own headers) while the common server plays the others (resets, delays, malformed bodies).
 */
export function splitFaults(server: EmulatorServer, statusFaults: FaultInjector): SplitFaults {
  return {
    inject(rule) {
      if (rule.fault.kind === 'status') statusFaults.inject(rule);
      else server.inject(rule);
    },
    clearFaults() {
      statusFaults.clear();
      server.clearFaults();
    },
    rateLimit({ retryAfterSeconds, times = 1 }) {
      statusFaults.inject({
        fault: { kind: 'status', status: 429, retryAfter: String(retryAfterSeconds) },
        times,
      });
    },
  };
}
