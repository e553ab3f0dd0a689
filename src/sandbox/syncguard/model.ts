/**
 * The SyncGuard emulator's in-memory data model (one `Workspace` per API key) and its JSON renderings.
 * Times are kept as epoch milliseconds and rendered as ISO 8601 with `Z`.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { type Confidence, defaultPatterns, type Pattern } from './patterns.js';

/** Incident status. */
export type IncidentStatus = 'Open' | 'Recovering' | 'Closed';

/** Notification channel providers accepted by `PUT /workspaces/me/channels/{provider}`. */
export const PROVIDERS = ['slack', 'pagerduty', 'opsgenie', 'teams'] as const;

/** A notification channel provider. */
export type Provider = (typeof PROVIDERS)[number];

/** A tenant (a customer of the workspace, named by its external id). */
export interface Tenant {
  id: string;
  externalId: string;
  name: string;
  isActive: boolean;
  createdAt: number;
}

/** An ingested event. `tenantId` is the external id the client sent. */
export interface StoredEvent {
  id: string;
  integrationKey: string;
  eventType: string;
  tenantId: string;
  errorCode: string | null;
  rawPayload: unknown;
  incidentId: string | null;
  patternId: string | null;
  receivedAt: number;
}

/** Per-tenant counters of an incident (whole life of the incident). */
export interface TenantStats {
  tenantId: string;
  eventCount: number;
  firstSeenAt: number;
  lastSeenAt: number;
}

/** One state transition of an incident. */
export interface TimelineEntry {
  fromStatus: IncidentStatus | null;
  toStatus: IncidentStatus;
  reason: string;
  occurredAt: number;
}

/** An incident with its lifecycle bookkeeping. */
export interface Incident {
  id: string;
  workspaceId: string;
  integrationKey: string;
  patternId: string;
  patternName: string;
  status: IncidentStatus;
  confidence: Confidence;
  openedAt: number;
  recoveringAt: number | null;
  closedAt: number | null;
  reopenedAt: number | null;
  reopenCount: number;
  eventCount: number;
  /** Keyed by internal tenant id, in first-seen order. */
  tenants: Map<string, TenantStats>;
  /** External tenant ids affected in the current cycle (since open or the last reopen from Closed). */
  cycleTenants: string[];
  /** Receive times of the current cycle's events (for the alert threshold). */
  cycleEventTimes: number[];
  lastEventAt: number;
  /** Whether the current cycle's "opened"/"reopened" alert has fired (threshold met). */
  alerted: boolean;
  timeline: TimelineEntry[];
  /** Creation order, to break ties when sorting. */
  seq: number;
}

/** A configured notification channel; `config` holds the secrets unmasked. */
export interface Channel {
  provider: Provider;
  isEnabled: boolean;
  config: Record<string, string>;
}

/** Kinds of alert the emulator records (seed 002, "Alerts"). */
export type AlertKind = 'opened' | 'reopened' | 'resolved' | 'blast_radius_expanded';

/** An alert SyncGuard would have sent to the workspace's enabled channels. */
export interface AlertRecord {
  workspaceId: string;
  incidentId: string;
  patternId: string;
  kind: AlertKind;
  occurredAt: string;
  channels: Provider[];
}

/** One workspace and all its data. */
export interface Workspace {
  id: string;
  name: string;
  apiKey: string;
  isActive: boolean;
  recoveryWindowSeconds: number;
  closeWindowSeconds: number;
  cooldownWindowSeconds: number;
  channels: Map<Provider, Channel>;
  patterns: Pattern[];
  tenants: Tenant[];
  events: StoredEvent[];
  incidents: Incident[];
  nextSeq: number;
}

/** Documented default windows: recovery 5 min, close 10 min, cooldown 15 min. */
export const DEFAULT_WINDOWS = {
  recoveryWindowSeconds: 300,
  closeWindowSeconds: 600,
  cooldownWindowSeconds: 900,
} as const;

/** A new API key: `sg_` followed by 48 hex characters. */
export function newApiKey(): string {
  return `sg_${randomBytes(24).toString('hex')}`;
}

/** The displayed key prefix: `sg_` and the first 7 characters after it (e.g. `sg_a3f9d2c`). */
export function apiKeyPrefix(apiKey: string): string {
  return apiKey.slice(0, 10);
}

/** A workspace with no data and default settings. */
export function newWorkspace(name: string, apiKey: string, id: string = randomUUID()): Workspace {
  return {
    id,
    name,
    apiKey,
    isActive: true,
    ...DEFAULT_WINDOWS,
    channels: new Map(),
    patterns: defaultPatterns(),
    tenants: [],
    events: [],
    incidents: [],
    nextSeq: 1,
  };
}

