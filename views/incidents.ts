/**
 * Incidents view (list_incidents, get_incident): incidents grouped by status with pattern, confidence,
 * tenants and age; the selected one shows its lifecycle timeline (get_incident_timeline through the host)
 * and can be resolved (resolve_incident through the host, which confirms it as it confirms any write).
 */
import type { CallToolResult } from '@modelcontextprotocol/server';
import { ViewBridge } from './shared/bridge.js';
import { duration, h, present, resultText, structured, when } from './shared/dom.js';
import { applyHostLook } from './shared/theme.js';

interface Incident {
  id: string;
  integrationKey?: string | null;
  patternId?: string | null;
  patternName?: string | null;
  status?: string | null;
  confidence?: string | null;
  openedAt?: string | null;
  recoveringAt?: string | null;
  closedAt?: string | null;
  reopenedAt?: string | null;
  reopenCount?: number | null;
  eventCount?: number | null;
  tenantCount?: number | null;
  isChronic?: boolean | null;
  affectedTenants?: Array<{
    tenantId?: string | null;
    tenantName?: string | null;
    eventCount?: number | null;
  }>;
}

interface TimelineEntry {
  fromStatus?: string | null;
  toStatus?: string | null;
  reason?: string | null;
  occurredAt?: string | null;
}

const STATUSES = ['Open', 'Recovering', 'Closed'] as const;

const root = document.getElementById('app') ?? document.body;
const live = document.getElementById('live') ?? document.body;
let incidents: Incident[] = [];
let selected: string | undefined;

const bridge = new ViewBridge(
  { name: 'syn-mcp incidents', version: '1' },
  {
    hostContext: (ctx) => applyHostLook(ctx),
    toolInput: () => {
      root.replaceChildren(h('p', { class: 'muted' }, 'Loading incidents…'));
    },
    toolResult: (result) => showResult(result),
    toolCancelled: () => root.replaceChildren(h('p', { class: 'muted' }, 'The call was cancelled.')),
  },
);

function say(text: string): void {
  live.textContent = text;
}

function showResult(result: CallToolResult): void {
  const data = structured(result);
  if (!data) {
    root.replaceChildren(h('p', { class: 'error', role: 'alert' }, resultText(result) || 'The call failed.'));
    return;
  }
  if (Array.isArray(data.items)) {
    incidents = data.items as Incident[];
    selected = undefined;
    render(typeof data.note === 'string' ? data.note : undefined);
  } else if (typeof data.id === 'string') {
    // get_incident: one incident, shown with its timeline at once.
    incidents = [data as unknown as Incident];
    render(undefined);
    void select(data.id);
  }
}

/** Time since the incident opened (or was last reopened), whatever its status now. */
function ageOf(i: Incident): string {
  const since = Date.parse(i.reopenedAt ?? i.openedAt ?? '');
  if (Number.isNaN(since)) return '—';
  return duration(Date.now() - since);
}

function statusOf(i: Incident): string {
  return i.status ?? 'Unknown';
}

function badge(status: string): HTMLElement {
  return h('span', { class: `badge s-${status.toLowerCase()}` }, status);
}

function render(note: string | undefined): void {
  const groups = [...STATUSES, 'Unknown'].map((status) => ({
    status,
    items: incidents.filter(
      (i) =>
        statusOf(i) === status ||
        (status === 'Unknown' && !STATUSES.includes(statusOf(i) as (typeof STATUSES)[number])),
    ),
  }));
  const tables = groups
    .filter((g) => g.items.length > 0)
    .map((g) => {
      const caption = `${g.status} (${g.items.length})`;
      const rows = g.items.map((i) => {
        const label = i.patternName ?? i.patternId ?? i.id;
        const open = h(
          'button',
          { type: 'button', class: 'link', 'aria-label': `Show timeline of ${label} (${i.id})` },
          label,
        );
        open.addEventListener('click', () => void select(i.id));
        return h(
          'tr',
          { 'data-id': i.id, 'aria-selected': i.id === selected ? 'true' : 'false' },
          h(
            'td',
            {},
            open,
            i.isChronic ? h('span', { class: 'badge s-open', title: 'reopened 3+ times' }, 'chronic') : null,
          ),
          h('td', {}, i.integrationKey ?? '—'),
          h('td', {}, i.confidence ?? '—'),
          h('td', {}, i.tenantCount === null || i.tenantCount === undefined ? '—' : String(i.tenantCount)),
          h('td', {}, ageOf(i)),
          h('td', {}, String(i.reopenCount ?? 0)),
        );
      });
      return h(
        'table',
        { 'data-status': g.status },
        h('caption', { class: 'sr-only' }, caption),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col' }, 'Pattern'),
            h('th', { scope: 'col' }, 'Integration'),
            h('th', { scope: 'col' }, 'Confidence'),
            h('th', { scope: 'col' }, 'Tenants'),
            h('th', { scope: 'col' }, 'Age'),
            h('th', { scope: 'col' }, 'Reopens'),
          ),
        ),
        h('tbody', {}, ...rows),
      );
    });
  const sections = groups
    .filter((g) => g.items.length > 0)
    .map((g, n) =>
      h(
        'section',
        { 'aria-label': g.status },
        h('h2', {}, badge(g.status), ` ${g.items.length}`),
        tables[n] ?? null,
      ),
    );
  root.replaceChildren(
    ...present(
      h('h1', {}, 'SyncGuard incidents'),
      incidents.length === 0 ? h('p', { class: 'muted' }, 'No incidents.') : null,
      note ? h('p', { class: 'muted' }, note) : null,
      ...sections,
      h('section', { id: 'detail', 'aria-label': 'Selected incident' }),
    ),
  );
}

