/** SyncGuard's workspace figures: the stats snapshot and the per-day trends. */
import { iso, type Workspace } from './model.js';

/** `GET /workspaces/stats`. */
export function workspaceStats(ws: Workspace): Record<string, unknown> {
  const closed = ws.incidents.filter((i) => i.status === 'Closed' && i.closedAt !== null);
  const mttrSeconds =
    closed.length === 0
      ? null
      : Math.round(
          closed.reduce((sum, i) => sum + ((i.closedAt ?? i.openedAt) - i.openedAt), 0) /
            closed.length /
            1000,
        );
  const total = ws.incidents.length;
  const reopened = ws.incidents.filter((i) => i.reopenCount > 0).length;
  const counts = new Map<string, number>();
  for (const incident of ws.incidents)
    counts.set(incident.patternId, (counts.get(incident.patternId) ?? 0) + 1);
  const priority = (id: string): number => ws.patterns.find((p) => p.id === id)?.priority ?? 0;
  const topPatterns = [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || priority(a[0]) - priority(b[0]))
    .slice(0, 5)
    .map(([patternId, count]) => ({ patternId, count }));
  return {
    openIncidents: ws.incidents.filter((i) => i.status === 'Open').length,
    recoveringIncidents: ws.incidents.filter((i) => i.status === 'Recovering').length,
    mttrSeconds,
    reopenRate: total === 0 ? 0 : Math.round((reopened / total) * 10000) / 10000,
    topPatterns,
  };
}

const DAY_MS = 86_400_000;

/**
 * `GET /workspaces/trends`: for each pattern with incidents in the last `days` UTC days (today included),
 * daily counts of incidents opened, oldest bucket first; trend is the sign of the least-squares slope.
 */
export function workspaceTrends(ws: Workspace, now: number, days: number): Array<Record<string, unknown>> {
  const firstDay = Math.floor(now / DAY_MS) - (days - 1);
  const byPattern = new Map<string, number[]>();
  for (const incident of ws.incidents) {
    const index = Math.floor(incident.openedAt / DAY_MS) - firstDay;
    if (index < 0 || index >= days) continue;
    let counts = byPattern.get(incident.patternId);
    if (counts === undefined) {
      counts = new Array<number>(days).fill(0);
      byPattern.set(incident.patternId, counts);
    }
    counts[index] = (counts[index] ?? 0) + 1;
  }
  return ws.patterns.flatMap((pattern) => {
    const counts = byPattern.get(pattern.id);
    if (counts === undefined) return [];
    // Sign of Σ (2i − (days − 1)) · count_i, the least-squares slope numerator (scaled by 2).
    const slope = counts.reduce((sum, count, i) => sum + (2 * i - (days - 1)) * count, 0);
    return [
      {
        patternId: pattern.id,
        buckets: counts.map((count, i) => ({ date: iso((firstDay + i) * DAY_MS).slice(0, 10), count })),
        trend: slope > 0 ? 'up' : slope < 0 ? 'down' : 'flat',
      },
    ];
  });
}
