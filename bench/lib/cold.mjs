// Cold start over stdio: spawn → the tools/list answer, for both revisions, beside `node -e 0`.
import { spawn } from 'node:child_process';
import {
  childEnv,
  INITIALIZE,
  LEGACY,
  loadavg,
  MODERN,
  modern,
  now,
  RawStdio,
  rssMb,
  summary,
  within,
} from './measure.mjs';
import { ANCHOR, BIN, OPTS } from './options.mjs';
import { allApisEnv } from './upstream-process.mjs';

/** spawn → exit of `node -e 0`. */
async function nodeFloor(env) {
  const t0 = now();
  const child = spawn(process.execPath, ['-e', '0'], { env, stdio: 'ignore' });
  await within(new Promise((resolve) => child.once('exit', resolve)), 10_000, 'node -e 0');
  return now() - t0;
}

/** spawn → the tools/list answer over stdio, as a client of `era` asks. */
async function coldStart(args, env, era) {
  const s = new RawStdio(args, env);
  try {
    let list;
    if (era === MODERN) list = await s.request('tools/list', modern(), 60_000);
    else {
      await s.request('initialize', INITIALIZE, 60_000);
      s.notify('notifications/initialized');
      list = await s.request('tools/list', {}, 60_000);
    }
    const tools = list.msg.result?.tools;
    if (!Array.isArray(tools)) throw new Error(`tools/list (${era}) failed: ${JSON.stringify(list.msg)}`);
    const rss = rssMb(s.pid).rss;
    return { ms: list.at - s.t0, bytes: list.bytes, tools: tools.length, rss };
  } finally {
    await s.close();
  }
}

export async function benchCold(upstream) {
  const out = {};
  const floor = [];
  for (const era of [LEGACY, MODERN]) {
    const runs = [
      ['syn', () => coldStart([BIN, '--toolsets', 'all'], allApisEnv(upstream), era)],
      ['anchor', () => coldStart([ANCHOR], childEnv(upstream.env), era)],
      ['floor', () => nodeFloor(childEnv())],
    ];
    const rows = { syn: [], anchor: [], floor: [], load: [] };
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
    floor.push(...rows.floor);
    out[era] = {
      syn: summary(rows.syn.map((s) => s.ms)),
      anchor: summary(rows.anchor.map((s) => s.ms)),
      ratio: summary(rows.syn.map((s, i) => s.ms / rows.anchor[i].ms)),
      synRss: summary(rows.syn.map((s) => s.rss)),
      anchorRss: summary(rows.anchor.map((s) => s.rss)),
      synTools: rows.syn[0]?.tools,
      synBytes: rows.syn[0]?.bytes,
      anchorTools: rows.anchor[0]?.tools,
      anchorBytes: rows.anchor[0]?.bytes,
      load: summary(rows.load),
    };
  }
  out.floor = summary(floor);
  return out;
}
