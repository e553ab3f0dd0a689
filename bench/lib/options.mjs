// What the bench runs against, and how: the paths it spawns, the command-line options, the targets of
// issue 18 and the constants the measurements and the table share (see bench/run.mjs for the options).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = new URL('../../', import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('package.json', ROOT), 'utf8'));
const binArg = process.argv.indexOf('--bin');
/** The server under test: package.json `bin`, or `--bin <file>` (another build of it, e.g. an older one). */
export const BIN =
  binArg === -1 ? fileURLToPath(new URL(pkg.bin['syn-mcp'], ROOT)) : resolve(process.argv[binArg + 1]);
export const BIN_REL = binArg === -1 ? pkg.bin['syn-mcp'] : BIN;
export const ANCHOR_SOURCE = fileURLToPath(new URL('bench/baseline/server.mjs', ROOT));
export const ANCHOR = fileURLToPath(new URL('dist/bench/anchor.mjs', ROOT));
export const LOAD = fileURLToPath(new URL('bench/lib/load.mjs', ROOT));
export const UPSTREAM = fileURLToPath(new URL('bench/lib/upstream.mjs', ROOT));
export const HEAP_PROBE = fileURLToPath(new URL('bench/lib/heap-probe.cjs', ROOT));
export const BUILT = new URL('dist/src/sandbox/syncguard/index.js', ROOT);
export const RESULTS = new URL('bench/RESULTS.md', ROOT);

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : process.argv[i + 1];
}
const quick = process.env.BENCH_QUICK === '1';
export const OPTS = {
  label: option('label', `bin ${BIN_REL}`),
  write: !process.argv.includes('--no-write'),
  only: new Set((option('only', 'cold,call,http,catalog,stall') ?? '').split(',')),
  rounds: Number(option('rounds', quick ? 1 : 3)),
  callRounds: Number(option('call-rounds', quick ? 1 : 6)),
  coldRounds: Number(option('cold-rounds', quick ? 4 : 10)),
  calls: Number(option('calls', quick ? 200 : 500)),
  httpSeconds: Number(option('http-seconds', quick ? 4 : 20)),
  clients: Number(option('clients', 50)),
};
/** Calls made before anything is timed (pool, JIT). */
export const WARMUP_CALLS = 200;
/**
 * Longest wait for RSS to come back within 20 MB of idle once the clients have left: V8's memory reducer
 * gives the grown heap back 20–60 s after the load stops, and not always within a minute (measured on this
 * machine, both servers).
 */
export const SETTLE_MS = 60_000;
/** Longest rest after the warm-up before the idle RSS is taken, and when it counts as settled. */
export const REST_MS = 60_000;
export const REST_FALL_MB = 5;
export const REST_HOLD = 3;

/** The targets of issue 18. */
export const TARGET = {
  cold: 1.3,
  cpu: 1.3,
  throughput: 0.8,
  p99: 1.3,
  idleMb: 80,
  peakMb: 150,
  settleMb: 20,
};
/** tools/list requests the unread stdio client writes at once (each answer ~100 KB: 40 MB owed in all). */
export const STALL_REQUESTS = 400;

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
export const log = (line) => process.stderr.write(`bench: ${line}\n`);
