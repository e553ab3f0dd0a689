// HTTP under load from many clients (bench/lib/load.mjs in a process of its own): throughput, latency,
// errors, server CPU per call, RSS idle / peak / after, and the live heap once the clients left.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { childEnv, cpuMs, LEGACY, loadavg, MODERN, now, rssMb, spawnHttp, summary } from './measure.mjs';
import {
  ANCHOR,
  BIN,
  HEAP_PROBE,
  LOAD,
  log,
  OPTS,
  REST_FALL_MB,
  REST_HOLD,
  REST_MS,
  SETTLE_MS,
  sleep,
  TARGET,
} from './options.mjs';

function runLoad(url, clients, seconds, era) {
  const spec = { url, clients, seconds, tool: 'list_incidents', args: {}, era };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [LOAD, JSON.stringify(spec)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => {
      out += c;
    });
    child.stderr.on('data', (c) => {
      err += c;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), (seconds + 60) * 1000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(out));
      } catch {
        reject(new Error(`load generator exited ${code}: ${err.slice(0, 2000)}`));
      }
    });
  });
}

/** One server under HTTP load from clients of `era`: throughput, latency, errors, CPU per call, RSS. */
async function httpRun(args, upstream, era) {
  const heapFile = `${tmpdir()}/syn-mcp-bench-heap-${process.pid}.json`;
  const env = {
    ...upstream.env,
    NODE_OPTIONS: `--expose-gc --require ${HEAP_PROBE}`,
    BENCH_HEAP_FILE: heapFile,
  };
  const server = await spawnHttp(args, childEnv(env));
  const pid = server.child.pid;
  /** Live heap (MB) after two full collections in the server, through bench/lib/heap-probe.cjs. */
  const liveHeap = async () => {
    rmSync(heapFile, { force: true });
    server.child.kill('SIGUSR2');
    const until = now() + 5_000;
    while (!existsSync(heapFile) && now() < until) await sleep(20);
    await sleep(20);
    try {
      return JSON.parse(readFileSync(heapFile, 'utf8')).heapUsed / 1024 / 1024;
    } catch {
      return Number.NaN;
    }
  };
  try {
    // A short single-client warm-up (pool, JIT). Right after it V8's young generation has grown; it gives
    // that memory back only once its memory reducer sees the process at rest (~10–30 s later). The idle RSS
    // is what the server holds at rest: sampled each second until it has fallen from the warm-up figure and
    // held for REST_HOLD samples, or REST_MS has passed (then the last sample, whatever it is).
    await runLoad(server.url, 1, 1, era);
    await sleep(1_000);
    const warm = rssMb(pid).rss;
    const restStart = now();
    let idle = warm;
    let held = 0;
    while (now() - restStart < REST_MS && held < REST_HOLD) {
      await sleep(1_000);
      const next = rssMb(pid).rss;
      held = next < warm - REST_FALL_MB && Math.abs(next - idle) < 1 ? held + 1 : 0;
      idle = next;
    }
    const restedIn = held >= REST_HOLD ? (now() - restStart) / 1000 : Number.NaN;
    const cpu0 = cpuMs(pid);
    let peak = idle;
    const sampler = setInterval(() => {
      peak = Math.max(peak, rssMb(pid).rss);
    }, 100);
    const load = loadavg();
    const res = await runLoad(server.url, OPTS.clients, OPTS.httpSeconds, era);
    clearInterval(sampler);
    const cpu = cpuMs(pid) - cpu0;
    peak = Math.max(peak, rssMb(pid).rss);
    // RSS after the clients leave: polled until it is back within 20 MB of idle, or SETTLE_MS has passed.
    const left = now();
    let after = rssMb(pid).rss;
    while (after > idle + TARGET.settleMb && now() - left < SETTLE_MS) {
      await sleep(500);
      after = rssMb(pid).rss;
    }
    const settledIn = after <= idle + TARGET.settleMb ? (now() - left) / 1000 : Number.NaN;
    // Taken last, since a forced collection changes what V8 keeps: live heap after the load, then after 50
    // more calls from one client (a leak grows both).
    const heapAfter = await liveHeap();
    await runLoad(server.url, 1, 1, era);
    const heapAgain = await liveHeap();
    return {
      heapAfter,
      heapAgain,
      ...res,
      cpuPerCall: res.calls ? cpu / res.calls : Number.NaN,
      warm,
      idle,
      restedIn,
      peak,
      after,
      settledIn,
      load,
    };
  } finally {
    await server.stop();
  }
}

/** The HTTP variants: how the server runs, and which clients load it. */
export const HTTP_VARIANTS = [
  { name: 'stateful, 2025-11-25 clients', syn: [], anchor: [], era: LEGACY },
  { name: 'stateless, 2025-11-25 clients', syn: ['--stateless'], anchor: ['--stateless'], era: LEGACY },
  { name: '2026-07-28 clients (no session)', syn: [], anchor: [], era: MODERN },
];

export async function benchHttp(upstream) {
  const out = [];
  for (const v of HTTP_VARIANTS) {
    const rows = { syn: [], anchor: [] };
    const runs = [
      ['syn', () => httpRun([BIN, '--http', '--port', '0', ...v.syn], upstream, v.era)],
      ['anchor', () => httpRun([ANCHOR, '--http', ...v.anchor], upstream, v.era)],
    ];
    for (let r = 0; r < OPTS.rounds; r++) {
      for (let k = 0; k < runs.length; k++) {
        const [name, run] = runs[(r + k) % runs.length];
        log(
          `HTTP ${v.name}: ${name}, round ${r + 1}/${OPTS.rounds} (${OPTS.clients} clients, ${OPTS.httpSeconds} s)`,
        );
        rows[name].push(await run());
      }
    }
    const side = (list) => {
      const pick = (key) => summary(list.map((x) => x[key]));
      return {
        throughput: pick('throughput'),
        p50: pick('p50'),
        p99: pick('p99'),
        errors: pick('errors'),
        cpuPerCall: pick('cpuPerCall'),
        warm: pick('warm'),
        idle: pick('idle'),
        restedIn: list.map((x) => x.restedIn),
        peak: pick('peak'),
        after: pick('after'),
        settle: summary(list.map((x) => x.after - x.idle)),
        heapAfter: pick('heapAfter'),
        heapAgain: pick('heapAgain'),
        settledIn: list.map((x) => x.settledIn),
        load: pick('load'),
        firstError: list.find((x) => x.firstError)?.firstError,
      };
    };
    const ratio = (key) => summary(rows.syn.map((s, i) => s[key] / rows.anchor[i][key]));
    out.push({
      name: v.name,
      syn: side(rows.syn),
      anchor: side(rows.anchor),
      ratio: { throughput: ratio('throughput'), p99: ratio('p99'), cpu: ratio('cpuPerCall') },
    });
  }
  return out;
}
