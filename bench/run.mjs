#!/usr/bin/env node
// `npm run bench`: syn-mcp (the file package.json `bin` names) side by side, in one run, with its anchor: a
// minimal server on the same official SDK v2 with one tool (bench/baseline/server.mjs), bundled the same way
// (bench/lib/bundle.mjs, after scripts/bundle.mjs). Both talk to the same upstream (the SyncGuard emulator in
// a process of its own); the tool both serve is list_incidents (one GET /incidents). Figures, each a ratio
// syn-mcp / anchor taken within one round, then summarised as median (min–max) over rounds:
// - cold start over stdio, spawn → the tools/list answer, as a 2025-11-25 client asks (initialize,
//   notifications/initialized, tools/list) and as a 2026-07-28 one does (tools/list with `_meta`, no
//   handshake); syn-mcp with all five APIs configured and every toolset (its largest catalog). node -e 0
//   beside it, for what Node itself costs;
// - per call over stdio, both revisions: p50/p99 and the server's CPU per call (/proc/<pid>/stat);
// - HTTP with 50 clients: 2025 clients on the default (stateful) server, 2025 clients on `--stateless`, and
//   2026 clients (no session): calls/s, p50/p99, errors, server CPU per call; RSS idle, peak, and after the
//   clients leave (polled until back within 20 MB of idle, or 20 s);
// - the catalog's size (tools, bytes, o200k tokens), for reference;
// - RSS of a stdio server whose client does not read: 400 tools/list of ~100 KB each written at once, the
//   server's stdout left unread until it says it paused reading (the test checks the pause, this the memory).
// Targets (issue 18): cold start ≤ 1.3×; server CPU per call ≤ 1.3× (stdio and HTTP); HTTP calls/s ≥ 0.8×
// and p99 ≤ 1.3×; syn-mcp's RSS idle ≤ 80 MB, under load ≤ 150 MB, and back within 20 MB of idle.
// Prints the table and appends it, dated, with the machine's load, to bench/RESULTS.md. Loopback only; every
// wait is bounded. Nothing here is asserted by the tests: a shared machine's figures are not a pass/fail.
//
// Options: --label TEXT (RESULTS.md heading), --no-write, --only cold,call,http,catalog,stall, --bin FILE,
//   --rounds N (HTTP rounds, default 3), --call-rounds N (per-call rounds, default 6: a round's figure moves
//   with when V8 compiles the hot path), --cold-rounds N (default 10), --calls N (default 500),
//   --http-seconds S (default 20), --clients N (default 50). BENCH_QUICK=1: 1 round, 4 s, fewer calls.
import { execFile } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { bundleLikeTheBin } from './lib/bundle.mjs';
import { benchCalls } from './lib/calls.mjs';
import { benchCatalog } from './lib/catalog.mjs';
import { benchCold } from './lib/cold.mjs';
import { benchHttp } from './lib/http.mjs';
import { ANCHOR, ANCHOR_SOURCE, BIN, BIN_REL, BUILT, log, OPTS, RESULTS, ROOT } from './lib/options.mjs';
import { benchStall } from './lib/stall.mjs';
import { table } from './lib/table.mjs';
import { startUpstream } from './lib/upstream-process.mjs';

if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`npm run build\` first`);
if (!existsSync(BUILT)) throw new Error(`${fileURLToPath(BUILT)} is missing: run \`npm run build\` first`);

/** The machine and its load, printed beside the table: a shared machine's figures mean little without them. */
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
  await bundleLikeTheBin(ANCHOR_SOURCE, ANCHOR);
  const upstream = await startUpstream();
  const res = {};
  try {
    if (OPTS.only.has('cold')) {
      log(`cold start, ${OPTS.coldRounds} rounds per revision`);
      res.cold = await benchCold(upstream);
    }
    if (OPTS.only.has('call')) {
      log(`per call over stdio, ${OPTS.callRounds} rounds × ${OPTS.calls} calls per revision`);
      res.calls = await benchCalls(upstream);
    }
    if (OPTS.only.has('http')) res.http = await benchHttp(upstream);
    if (OPTS.only.has('catalog')) res.catalog = await benchCatalog();
    if (OPTS.only.has('stall')) res.stall = await benchStall();
  } finally {
    await upstream.close();
  }
  const text = table(res);
  const loadEnd = readFileSync('/proc/loadavg', 'utf8').trim();
  const errs = (res.http ?? []).flatMap((h) =>
    [
      ['syn-mcp', h.syn],
      ['anchor', h.anchor],
    ]
      .filter(([, side]) => side.firstError)
      .map(([who, side]) => `- first error (HTTP ${h.name}, ${who}): ${side.firstError}`),
  );
  process.stdout.write(`\n${text}\n\n${notes}; load at end ${loadEnd}\n${errs.join('\n')}\n`);
  if (OPTS.write) {
    const section = [
      '',
      `## ${started.toISOString().replace(/\.\d+Z$/, 'Z')} — ${OPTS.label}`,
      '',
      `Machine: ${notes}; load at end ${loadEnd}. Bin: \`${BIN_REL}\`. Rounds: cold ${OPTS.coldRounds}, per-call ${OPTS.callRounds}, HTTP ${OPTS.rounds}. Figures are medians (min–max) over rounds; ratios are syn-mcp / anchor within each round, then summarised.`,
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