/** ISO 8601 with `Z`; whole seconds are written without a fraction (`2025-03-26T08:14:22Z`). */
export function iso(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

function isoOrNull(ms: number | null): string | null {
  return ms === null ? null : iso(ms);
}

/** `GET /incidents/{id}` object, exactly the seed's "Full incident object". */
export function incidentJson(ws: Workspace, incident: Incident): Record<string, unknown> {
  const tenants = [...incident.tenants.values()].sort(
    (a, b) => b.eventCount - a.eventCount || a.firstSeenAt - b.firstSeenAt,
  );
  return {
    id: incident.id,
    workspaceId: incident.workspaceId,
    integrationKey: incident.integrationKey,
    patternId: incident.patternId,
    patternName: incident.patternName,
    status: incident.status,
    confidence: incident.confidence,
    openedAt: iso(incident.openedAt),
    recoveringAt: isoOrNull(incident.recoveringAt),
    closedAt: isoOrNull(incident.closedAt),
    reopenedAt: isoOrNull(incident.reopenedAt),
    reopenCount: incident.reopenCount,
    eventCount: incident.eventCount,
    tenantCount: incident.tenants.size,
    isChronic: incident.reopenCount >= 3,
    affectedTenants: tenants.map((stats) => ({
      tenantId: stats.tenantId,
      tenantName: ws.tenants.find((t) => t.id === stats.tenantId)?.name ?? stats.tenantId,
      eventCount: stats.eventCount,
      firstSeenAt: iso(stats.firstSeenAt),
      lastSeenAt: iso(stats.lastSeenAt),
    })),
  };
}

/** Timeline entry as JSON. */
export function timelineJson(entry: TimelineEntry): Record<string, unknown> {
  return {
    fromStatus: entry.fromStatus,
    toStatus: entry.toStatus,
    reason: entry.reason,
    occurredAt: iso(entry.occurredAt),
  };
}

/** `GET /events` item. */
export function eventJson(event: StoredEvent): Record<string, unknown> {
  return {
    id: event.id,
    integrationKey: event.integrationKey,
    eventType: event.eventType,
    tenantId: event.tenantId,
    errorCode: event.errorCode,
    rawPayload: event.rawPayload,
    incidentId: event.incidentId,
    patternId: event.patternId,
    receivedAt: iso(event.receivedAt),
  };
}

/** `GET /tenants` item. */
export function tenantJson(tenant: Tenant): Record<string, unknown> {
  return {
    id: tenant.id,
    externalId: tenant.externalId,
    name: tenant.name,
    isActive: tenant.isActive,
    createdAt: iso(tenant.createdAt),
  };
}

/** `GET /patterns` item. */
export function patternJson(pattern: Pattern): Record<string, unknown> {
  return {
    id: pattern.id,
    name: pattern.name,
    priority: pattern.priority,
    isEnabled: pattern.isEnabled,
    thresholdCount: pattern.thresholdCount,
    thresholdWindowSeconds: pattern.thresholdWindowSeconds,
    eventTypes: [...pattern.eventTypes],
    errorCodes: [...pattern.errorCodes],
  };
}

/** Masks a secret: URLs keep their origin (`https://hooks.slack.com/****`), other values their last 4 chars. */
export function maskSecret(value: string): string {
  if (/^https?:\/\//i.test(value)) {
    try {
      return `${new URL(value).origin}/****`;
    } catch {
      return '****';
    }
  }
  return value.length > 8 ? `****${value.slice(-4)}` : '****';
}

/** A channel as JSON, secrets masked. */
export function channelJson(channel: Channel): Record<string, unknown> {
  const config: Record<string, string> = {};
  for (const [key, value] of Object.entries(channel.config)) config[key] = maskSecret(value);
  return { provider: channel.provider, isEnabled: channel.isEnabled, config };
}

/** `GET /workspaces/me` object. */
export function workspaceJson(ws: Workspace): Record<string, unknown> {
  return {
    id: ws.id,
    name: ws.name,
    apiKeyPrefix: apiKeyPrefix(ws.apiKey),
    isActive: ws.isActive,
    recoveryWindowSeconds: ws.recoveryWindowSeconds,
    closeWindowSeconds: ws.closeWindowSeconds,
    cooldownWindowSeconds: ws.cooldownWindowSeconds,
    channels: PROVIDERS.flatMap((provider) => {
      const channel = ws.channels.get(provider);
      return channel === undefined ? [] : [channelJson(channel)];
    }),
  };
}
