/**
 * The correlation id of a tool call. The boundary gives each call one and puts it in the call's scope
 * (src/call-view.ts); the client sends it upstream as `X-Correlation-ID` (the header the Synap SDK sends,
 * harmless to the other APIs) and the logger puts it on the call's error line, so one id ties a log line to
 * the API's own logs.
 */
import { randomUUID } from 'node:crypto';

/** A new correlation id. */
export function newCorrelationId(): string {
  return randomUUID();
}
