#!/usr/bin/env node
// `npm run bench`: syn-mcp (the file package.json `bin` names) measured side by side with its references in
// one run — cold start against `node -e 0` and a plain-SDK server (bench/baseline/server.mjs), per-call
// overhead against direct undici requests to the same endpoint, HTTP load against the plain-SDK server, and
// the catalog's size; per call and under HTTP load, also a bare relay (bench/baseline/floor.mjs: no MCP
// library, no validation), the floor of a server on Node's http and undici. Several rounds; medians with
// min–max; the machine's load with every figure. Prints the table and appends it, dated, to bench/RESULTS.md.
// Loopback only; every wait is bounded.
//
// Options: --label TEXT (RESULTS.md heading), --no-write, --only cold,call,http,catalog, --bin FILE,
//   --rounds N (per-call and HTTP rounds, default 3), --cold-rounds N (default 10), --calls N (default 500),
//   --http-seconds S (default 20), --clients N (default 50). BENCH_QUICK=1: 1 round, 4 s, fewer calls.
import { execFile, spawn } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Agent, request } from 'undici';
import {
  childEnv,
  cpuMs,
  fmt,
  INITIALIZE,
  loadavg,
  now,
  quantile,
  RawStdio,
  rssMb,
  spawnHttp,
  summary,
  within,
} from './lib/measure.mjs';

const ROOT = new URL('../', import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('package.json', ROOT), 'utf8'));
const binArg = process.argv.indexOf('--bin');
/** The server under test: package.json `bin`, or `--bin <file>` (another build of it, e.g. an older one). */
const BIN =
  binArg === -1 ? fileURLToPath(new URL(pkg.bin['syn-mcp'], ROOT)) : resolve(process.argv[binArg + 1]);
const BIN_REL = binArg === -1 ? pkg.bin['syn-mcp'] : BIN;
const BASELINE = fileURLToPath(new URL('bench/baseline/server.mjs', ROOT));
/** The least a Node relay does per call (no MCP library, no validation): what no Node server can beat here. */
const FLOOR = fileURLToPath(new URL('bench/baseline/floor.mjs', ROOT));
const LOAD = fileURLToPath(new URL('bench/lib/load.mjs', ROOT));
const UPSTREAM = fileURLToPath(new URL('bench/lib/upstream.mjs', ROOT));
const BUILT = new URL('dist/src/sandbox/syncguard/index.js', ROOT);
const RESULTS = new URL('bench/RESULTS.md', ROOT);

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : process.argv[i + 1];
}
const quick = process.env.BENCH_QUICK === '1';
const OPTS = {
  label: option('label', `bin ${BIN_REL}`),
  write: !process.argv.includes('--no-write'),
  only: new Set((option('only', 'cold,call,http,catalog') ?? '').split(',')),
  rounds: Number(option('rounds', quick ? 1 : 3)),
  coldRounds: Number(option('cold-rounds', quick ? 4 : 10)),
  calls: Number(option('calls', quick ? 200 : 500)),
  httpSeconds: Number(option('http-seconds', quick ? 4 : 20)),
  clients: Number(option('clients', 50)),
};
const WARMUP_CALLS = 50;
/** Calls made before the second, warm measurement of the per-call figure (V8 has optimised the path by then). */
const WARM_AFTER = 2_000;
/** Longest wait for RSS to come back within 20 MB of idle once the clients have left. */
const SETTLE_MS = 20_000;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (line) => process.stderr.write(`bench: ${line}\n`);

if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`npm run build\` first`);
if (!existsSync(BUILT)) throw new Error(`${fileURLToPath(BUILT)} is missing: run \`npm run build\` first`);

// ---------------------------------------------------------------------------------------------- upstream

