/**
 * The SyncGuard pipeline and incident lifecycle (seed 002, "Send Events" and "Incidents").
 *
 * Lifecycle, evaluated lazily (`advanceLifecycle` at the start of every request) with each transition dated
 * at its exact due time:
 *   Open → Recovering      when no event for recoveryWindow   ("No events for 5 min")
 *   Recovering → Open      on a new event                     ("New event during recovery")
 *   Recovering → Closed    after closeWindow in Recovering    ("Stable for 10 min")
 *   Closed → Open          on a new event within cooldownWindow after close: the same incident is reused,
 *                          reopenCount++ ("Reopened: new event within 15 min cooldown"); after the cooldown a
 *                          new incident opens.
 * The minutes in the reasons come from the workspace's configured windows.
 */
import { randomUUID } from 'node:crypto';
import { conflict } from './envelope.js';
import {
  type AlertKind,
  type AlertRecord,
  type Incident,
  type IncidentStatus,
  iso,
  type StoredEvent,
  type Tenant,
  type Workspace,
} from './model.js';
import { classify } from './patterns.js';

/** A validated `POST /events` body. */
export interface EventInput {
  integrationKey: string;
  eventType: string;
  tenantId: string;
  errorCode: string | null;
  rawPayload: unknown;
}

/** The `data` of a `POST /events` answer. */
export interface EventResult {
  eventId: string;
  incidentId: string | null;
  incidentStatus: IncidentStatus | null;
  patternId: string | null;
  confidence: 'High' | 'Medium' | null;
  isNewIncident: boolean;
  affectedTenants: string[];
}

/** "5 min" for whole minutes, otherwise "90 s". */
export function formatWindow(seconds: number): string {
  return seconds % 60 === 0 ? `${seconds / 60} min` : `${seconds} s`;
}

function transition(incident: Incident, to: IncidentStatus, reason: string, at: number): void {
  incident.timeline.push({ fromStatus: incident.status, toStatus: to, reason, occurredAt: at });
  incident.status = to;
}

function alert(ws: Workspace, alerts: AlertRecord[], incident: Incident, kind: AlertKind, at: number): void {
  const channels = [...ws.channels.values()].filter((c) => c.isEnabled).map((c) => c.provider);
  alerts.push({
    workspaceId: ws.id,
    incidentId: incident.id,
    patternId: incident.patternId,
    kind,
    occurredAt: iso(at),
    channels,
  });
}

/** Applies every timed transition due at or before `now`, each dated at its due time. */
export function advanceLifecycle(ws: Workspace, now: number, alerts: AlertRecord[]): void {
  for (const incident of ws.incidents) {
    for (;;) {
      if (incident.status === 'Open') {
        const due = incident.lastEventAt + ws.recoveryWindowSeconds * 1000;
        if (due > now) break;
        transition(incident, 'Recovering', `No events for ${formatWindow(ws.recoveryWindowSeconds)}`, due);
        incident.recoveringAt = due;
      } else if (incident.status === 'Recovering') {
        const due = (incident.recoveringAt ?? incident.lastEventAt) + ws.closeWindowSeconds * 1000;
        if (due > now) break;
        transition(incident, 'Closed', `Stable for ${formatWindow(ws.closeWindowSeconds)}`, due);
        incident.closedAt = due;
        if (incident.alerted) alert(ws, alerts, incident, 'resolved', due);
      } else {
        break;
      }
    }
  }
}

function resolveTenant(ws: Workspace, externalId: string, now: number): Tenant {
  const existing = ws.tenants.find((t) => t.externalId === externalId);
  if (existing !== undefined) return existing;
  const tenant: Tenant = { id: randomUUID(), externalId, name: externalId, isActive: true, createdAt: now };
  ws.tenants.push(tenant);
  return tenant;
}

function thresholdMet(ws: Workspace, incident: Incident, now: number): boolean {
  const pattern = ws.patterns.find((p) => p.id === incident.patternId);
  if (pattern === undefined || pattern.thresholdCount === null) return true;
  const windowMs = (pattern.thresholdWindowSeconds ?? 0) * 1000;
  const inWindow = incident.cycleEventTimes.filter((t) => t >= now - windowMs).length;
  return inWindow >= pattern.thresholdCount;
}

/**
 * `POST /events`: resolve tenant → classify → open, group into, or reopen an incident.
 * Events of a deactivated tenant are stored but not classified: they open and update nothing.
 */