async function select(id: string): Promise<void> {
  selected = id;
  for (const row of root.querySelectorAll('tr[data-id]')) {
    row.setAttribute('aria-selected', row.getAttribute('data-id') === id ? 'true' : 'false');
  }
  const detail = document.getElementById('detail');
  if (!detail) return;
  const incident = incidents.find((i) => i.id === id);
  detail.replaceChildren(h('p', { class: 'muted' }, 'Loading the timeline…'));
  let result: CallToolResult;
  try {
    result = await bridge.callTool('get_incident_timeline', { id });
  } catch (err) {
    detail.replaceChildren(h('p', { class: 'error', role: 'alert' }, `The host refused: ${String(err)}`));
    return;
  }
  if (selected !== id) return;
  const data = structured(result);
  const entries = Array.isArray(data?.entries) ? (data.entries as TimelineEntry[]) : [];
  renderDetail(detail, incident ?? { id }, data ? entries : undefined, data ? undefined : resultText(result));
}

function transitionLabel(e: TimelineEntry): string {
  const from = e.fromStatus ?? null;
  const to = e.toStatus ?? '?';
  if (from === null) return `Opened (${to})`;
  if (to === 'Open' && from === 'Closed') return `Reopened: ${from} → ${to}`;
  return `${from} → ${to}`;
}

function renderDetail(
  detail: HTMLElement,
  incident: Incident,
  entries: TimelineEntry[] | undefined,
  error: string | undefined,
): void {
  const { locale, timeZone } = bridge.context;
  const title = incident.patternName ?? incident.patternId ?? incident.id;
  const points = (entries ?? []).map((e) =>
    h(
      'li',
      { 'data-status': (e.toStatus ?? '').toLowerCase() },
      h('strong', { class: `s-${(e.toStatus ?? '').toLowerCase()}` }, transitionLabel(e)),
      h('br'),
      h('span', { class: 'muted' }, when(e.occurredAt, locale, timeZone)),
      e.reason ? h('span', {}, ` · ${e.reason}`) : null,
    ),
  );
  const tenants = (incident.affectedTenants ?? []).map((t) =>
    h('li', {}, `${t.tenantName ?? t.tenantId ?? '?'}: ${t.eventCount ?? 0} events`),
  );
  const resolve = h('button', { type: 'button', class: 'primary' }, 'Resolve incident');
  const outcome = h('span', { role: 'status' });
  resolve.addEventListener('click', () => void doResolve(incident, resolve, outcome));
  detail.replaceChildren(
    h(
      'div',
      { class: 'detail' },
      h('h2', {}, `${title} `, badge(statusOf(incident))),
      h('p', { class: 'muted' }, `Incident ${incident.id}`),
      tenants.length > 0 ? h('ul', { 'aria-label': 'Affected tenants' }, ...tenants) : null,
      h('h2', {}, 'Lifecycle'),
      error !== undefined
        ? h('p', { class: 'error', role: 'alert' }, error)
        : points.length > 0
          ? h('ol', { class: 'timeline', 'aria-label': 'Lifecycle timeline' }, ...points)
          : h('p', { class: 'muted' }, 'No transitions recorded.'),
      statusOf(incident) === 'Closed' ? null : h('div', { class: 'actions' }, resolve, outcome),
    ),
  );
}

async function doResolve(incident: Incident, button: HTMLButtonElement, outcome: HTMLElement): Promise<void> {
  button.disabled = true;
  outcome.textContent = 'Resolving…';
  let result: CallToolResult;
  try {
    result = await bridge.callTool('resolve_incident', { id: incident.id });
  } catch (err) {
    outcome.textContent = `Not resolved: ${String(err)}`;
    outcome.className = 'error';
    button.disabled = false;
    return;
  }
  const data = structured(result);
  if (data?.resolved !== true) {
    outcome.textContent = `Not resolved: ${resultText(result)}`;
    outcome.className = 'error';
    button.disabled = false;
    return;
  }
  const after = (data.incident as Incident | undefined) ?? { ...incident, status: 'Closed' };
  incidents = incidents.map((i) => (i.id === incident.id ? { ...i, ...after } : i));
  render(undefined);
  say(`Incident ${incident.id} resolved.`);
  await select(incident.id);
}

void bridge.connect().catch((err: unknown) => {
  root.replaceChildren(h('p', { class: 'error' }, `Could not reach the host: ${String(err)}`));
});