/** The SyncGuard emulator in a process of its own (bench/lib/upstream.mjs), seeded with a few incidents. */
async function startUpstream() {
  const child = spawn(process.execPath, [UPSTREAM], { env: childEnv(), stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.setEncoding('utf8');
  const ready = new Promise((resolve, reject) => {
    child.stdout.on('data', (c) => {
      out += c;
      if (out.includes('\n')) resolve(JSON.parse(out.slice(0, out.indexOf('\n'))));
    });
    child.once('exit', (code) => reject(new Error(`upstream exited (${code})`)));
  });
  const { baseUrl, apiKey } = await within(ready, 20_000, 'upstream start');
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return {
    baseUrl,
    pid: child.pid,
    env: { SYNCGUARD_BASE_URL: baseUrl, SYNCGUARD_API_KEY: apiKey },
    async close() {
      child.stdin.end();
      await within(exited, 5_000, 'upstream exit').catch(() => child.kill('SIGKILL'));
    },
  };
}

/** The plain-SDK baseline as one esbuild bundle, like syn-mcp's bin: what the SDK costs at best. */
async function bundleBaseline() {
  const { build } = await import('esbuild');
  const outfile = fileURLToPath(new URL('dist/bench/baseline.mjs', ROOT));
  await build({
    entryPoints: [BASELINE],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    minify: true,
    banner: { js: "import{createRequire as __r}from'node:module';const require=__r(import.meta.url);" },
    logLevel: 'warning',
  });
  return outfile;
}

// -------------------------------------------------------------------------------------------- cold start

/** spawn → exit of `node -e 0`. */
async function nodeFloor(env) {
  const t0 = now();
  const child = spawn(process.execPath, ['-e', '0'], { env, stdio: 'ignore' });
  await within(new Promise((resolve) => child.once('exit', resolve)), 10_000, 'node -e 0');
  return now() - t0;
}

/** spawn → initialize result → tools/list result, over stdio. */
async function coldStart(args, env) {
  const s = new RawStdio(args, env);
  try {
    const init = await s.request('initialize', INITIALIZE, 60_000);
    s.notify('notifications/initialized');
    const list = await s.request('tools/list', {}, 60_000);
    return {
      init: init.at - s.t0,
      list: list.at - s.t0,
      bytes: Buffer.byteLength(JSON.stringify(list.msg.result)),
      tools: list.msg.result.tools.length,
    };
  } finally {
    await s.close();
  }
}

/**
 * The environment a client starts the server with: the bench's own, less every service variable. On this
 * machine it carries NODE_EXTRA_CA_CERTS, which by itself costs every Node process tens of ms.
 */
function clientEnv(extra = {}) {
  const prefixes = ['SYNCGUARD_', 'SYNAPSE_', 'SYNQLY_', 'SYNAP_', 'SYNCHRONEX_', 'SYN_MCP_'];
  const own = Object.entries(process.env).filter(([k]) => !prefixes.some((p) => k.startsWith(p)));
  return { ...Object.fromEntries(own), ...extra };
}

/** Cold start in one environment: `node -e 0`, syn-mcp --sandbox (all five APIs) and the baseline. */
async function coldIn(makeEnv, upstream) {
  const rows = { floor: [], syn: [], base: [], bundled: [], load: [] };
  const runs = [
    ['floor', () => nodeFloor(makeEnv())],
    ['syn', () => coldStart([BIN, '--sandbox', '--toolsets', 'all'], makeEnv())],
    ['base', () => coldStart([BASELINE], makeEnv(upstream.env))],
    ['bundled', () => coldStart([upstream.bundledBaseline], makeEnv(upstream.env))],
  ];
  // A first untimed spawn of each warms the page cache.
  for (const [, run] of runs) await run();
  for (let r = 0; r < OPTS.coldRounds; r++) {
    rows.load.push(loadavg());
    // Rotate the order so that no contender always runs first (or last) in a round.
    for (let k = 0; k < runs.length; k++) {
      const [name, run] = runs[(r + k) % runs.length];
      rows[name].push(await run());
    }
  }
  return {
    floor: summary(rows.floor),
    synInit: summary(rows.syn.map((s) => s.init)),
    synList: summary(rows.syn.map((s) => s.list)),
    baseInit: summary(rows.base.map((s) => s.init)),
    baseList: summary(rows.base.map((s) => s.list)),
    initRatio: summary(rows.syn.map((s, i) => s.init / rows.floor[i])),
    listRatio: summary(rows.syn.map((s, i) => s.list / rows.floor[i])),
    baseRatio: summary(rows.base.map((s, i) => s.init / rows.floor[i])),
    baseListRatio: summary(rows.base.map((s, i) => s.list / rows.floor[i])),
    bundledInit: summary(rows.bundled.map((s) => s.init)),
    bundledRatio: summary(rows.bundled.map((s, i) => s.init / rows.floor[i])),
    catalogBytes: rows.syn[0]?.bytes,
    catalogTools: rows.syn[0]?.tools,
    baseCatalogBytes: rows.base[0]?.bytes,
    load: summary(rows.load),
  };
}

async function benchCold(upstream) {
  return {
    client: await coldIn(clientEnv, upstream),
    minimal: await coldIn(childEnv, upstream),
  };
}

// ------------------------------------------------------------------------------------------------ per call

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

/** N sequential GETs of the endpoint list_incidents reads, with undici, in this process. */
async function directCalls(upstream, n) {
  const agent = new Agent({ keepAliveTimeout: 10_000, connections: 1 });
  const url = `${upstream.baseUrl}/incidents`;
  const headers = { 'x-api-key': upstream.env.SYNCGUARD_API_KEY, accept: 'application/json' };
  const once = async () => {
    const res = await request(url, { dispatcher: agent, headers });
    const body = await res.body.json();
    if (res.statusCode !== 200 || !body.isSuccess) throw new Error(`direct GET: ${res.statusCode}`);
  };
  for (let i = 0; i < WARMUP_CALLS; i++) await once();
  const times = await timed(once, n);
  for (let i = WARMUP_CALLS + n; i < WARM_AFTER; i++) await once();
  const warm = await timed(once, n);
  await agent.close();
  return { p50: quantile(times, 0.5), p99: quantile(times, 0.99), warmP50: quantile(warm, 0.5) };
}

/** N sequential tools/call of list_incidents over stdio, after a warm-up; server CPU per call too. */
async function stdioCalls(args, env, n) {
  const s = new RawStdio(args, env);
  try {
    await s.request('initialize', INITIALIZE, 60_000);
    s.notify('notifications/initialized');
    const call = async () => {
      const { msg } = await s.request('tools/call', { name: 'list_incidents', arguments: {} });
      if (!msg.result || msg.result.isError) throw new Error(`list_incidents failed: ${JSON.stringify(msg)}`);
    };
    for (let i = 0; i < WARMUP_CALLS; i++) await call();
    const cpu0 = cpuMs(s.pid);
    const times = await timed(call, n);
    const cpu = (cpuMs(s.pid) - cpu0) / n;
    // The same again once the session has made WARM_AFTER calls.
    for (let i = WARMUP_CALLS + n; i < WARM_AFTER; i++) await call();
    const warmCpu0 = cpuMs(s.pid);
    const warm = await timed(call, n);
    const warmCpu = (cpuMs(s.pid) - warmCpu0) / n;
    return {
      p50: quantile(times, 0.5),
      p99: quantile(times, 0.99),
      cpu,
      warmP50: quantile(warm, 0.5),
      warmCpu,
    };
  } finally {
    await s.close();
  }
}

async function benchCalls(upstream) {
  const rows = { direct: [], syn: [], base: [], floor: [], load: [] };
  const runs = [
    ['direct', () => directCalls(upstream, OPTS.calls)],
    ['syn', () => stdioCalls([BIN], childEnv(upstream.env), OPTS.calls)],
    ['base', () => stdioCalls([BASELINE], childEnv(upstream.env), OPTS.calls)],
    ['floor', () => stdioCalls([FLOOR], childEnv(upstream.env), OPTS.calls)],
  ];
  for (let r = 0; r < OPTS.rounds; r++) {
    rows.load.push(loadavg());
    for (let k = 0; k < runs.length; k++) {
      const [name, run] = runs[(r + k) % runs.length];
      rows[name].push(await run());
    }
  }
  const pick = (list, key) => summary(list.map((x) => x[key]));
  return {
    direct: pick(rows.direct, 'p50'),
    directP99: pick(rows.direct, 'p99'),
    syn: pick(rows.syn, 'p50'),
    synP99: pick(rows.syn, 'p99'),
    synCpu: pick(rows.syn, 'cpu'),
    base: pick(rows.base, 'p50'),
    baseP99: pick(rows.base, 'p99'),
    baseCpu: pick(rows.base, 'cpu'),
    directWarm: pick(rows.direct, 'warmP50'),
    synWarm: pick(rows.syn, 'warmP50'),
    baseWarm: pick(rows.base, 'warmP50'),
    synWarmCpu: pick(rows.syn, 'warmCpu'),
    baseWarmCpu: pick(rows.base, 'warmCpu'),
    synWarmRatio: summary(rows.syn.map((s, i) => s.warmP50 / rows.direct[i].warmP50)),
    baseWarmRatio: summary(rows.base.map((s, i) => s.warmP50 / rows.direct[i].warmP50)),
    synRatio: summary(rows.syn.map((s, i) => s.p50 / rows.direct[i].p50)),
    baseRatio: summary(rows.base.map((s, i) => s.p50 / rows.direct[i].p50)),
    floor: pick(rows.floor, 'p50'),
    floorWarm: pick(rows.floor, 'warmP50'),
    floorCpu: pick(rows.floor, 'cpu'),
    floorRatio: summary(rows.floor.map((s, i) => s.p50 / rows.direct[i].p50)),
    floorWarmRatio: summary(rows.floor.map((s, i) => s.warmP50 / rows.direct[i].warmP50)),
    load: summary(rows.load),
  };
}

// ----------------------------------------------------------------------------------------------------- HTTP

function runLoad(url, clients, seconds) {
  const spec = { url, clients, seconds, tool: 'list_incidents', args: {} };
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

/** One server under HTTP load: throughput, latency, errors, CPU per call, RSS idle/peak/after. */
async function httpRun(args, upstream) {
  const server = await spawnHttp(args, childEnv(upstream.env));
  const pid = server.child.pid;
  try {
    // A short single-client warm-up (pool, JIT), then rest: that is the idle RSS.
    await runLoad(server.url, 1, 1);
    await sleep(1_000);
    const idle = rssMb(pid).rss;
    const cpu0 = cpuMs(pid);
    const upstreamCpu0 = cpuMs(upstream.pid);
    let peak = idle;
    const sampler = setInterval(() => {
      peak = Math.max(peak, rssMb(pid).rss);
    }, 100);
    const load = loadavg();
    const res = await runLoad(server.url, OPTS.clients, OPTS.httpSeconds);
    clearInterval(sampler);
    const cpu = cpuMs(pid) - cpu0;
    const upstreamCpu = cpuMs(upstream.pid) - upstreamCpu0;
    peak = Math.max(peak, rssMb(pid).rss);
    // RSS after the clients leave: polled until it is back within 20 MB of idle, or SETTLE_MS has passed.
    const left = now();
    let after = rssMb(pid).rss;
    while (after > idle + 20 && now() - left < SETTLE_MS) {
      await sleep(500);
      after = rssMb(pid).rss;
    }
    const settledIn = after <= idle + 20 ? (now() - left) / 1000 : Number.NaN;
    return {
      ...res,
      cpuPerCall: res.calls ? cpu / res.calls : Number.NaN,
      // Everything one call costs on this machine: the load generator, the upstream and the server, whose
      // sum bounds the calls/s the machine's cores can carry at all.
      allCpuPerCall: res.calls ? (cpu + upstreamCpu + res.cpuMs) / res.calls : Number.NaN,
      ceiling: res.calls
        ? (availableParallelism() * 1000 * res.calls) / (cpu + upstreamCpu + res.cpuMs)
        : Number.NaN,
      idle,
      peak,
      after,
      settledIn,
      load,
    };
  } finally {
    await server.stop();
  }
}

async function benchHttp(upstream) {
  const variants = [
    ['synStateful', [BIN, '--http', '--port', '0']],
    ['baseStateful', [BASELINE, '--http']],
    ['floorStateful', [FLOOR, '--http']],
    ['synStateless', [BIN, '--http', '--port', '0', '--stateless']],
    ['baseStateless', [BASELINE, '--http', '--stateless']],
  ];
  const rows = Object.fromEntries(variants.map(([name]) => [name, []]));
  for (let r = 0; r < OPTS.rounds; r++) {
    for (const [name, args] of variants) {
      log(`HTTP ${name}, round ${r + 1}/${OPTS.rounds} (${OPTS.clients} clients, ${OPTS.httpSeconds} s)`);
      rows[name].push(await httpRun(args, upstream));
    }
  }
  const out = {};
  for (const [name, list] of Object.entries(rows)) {
    const pick = (key) => summary(list.map((x) => x[key]));
    out[name] = {
      throughput: pick('throughput'),
      p50: pick('p50'),
      p99: pick('p99'),
      errors: pick('errors'),
      calls: pick('calls'),
      cpuPerCall: pick('cpuPerCall'),
      allCpuPerCall: pick('allCpuPerCall'),
      ceiling: pick('ceiling'),
      idle: pick('idle'),
      peak: pick('peak'),
      after: pick('after'),
      settle: summary(list.map((x) => x.after - x.idle)),
      settledIn: list.map((x) => x.settledIn),
      load: pick('load'),
      firstError: list.find((x) => x.firstError)?.firstError,
    };
  }
  for (const mode of ['Stateful', 'Stateless']) {
    const syn = rows[`syn${mode}`];
    const base = rows[`base${mode}`];
    out[`ratio${mode}`] = {
      throughput: summary(syn.map((s, i) => s.throughput / base[i].throughput)),
      p99: summary(syn.map((s, i) => s.p99 / base[i].p99)),
    };
  }
  out.ratioFloor = {
    throughput: summary(rows.floorStateful.map((f, i) => f.throughput / rows.baseStateful[i].throughput)),
    p99: summary(rows.floorStateful.map((f, i) => f.p99 / rows.baseStateful[i].p99)),
  };
  return out;
}

// -------------------------------------------------------------------------------------------------- catalog

async function benchCatalog() {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [BIN, 'tools', '--all-apis', '--toolsets', 'all', '--json'],
    { env: childEnv(), timeout: 60_000, maxBuffer: 16 * 1024 * 1024 },
  );
  const parsed = JSON.parse(stdout);
  return { tokens: parsed.total, count: parsed.count, largest: parsed.largest };
}

// ---------------------------------------------------------------------------------------------------- table

const mark = (ok) => (ok ? '✅' : '❌');
/** Seconds each round took to settle, `—` for a round that did not within SETTLE_MS. */
const settled = (list) => list.map((v) => (Number.isFinite(v) ? v.toFixed(1) : '—')).join(', ');
const x = (s) => (Number.isFinite(s?.median) ? `${fmt(s, 2)}×` : 'n/a');

function table(res) {
  const rows = [
    '| figure | syn-mcp | plain-SDK baseline | reference | ratio syn-mcp (baseline) | target | met | load 1-min |',
    '|---|---|---|---|---|---|---|---|',
  ];
  const envs = [
    ['client', "the client's environment"],
    ['minimal', 'PATH only'],
  ];
  for (const [key, what] of res.cold ? envs : []) {
    const c = res.cold[key];
    rows.push(
      `| cold start → initialize, ms (${what}) | ${fmt(c.synInit)} | ${fmt(c.baseInit)} | node -e 0: ${fmt(c.floor)} | ${x(c.initRatio)} (${x(c.baseRatio)}) | ≤ 2.0× node -e 0 | ${mark(c.initRatio.median <= 2)} | ${fmt(c.load, 2)} |`,
      `| cold start → tools/list, ms (${what}) | ${fmt(c.synList)} | ${fmt(c.baseList)} | node -e 0: ${fmt(c.floor)} | ${x(c.listRatio)} (${x(c.baseListRatio)}) | — | | ${fmt(c.load, 2)} |`,
      `| cold start → initialize, ms (${what}): the baseline bundled by esbuild, the SDK's own floor | | ${fmt(c.bundledInit)} | node -e 0: ${fmt(c.floor)} | (${x(c.bundledRatio)}) | — | | |`,
    );
  }
  const p = res.calls;
  if (p) {
    rows.push(
      `| per call over stdio, p50 ms (${OPTS.calls} sequential) | ${fmt(p.syn, 3)} | ${fmt(p.base, 3)} | direct undici: ${fmt(p.direct, 3)} | ${x(p.synRatio)} (${x(p.baseRatio)}) | ≤ 1.5× direct | ${mark(p.synRatio.median <= 1.5)} | ${fmt(p.load, 2)} |`,
      `| per call over stdio, p99 ms | ${fmt(p.synP99, 3)} | ${fmt(p.baseP99, 3)} | direct undici: ${fmt(p.directP99, 3)} | | — | | |`,
      `| per call over stdio, p50 ms of ${OPTS.calls} more after ${WARM_AFTER} calls (warm) | ${fmt(p.synWarm, 3)} | ${fmt(p.baseWarm, 3)} | direct undici: ${fmt(p.directWarm, 3)} | ${x(p.synWarmRatio)} (${x(p.baseWarmRatio)}) | ≤ 1.5× direct | ${mark(p.synWarmRatio.median <= 1.5)} | |`,
      `| per call (warm), server CPU ms/call | ${fmt(p.synWarmCpu, 3)} | ${fmt(p.baseWarmCpu, 3)} | | | — | | |`,
      `| per call, server CPU ms/call | ${fmt(p.synCpu, 3)} | ${fmt(p.baseCpu, 3)} | | | — | | |`,
      `| per call over stdio, p50 ms, first ${OPTS.calls} / warm: a bare relay (bench/baseline/floor.mjs: no MCP library, no validation) | | | floor: ${fmt(p.floor, 3)} / ${fmt(p.floorWarm, 3)} | floor: ${x(p.floorRatio)} / ${x(p.floorWarmRatio)} | — | | |`,
    );
  }
  const h = res.http;
  if (h) {
    for (const mode of ['Stateful', 'Stateless']) {
      const s = h[`syn${mode}`];
      const b = h[`base${mode}`];
      const r = h[`ratio${mode}`];
      const m = mode.toLowerCase();
      const settleOk = s.settle.median <= 20;
      rows.push(
        `| HTTP ${m}, ${OPTS.clients} clients × ${OPTS.httpSeconds} s: calls/s | ${fmt(s.throughput, 0)} | ${fmt(b.throughput, 0)} | | ${x(r.throughput)} | ≥ 2× baseline | ${mark(r.throughput.median >= 2)} | ${fmt(s.load, 2)} |`,
        `| HTTP ${m}: p50 ms | ${fmt(s.p50, 2)} | ${fmt(b.p50, 2)} | | | — | | |`,
        `| HTTP ${m}: p99 ms | ${fmt(s.p99, 2)} | ${fmt(b.p99, 2)} | | ${x(r.p99)} | ≤ 0.5× baseline | ${mark(r.p99.median <= 0.5)} | |`,
        `| HTTP ${m}: errors | ${fmt(s.errors, 0)} | ${fmt(b.errors, 0)} | | | 0 | ${mark(s.errors.max === 0)} | |`,
        `| HTTP ${m}: server CPU ms/call | ${fmt(s.cpuPerCall, 3)} | ${fmt(b.cpuPerCall, 3)} | | | — | | |`,
        `| HTTP ${m}: CPU ms/call of the load generator + upstream + server; calls/s the ${availableParallelism()} cores could carry at that cost | ${fmt(s.allCpuPerCall, 3)}; ${fmt(s.ceiling, 0)} | ${fmt(b.allCpuPerCall, 3)}; ${fmt(b.ceiling, 0)} | 2× baseline: ${(2 * b.throughput.median).toFixed(0)} calls/s | | — | | |`,
        `| HTTP ${m}: RSS idle / peak, MB | ${fmt(s.idle, 0)} / ${fmt(s.peak, 0)} | ${fmt(b.idle, 0)} / ${fmt(b.peak, 0)} | | | peak ≤ 150 MB | ${mark(s.peak.median <= 150)} | |`,
        `| HTTP ${m}: RSS after the clients left, MB (settled in, s) | ${fmt(s.after, 0)} (${settled(s.settledIn)}) | ${fmt(b.after, 0)} (${settled(b.settledIn)}) | | after − idle: ${fmt(s.settle, 0)} MB | ≤ idle + 20 MB within ${SETTLE_MS / 1000} s | ${mark(settleOk)} | |`,
      );
      if (mode === 'Stateful') {
        const f = h.floorStateful;
        rows.push(
          `| HTTP stateful: a bare relay (bench/baseline/floor.mjs): calls/s; p99 ms; server CPU ms/call; all CPU ms/call | | | floor: ${fmt(f.throughput, 0)}; ${fmt(f.p99, 2)}; ${fmt(f.cpuPerCall, 3)}; ${fmt(f.allCpuPerCall, 3)} | floor: ${x(h.ratioFloor.throughput)}; p99 ${x(h.ratioFloor.p99)} | — | | |`,
        );
      }
    }
  }
  const c = res.cold?.minimal;
  if (c || res.catalog) {
    const k = res.catalog;
    rows.push(
      `| catalog (tools/list, all APIs): tools / bytes / o200k tokens | ${c?.catalogTools ?? '?'} / ${c?.catalogBytes ?? '?'} / ${k?.tokens ?? '?'} | 1 / ${c?.baseCatalogBytes ?? '?'} / — | | | — | | |`,
    );
  }
  return rows.join('\n');
}

function machine() {
  const mem = Math.round(totalmem() / 1024 ** 3);
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  return `nproc ${cpus().length} (${cpu}), ${mem} GiB RAM, node ${process.version}, load at start ${readFileSync('/proc/loadavg', 'utf8').trim()}`;
}

// ----------------------------------------------------------------------------------------------------- main

async function main() {
  const started = new Date();
  const notes = machine();
  log(`${notes}; bin ${BIN_REL}`);
  const upstream = await startUpstream();
  upstream.bundledBaseline = await bundleBaseline();
  const res = {};
  try {
    if (OPTS.only.has('cold')) {
      log(`cold start, ${OPTS.coldRounds} rounds`);
      res.cold = await benchCold(upstream);
    }
    if (OPTS.only.has('call')) {
      log(`per-call overhead, ${OPTS.rounds} rounds × ${OPTS.calls} calls`);
      res.calls = await benchCalls(upstream);
    }
    if (OPTS.only.has('http')) res.http = await benchHttp(upstream);
    if (OPTS.only.has('catalog')) res.catalog = await benchCatalog();
  } finally {
    await upstream.close();
  }
  const text = table(res);
  const loadEnd = readFileSync('/proc/loadavg', 'utf8').trim();
  const errs = res.http
    ? Object.entries(res.http)
        .filter(([, v]) => v.firstError)
        .map(([k, v]) => `- first error (${k}): ${v.firstError}`)
    : [];
  process.stdout.write(`\n${text}\n\n${notes}; load at end ${loadEnd}\n${errs.join('\n')}\n`);
  if (OPTS.write) {
    const section = [
      '',
      `## ${started.toISOString().replace(/\.\d+Z$/, 'Z')} — ${OPTS.label}`,
      '',
      `Machine: ${notes}; load at end ${loadEnd}. Bin: \`${BIN_REL}\`. Rounds: cold ${OPTS.coldRounds}, per-call and HTTP ${OPTS.rounds}. Figures are medians (min–max) over rounds; ratios are taken within each round, then summarised.`,
      '',
      text,
      ...(errs.length ? ['', ...errs] : []),
      '',
    ].join('\n');
    appendFileSync(RESULTS, section);
    // The project's formatter aligns Markdown tables: keep the file as `npm run lint` wants it.
    const biome = fileURLToPath(new URL('node_modules/@biomejs/biome/bin/biome', ROOT));
    await promisify(execFile)(process.execPath, [biome, 'format', '--write', fileURLToPath(RESULTS)], {
      timeout: 60_000,
    }).catch((err) => log(`biome format failed: ${err.message}`));
    log(`appended to ${fileURLToPath(RESULTS)}`);
  }
}

await main();
