/**
 * The correlation id of the tool call in progress. The boundary runs each handler inside one; the client
 * sends it upstream as `X-Correlation-ID` (the header the Synap SDK sends, harmless to the other APIs) and the
 * logger puts it on the call's error line, so one id ties a log line to the API's own logs.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

const current = new AsyncLocalStorage<string>();

/** A new correlation id. */
export function newCorrelationId(): string {
  return randomUUID();
}

/** Runs `fn` with `id` as the correlation id of every upstream request it makes. */
export function withCorrelationId<T>(id: string, fn: () => T): T {
  return current.run(id, fn);
}

/** The correlation id of the call in progress, if any. */
export function correlationId(): string | undefined {
  return current.getStore();
}
