// Per call over stdio: latency and the server's CPU per tools/call, for both revisions.
import {
  childEnv,
  cpuMs,
  INITIALIZE,
  LEGACY,
  loadavg,
  MODERN,
  modern,
  now,
  quantile,
  RawStdio,
  summary,
} from './measure.mjs';
import { ANCHOR, BIN, OPTS, WARMUP_CALLS } from './options.mjs';

/** The time of each of `n` sequential runs of `once`, in ms. */
async function timed(once, n) {
  const times = [];
  for (let i = 0; i < n; i++) {
    const t = now();
    await once();
    times.push(now() - t);
  }
  return times;
}

/** `n` sequential tools/call of list_incidents over stdio as a client of `era`, after a warm-up. */
async function stdioCalls(args, env, era, n) {
  const s = new RawStdio(args, env);
  try {
    if (era === LEGACY) {
      await s.request('initialize', INITIALIZE, 60_000);
      s.notify('notifications/initialized');
    }
    const params = { name: 'list_incidents', arguments: {} };
    const sent = era === MODERN ? modern(params) : params;
    const call = async () => {
      const { msg } = await s.request('tools/call', sent);
      if (!msg.result || msg.result.isError) throw new Error(`list_incidents failed: ${JSON.stringify(msg)}`);
    };
    for (let i = 0; i < WARMUP_CALLS; i++) await call();
    const cpu0 = cpuMs(s.pid);
    const times = await timed(call, n);
    const cpu = (cpuMs(s.pid) - cpu0) / n;
    return { p50: quantile(times, 0.5), p99: quantile(times, 0.99), cpu };
  } finally {
    await s.close();
  }
}

export async function benchCalls(upstream) {
  const out = {};
  for (const era of [LEGACY, MODERN]) {
    const runs = [
      ['syn', () => stdioCalls([BIN], childEnv(upstream.env), era, OPTS.calls)],
      ['anchor', () => stdioCalls([ANCHOR], childEnv(upstream.env), era, OPTS.calls)],
    ];
    const rows = { syn: [], anchor: [], load: [] };
    for (let r = 0; r < OPTS.callRounds; r++) {
      rows.load.push(loadavg());
      for (let k = 0; k < runs.length; k++) {
        const [name, run] = runs[(r + k) % runs.length];
        rows[name].push(await run());
      }
    }
    const pick = (list, key) => summary(list.map((x) => x[key]));
    out[era] = {
      syn: { p50: pick(rows.syn, 'p50'), p99: pick(rows.syn, 'p99'), cpu: pick(rows.syn, 'cpu') },
      anchor: { p50: pick(rows.anchor, 'p50'), p99: pick(rows.anchor, 'p99'), cpu: pick(rows.anchor, 'cpu') },
      cpuRatio: summary(rows.syn.map((s, i) => s.cpu / rows.anchor[i].cpu)),
      load: summary(rows.load),
    };
  }
  return out;
}
