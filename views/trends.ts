/**
 * Trends view (get_workspace_trends, get_workspace_stats): incidents opened per day for each pattern, as
 * SyncGuard buckets them (UTC days), drawn with uPlot, with the period and time zone on the chart; and the
 * workspace headline figures. Whichever of the two tools was called, the view asks the host for the other
 * one, so both halves show.
 */
import type { CallToolResult } from '@modelcontextprotocol/server';
import uPlot from 'uplot';
import { ViewBridge } from './shared/bridge.js';
import { duration, h, present, resultText, structured } from './shared/dom.js';
import { applyHostLook } from './shared/theme.js';

interface PatternTrend {
  patternId?: string;
  trend?: string;
  buckets?: Array<{ date?: string; count?: number }>;
}

/** Series colours readable on light and dark backgrounds. */
const PALETTE = ['#2f6feb', '#d9480f', '#2b8a3e', '#ae3ec9', '#e67700', '#0c8599', '#c2255c', '#5f3dc4'];
const ARROW: Record<string, string> = { up: '↑ rising', down: '↓ falling', flat: '→ flat' };

const root = document.getElementById('app') ?? document.body;
const figures = h('section', { 'aria-label': 'Headline figures' });
const chart = h('section', { 'aria-label': 'Incidents over time' });
root.replaceChildren(h('h1', {}, 'SyncGuard workspace trends'), figures, chart);
let plot: uPlot | undefined;
let trends: PatternTrend[] | undefined;
const asked = new Set<string>();

const bridge = new ViewBridge(
  { name: 'syn-mcp trends', version: '1' },
  {
    hostContext: (ctx) => {
      applyHostLook(ctx);
      if (trends) drawChart(trends);
    },
    toolResult: (result) => void showResult(result),
  },
);

async function showResult(result: CallToolResult): Promise<void> {
  const data = structured(result);
  if (!data) {
    chart.replaceChildren(
      h('p', { class: 'error', role: 'alert' }, resultText(result) || 'The call failed.'),
    );
    return;
  }
  if (Array.isArray(data.items)) {
    trends = data.items as PatternTrend[];
    drawChart(trends);
    await complete('get_workspace_stats', (d) => showFigures(d), figures);
  } else {
    showFigures(data);
    await complete(
      'get_workspace_trends',
      (d) => {
        trends = Array.isArray(d.items) ? (d.items as PatternTrend[]) : [];
        drawChart(trends);
      },
      chart,
    );
  }
}

/** Asks the host for the other tool's result (once), to show both halves. */
async function complete(
  tool: string,
  show: (data: Record<string, unknown>) => void,
  where: HTMLElement,
): Promise<void> {
  if (asked.has(tool)) return;
  asked.add(tool);
  try {
    const other = await bridge.callTool(tool, {});
    const data = structured(other);
    if (data) show(data);
    else where.replaceChildren(h('p', { class: 'error' }, resultText(other)));
  } catch (err) {
    where.replaceChildren(h('p', { class: 'muted' }, `${tool} is not available here: ${String(err)}`));
  }
}

function figure(label: string, value: string): HTMLElement {
  return h('div', {}, h('dt', {}, label), h('dd', {}, value));
}

function showFigures(stats: Record<string, unknown>): void {
  const num = (v: unknown) => (typeof v === 'number' ? String(v) : '—');
  const mttr = typeof stats.mttrSeconds === 'number' ? duration(stats.mttrSeconds * 1000) : '—';
  const rate = typeof stats.reopenRate === 'number' ? `${(stats.reopenRate * 100).toFixed(1)} %` : '—';
  const top = Array.isArray(stats.topPatterns)
    ? (stats.topPatterns as Array<{ patternId?: string; count?: number }>)
    : [];
  figures.replaceChildren(
    ...present(
      h(
        'dl',
        { class: 'figures' },
        figure('Open incidents', num(stats.openIncidents)),
        figure('Recovering', num(stats.recoveringIncidents)),
        figure('Mean time to resolve', mttr),
        figure('Reopen rate', rate),
      ),
      top.length > 0
        ? h(
            'p',
            { class: 'muted' },
            `Top patterns: ${top.map((t) => `${t.patternId ?? '?'} (${t.count ?? 0})`).join(', ')}`,
          )
        : null,
    ),
  );
}

function drawChart(items: PatternTrend[]): void {
  plot?.destroy();
  plot = undefined;
  const dates = [...new Set(items.flatMap((t) => (t.buckets ?? []).map((b) => b.date ?? '')))]
    .filter((d) => d !== '')
    .sort();
  if (items.length === 0 || dates.length === 0) {
    chart.replaceChildren(h('p', { class: 'muted' }, 'No incidents in the trend period.'));
    return;
  }
  const first = dates[0] ?? '';
  const last = dates[dates.length - 1] ?? '';
  const xs = dates.map((d) => Date.parse(`${d}T00:00:00Z`) / 1000);
  const series = items.map((t) => {
    const byDate = new Map((t.buckets ?? []).map((b) => [b.date ?? '', b.count ?? 0]));
    return dates.map((d) => byDate.get(d) ?? 0);
  });
  const names = items.map((t) => `${t.patternId ?? '?'} (${ARROW[t.trend ?? ''] ?? t.trend ?? '?'})`);
  const caption = `Incidents opened per day and pattern, ${first} to ${last} (${dates.length} days, UTC days as SyncGuard counts them)`;
  const css = getComputedStyle(document.documentElement);
  const axisColour = css.getPropertyValue('--fg2').trim() || '#888';
  const gridColour = css.getPropertyValue('--line').trim() || '#ccc';
  const holder = h('div', { class: 'chart', role: 'img', 'aria-label': caption });
  const table = h(
    'table',
    {},
    h('caption', { class: 'sr-only' }, caption),
    h(
      'thead',
      {},
      h('tr', {}, h('th', { scope: 'col' }, 'Day (UTC)'), ...names.map((n) => h('th', { scope: 'col' }, n))),
    ),
    h(
      'tbody',
      {},
      ...dates.map((d, i) =>
        h('tr', {}, h('th', { scope: 'row' }, d), ...series.map((s) => h('td', {}, String(s[i] ?? 0)))),
      ),
    ),
  );
  chart.replaceChildren(
    h('h2', { id: 'chart-title' }, caption),
    holder,
    h('details', {}, h('summary', {}, 'Data table'), table),
  );
  const axis = { stroke: axisColour, grid: { stroke: gridColour, width: 1 }, ticks: { stroke: gridColour } };
  plot = new uPlot(
    {
      width: Math.max(280, Math.min(chart.clientWidth || 640, 900)),
      height: 260,
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'UTC'),
      scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
      axes: [
        { ...axis, label: 'Day (UTC)' },
        { ...axis, label: 'Incidents opened', incrs: [1, 2, 5, 10, 20, 50, 100] },
      ],
      series: [
        { label: 'Day (UTC)' },
        ...names.map((label, i) => ({
          label,
          stroke: PALETTE[i % PALETTE.length] ?? '#2f6feb',
          width: 2,
          points: { show: true, size: 5 },
        })),
      ],
    },
    [xs, ...series],
    holder,
  );
}

void bridge.connect().catch((err: unknown) => {
  root.replaceChildren(h('p', { class: 'error' }, `Could not reach the host: ${String(err)}`));
});