export function ingestEvent(
  ws: Workspace,
  input: EventInput,
  now: number,
  alerts: AlertRecord[],
): EventResult {
  const tenant = resolveTenant(ws, input.tenantId, now);
  const event: StoredEvent = {
    id: randomUUID(),
    ...input,
    incidentId: null,
    patternId: null,
    receivedAt: now,
  };
  ws.events.push(event);
  const unmatched: EventResult = {
    eventId: event.id,
    incidentId: null,
    incidentStatus: null,
    patternId: null,
    confidence: null,
    isNewIncident: false,
    affectedTenants: [],
  };
  if (!tenant.isActive) return unmatched;
  const match = classify(ws.patterns, input.eventType, input.errorCode);
  if (match === null) return unmatched;
  const { pattern, confidence } = match;
  event.patternId = pattern.id;

  let incident = ws.incidents.findLast(
    (i) => i.integrationKey === input.integrationKey && i.patternId === pattern.id,
  );
  let isNewIncident = false;
  if (incident !== undefined && incident.status === 'Recovering') {
    transition(incident, 'Open', 'New event during recovery', now);
    incident.recoveringAt = null;
    if (incident.alerted) alert(ws, alerts, incident, 'reopened', now);
  } else if (
    incident !== undefined &&
    incident.status === 'Closed' &&
    incident.closedAt !== null &&
    now - incident.closedAt <= ws.cooldownWindowSeconds * 1000
  ) {
    transition(
      incident,
      'Open',
      `Reopened: new event within ${formatWindow(ws.cooldownWindowSeconds)} cooldown`,
      now,
    );
    incident.reopenCount += 1;
    incident.reopenedAt = now;
    incident.closedAt = null;
    incident.recoveringAt = null;
    incident.cycleTenants = [];
    incident.cycleEventTimes = [];
    incident.alerted = false;
  } else if (incident === undefined || incident.status === 'Closed') {
    incident = {
      id: randomUUID(),
      workspaceId: ws.id,
      integrationKey: input.integrationKey,
      patternId: pattern.id,
      patternName: pattern.name,
      status: 'Open',
      confidence,
      openedAt: now,
      recoveringAt: null,
      closedAt: null,
      reopenedAt: null,
      reopenCount: 0,
      eventCount: 0,
      tenants: new Map(),
      cycleTenants: [],
      cycleEventTimes: [],
      lastEventAt: now,
      alerted: false,
      timeline: [
        { fromStatus: null, toStatus: 'Open', reason: `Pattern matched: ${pattern.id}`, occurredAt: now },
      ],
      seq: ws.nextSeq++,
    };
    ws.incidents.push(incident);
    isNewIncident = true;
  }

  incident.lastEventAt = now;
  incident.eventCount += 1;
  if (confidence === 'High') incident.confidence = 'High';
  const stats = incident.tenants.get(tenant.id);
  if (stats === undefined) {
    incident.tenants.set(tenant.id, {
      tenantId: tenant.id,
      eventCount: 1,
      firstSeenAt: now,
      lastSeenAt: now,
    });
  } else {
    stats.eventCount += 1;
    stats.lastSeenAt = now;
  }
  incident.cycleEventTimes.push(now);
  const newInCycle = !incident.cycleTenants.includes(tenant.externalId);
  if (newInCycle) incident.cycleTenants.push(tenant.externalId);
  if (!incident.alerted) {
    if (thresholdMet(ws, incident, now)) {
      incident.alerted = true;
      alert(ws, alerts, incident, incident.reopenCount > 0 ? 'reopened' : 'opened', now);
    }
  } else if (newInCycle && incident.cycleTenants.length > 1) {
    alert(ws, alerts, incident, 'blast_radius_expanded', now);
  }
  event.incidentId = incident.id;

  return {
    eventId: event.id,
    incidentId: incident.id,
    incidentStatus: incident.status,
    patternId: pattern.id,
    confidence,
    isNewIncident,
    affectedTenants: [...incident.cycleTenants],
  };
}

/** `POST /incidents/{id}/resolve`: closes now ("Manually resolved"); a closed incident is a 409 Conflict. */
export function resolveIncident(ws: Workspace, incident: Incident, now: number, alerts: AlertRecord[]): void {
  if (incident.status === 'Closed') throw conflict(`Incident ${incident.id} is already closed.`);
  transition(incident, 'Closed', 'Manually resolved', now);
  incident.closedAt = now;
  if (incident.alerted) alert(ws, alerts, incident, 'resolved', now);
}
