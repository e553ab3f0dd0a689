// The Markdown table printed and appended to bench/RESULTS.md: one row per figure, with its target.
import { fmt, LEGACY, MODERN } from './measure.mjs';
import { OPTS, SETTLE_MS, STALL_REQUESTS, TARGET, WARMUP_CALLS } from './options.mjs';

const mark = (ok) => (ok ? '✅' : '❌');
/** Seconds each round took to settle, `—` for a round that did not within SETTLE_MS. */
const settled = (list) => list.map((v) => (Number.isFinite(v) ? v.toFixed(1) : '—')).join(', ');
const x = (s) => (Number.isFinite(s?.median) ? `${fmt(s, 2)}×` : 'n/a');
const atMost = (s, t) => Number.isFinite(s?.median) && s.median <= t;
const atLeast = (s, t) => Number.isFinite(s?.median) && s.median >= t;

export function table(res) {
  const rows = [
    '| figure | syn-mcp | anchor: minimal SDK v2 server, 1 tool | ratio | target | met | load 1-min |',
    '|---|---|---|---|---|---|---|',
  ];
  const c = res.cold;
  if (c) {
    for (const era of [LEGACY, MODERN]) {
      const e = c[era];
      const how = era === LEGACY ? 'initialize, initialized, tools/list' : 'tools/list with _meta';
      rows.push(
        `| cold start → tools/list answer, ms (${era}: ${how}; node -e 0: ${fmt(c.floor)}) | ${fmt(e.syn)} | ${fmt(e.anchor)} | ${x(e.ratio)} | ≤ ${TARGET.cold}× | ${mark(atMost(e.ratio, TARGET.cold))} | ${fmt(e.load, 2)} |`,
      );
    }
    const e = c[LEGACY];
    rows.push(
      `| RSS right after that tools/list answer, MB (${LEGACY}) | ${fmt(e.synRss, 0)} | ${fmt(e.anchorRss, 0)} | | — | | |`,
      `| tools/list answer: tools / bytes | ${e.synTools} / ${e.synBytes} (all five APIs, every toolset) | ${e.anchorTools} / ${e.anchorBytes} | | — | | |`,
    );
  }
  const p = res.calls;
  if (p) {
    for (const era of [LEGACY, MODERN]) {
      const e = p[era];
      rows.push(
        `| per call over stdio (${era}), server CPU ms/call (${OPTS.calls} sequential, after ${WARMUP_CALLS}) | ${fmt(e.syn.cpu, 3)} | ${fmt(e.anchor.cpu, 3)} | ${x(e.cpuRatio)} | ≤ ${TARGET.cpu}× | ${mark(atMost(e.cpuRatio, TARGET.cpu))} | ${fmt(e.load, 2)} |`,
        `| per call over stdio (${era}), p50 / p99 ms | ${fmt(e.syn.p50, 3)} / ${fmt(e.syn.p99, 3)} | ${fmt(e.anchor.p50, 3)} / ${fmt(e.anchor.p99, 3)} | | — | | |`,
      );
    }
  }
  for (const h of res.http ?? []) {
    const s = h.syn;
    const a = h.anchor;
    const n = `HTTP ${h.name}`;
    rows.push(
      `| ${n}, ${OPTS.clients} clients × ${OPTS.httpSeconds} s: calls/s | ${fmt(s.throughput, 0)} | ${fmt(a.throughput, 0)} | ${x(h.ratio.throughput)} | ≥ ${TARGET.throughput}× | ${mark(atLeast(h.ratio.throughput, TARGET.throughput))} | ${fmt(s.load, 2)} |`,
      `| ${n}: p99 ms (p50) | ${fmt(s.p99, 2)} (${fmt(s.p50, 2)}) | ${fmt(a.p99, 2)} (${fmt(a.p50, 2)}) | ${x(h.ratio.p99)} | ≤ ${TARGET.p99}× | ${mark(atMost(h.ratio.p99, TARGET.p99))} | |`,
      `| ${n}: server CPU ms/call | ${fmt(s.cpuPerCall, 3)} | ${fmt(a.cpuPerCall, 3)} | ${x(h.ratio.cpu)} | ≤ ${TARGET.cpu}× | ${mark(atMost(h.ratio.cpu, TARGET.cpu))} | |`,
      `| ${n}: errors | ${fmt(s.errors, 0)} | ${fmt(a.errors, 0)} | | 0 | ${mark(s.errors.max === 0)} | |`,
      `| ${n}: RSS 1 s after a 1 s single-client warm-up, MB | ${fmt(s.warm, 0)} | ${fmt(a.warm, 0)} | | — | | |`,
      `| ${n}: RSS idle — at rest after that warm-up, MB (settled in, s) | ${fmt(s.idle, 0)} (${settled(s.restedIn)}) | ${fmt(a.idle, 0)} (${settled(a.restedIn)}) | | ≤ ${TARGET.idleMb} MB | ${mark(atMost(s.idle, TARGET.idleMb))} | |`,
      `| ${n}: RSS peak under load, MB | ${fmt(s.peak, 0)} | ${fmt(a.peak, 0)} | | ≤ ${TARGET.peakMb} MB | ${mark(atMost(s.peak, TARGET.peakMb))} | |`,
      `| ${n}: live heap after a full GC once the clients left, MB (then after 1 s more of one client) | ${fmt(s.heapAfter, 1)} (${fmt(s.heapAgain, 1)}) | ${fmt(a.heapAfter, 1)} (${fmt(a.heapAgain, 1)}) | | — | | |`,
      `| ${n}: RSS after the clients left, MB (settled in, s) | ${fmt(s.after, 0)} (${settled(s.settledIn)}) | ${fmt(a.after, 0)} (${settled(a.settledIn)}) | after − idle: ${fmt(s.settle, 0)} MB | ≤ idle + ${TARGET.settleMb} MB within ${SETTLE_MS / 1000} s | ${mark(atMost(s.settle, TARGET.settleMb))} | |`,
    );
  }
  if (res.stall) {
    const s = res.stall;
    rows.push(
      `| stdio client not reading (${STALL_REQUESTS} tools/list of ~100 KB owed): RSS once reading paused, MB (peak) | ${s.rss.toFixed(0)} (${s.hwm.toFixed(0)}) | | | ≤ ${TARGET.peakMb} MB | ${mark(s.hwm <= TARGET.peakMb)} | ${s.load.toFixed(2)} |`,
    );
  }
  if (res.catalog) {
    rows.push(
      `| catalog (syn-mcp tools --all-apis --toolsets all): tools / o200k tokens | ${res.catalog.count} / ${res.catalog.tokens} | | | — | | |`,
    );
  }
  return rows.join('\n');
}
