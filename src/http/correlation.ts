/**
 * The correlation id of a tool call. The boundary gives each call one; the client sends it upstream as
 * `X-Correlation-ID` (the header the Synap SDK sends, harmless to the other APIs) and the logger puts it on the
 * call's error line, so one id ties a log line to the API's own logs.
 *
 * The id travels with the call's abort signal, which every handler passes to each of its requests (ToolContext
 * says so): a lookup keyed by the signal, not an AsyncLocalStorage. On Node 20 an AsyncLocalStorage turns on
 * async_hooks' promise hooks for the whole process once it is first used, which taxes every promise of every
 * call (about 5 % of a call's CPU here) to carry one string.
 */
import { randomUUID } from 'node:crypto';

const bySignal = new WeakMap<AbortSignal, string>();

/** A new correlation id. */
export function newCorrelationId(): string {
  return randomUUID();
}

/**
 * The signal a call's requests are to carry, tagged with `id`. It is `signal` itself unless another call in
 * flight already holds it (only code calling the server directly shares one signal between calls): then a
 * signal of its own that follows `signal`. `release()` ends the tag once the call is done.
 */
export function bindCorrelation(signal: AbortSignal, id: string): { signal: AbortSignal; release(): void } {
  if (!bySignal.has(signal)) {
    bySignal.set(signal, id);
    return { signal, release: () => bySignal.delete(signal) };
  }
  const own = new AbortController();
  const follow = () => own.abort(signal.reason);
  if (signal.aborted) own.abort(signal.reason);
  else signal.addEventListener('abort', follow, { once: true });
  bySignal.set(own.signal, id);
  return {
    signal: own.signal,
    release: () => {
      signal.removeEventListener('abort', follow);
      bySignal.delete(own.signal);
    },
  };
}

/** The correlation id of the call a request's signal belongs to, if any. */
export function correlationOf(signal: AbortSignal | undefined): string | undefined {
  return signal === undefined ? undefined : bySignal.get(signal);
}
