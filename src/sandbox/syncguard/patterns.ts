/**
 * SyncGuard's twelve built-in patterns (seed 002, "Patterns" table) and the classifier: priority order,
 * first match wins; a pattern matches on its trigger event types OR its error codes (case-insensitive);
 * confidence is High when both match, Medium when one does, and always High for `*_spike` patterns.
 */

/** Confidence of a classification. */
export type Confidence = 'High' | 'Medium';

/** A pattern as a workspace holds it (the `GET /patterns` item). */
export interface Pattern {
  id: string;
  name: string;
  priority: number;
  isEnabled: boolean;
  thresholdCount: number | null;
  thresholdWindowSeconds: number | null;
  eventTypes: string[];
  errorCodes: string[];
}

type Definition = [
  id: string,
  name: string,
  eventTypes: string[],
  errorCodes: string[],
  threshold?: [number, number],
];

/**
 * The table of seed 002 in priority order. The "≥N events / M min" column entries become the pattern's
 * default alert threshold (thresholdCount / thresholdWindowSeconds): the incident opens on the first event,
 * silently, and the alert fires once the count inside the window is reached.
 */
const DEFINITIONS: readonly Definition[] = [
  [
    'auth_failure',
    'Auth Failure',
    ['token_refresh_failed', 'auth_failed'],
    ['401', '403', 'invalid_grant', 'token_expired'],
  ],
  [
    'webhook_failure_spike',
    'Webhook Failure Spike',
    ['webhook_failed', 'webhook_timeout', 'webhook_undeliverable'],
    [],
    [10, 300],
  ],
  [
    'rate_limit_exceeded',
    'Rate Limit Exceeded',
    ['rate_limit_exceeded', 'throttled'],
    ['429', 'rate_limit', 'too_many_requests'],
  ],
  [
    'timeout_spike',
    'Timeout Spike',
    ['request_timeout', 'connection_timeout', 'gateway_timeout'],
    [],
    [5, 180],
  ],
  [
    'task_canceled_spike',
    'Task Canceled Spike',
    ['task_canceled', 'operation_canceled', 'request_canceled'],
    [],
    [5, 180],
  ],
  [
    'validation_failure_spike',
    'Validation Failure Spike',
    ['validation_failed', 'schema_validation_failed', 'payload_invalid'],
    ['400', '422'],
  ],
  [
    'server_error_spike',
    'Server Error Spike',
    ['server_error', 'bad_gateway', 'service_unavailable'],
    ['500', '502', '503', '504'],
  ],
  [
    'connection_failure',
    'Connection Failure',
    ['connection_failed', 'connection_refused', 'connection_reset', 'host_unreachable'],
    ['econnrefused', 'econnreset'],
    [3, 120],
  ],
  [
    'service_unavailable',
    'Service Unavailable',
    ['service_unavailable', 'dependency_failed', 'circuit_open', 'upstream_unavailable'],
    ['503', 'circuit_open'],
  ],
  [
    'data_sync_failure',
    'Data Sync Failure',
    ['sync_failed', 'sync_error', 'data_sync_failed', 'record_sync_failed', 'batch_sync_failed'],
    ['sync_error', 'data_mismatch', 'mapping_error', 'duplicate_record'],
  ],
  [
    'ssl_certificate_error',
    'SSL Certificate Error',
    ['ssl_error', 'tls_error', 'certificate_error', 'tls_handshake_failed', 'certificate_expired'],
    ['ssl_error', 'certificate_expired', 'hostname_mismatch'],
  ],
  [
    'quota_exceeded',
    'Quota Exceeded',
    ['quota_exceeded', 'limit_reached', 'storage_full', 'seats_exhausted', 'resource_exhausted'],
    ['quota_exceeded', 'storage_full', 'over_quota', 'account_limit'],
  ],
];

/** A fresh copy of the built-in patterns, all enabled, in priority order. */
export function defaultPatterns(): Pattern[] {
  return DEFINITIONS.map(([id, name, eventTypes, errorCodes, threshold], index) => ({
    id,
    name,
    priority: index + 1,
    isEnabled: true,
    thresholdCount: threshold?.[0] ?? null,
    thresholdWindowSeconds: threshold?.[1] ?? null,
    eventTypes: [...eventTypes],
    errorCodes: [...errorCodes],
  }));
}

/** Whether a pattern is a spike pattern (always High confidence). */
export function isSpikePattern(pattern: Pattern): boolean {
  return pattern.id.endsWith('_spike');
}

/** The pattern an event matches and with what confidence, or `null` when none does. */
export function classify(
  patterns: readonly Pattern[],
  eventType: string,
  errorCode: string | null,
): { pattern: Pattern; confidence: Confidence } | null {
  const type = eventType.toLowerCase();
  const code = errorCode?.toLowerCase();
  const ordered = [...patterns].sort((a, b) => a.priority - b.priority);
  for (const pattern of ordered) {
    if (!pattern.isEnabled) continue;
    const typeMatches = pattern.eventTypes.includes(type);
    const codeMatches = code !== undefined && pattern.errorCodes.includes(code);
    if (!typeMatches && !codeMatches) continue;
    const confidence: Confidence =
      isSpikePattern(pattern) || (typeMatches && codeMatches) ? 'High' : 'Medium';
    return { pattern, confidence };
  }
  return null;
}
