/**
 * Ids never change the upstream path. For every tool and every top-level string argument (where path and
 * query parameters sit), the call is made once with a marker value and once per hostile value (`../`,
 * `%2e%2e`, slashes, backslashes, NUL, `?`, `#`…). Every request the hostile call sends must have the shape a
 * marker call sent — same method, same number of path segments, differing only in the segment that held the
 * marker — and no segment may decode to `.` or `..`. Requests are read from recording proxies in front of the
 * sandbox emulators, as syn-mcp sent them (not normalised). The rest of the arguments are valid (fixed seed).
 */
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { TOOLSETS } from '../../tools/index.js';
import { type Schema, validArgs } from '../fuzz/arbitraries.js';
import { connectInProcess, type InProcess } from '../helpers/in-process.js';
import { type ProxiedRequest, proxyUpstreams, type Upstreams } from './upstream.js';

const MARKER = 'zzmarker7';
const HOSTILE = [
  '..',
  '.',
  '../',
  '../../etc/passwd',
  '..%2f..%2fadmin',
  '%2e%2e',
  '%2e%2e%2f',
  '%2E%2E/%2E%2E',
  'a/b',
  '/leading',
  'trailing/',
  '..\\..\\windows',
  'x\u0000y',
  '%00',
  'q?admin=1',
  'h#frag',
  '.%2e',
  'a/../../b',
];
const REGISTRY = [...new Set(TOOLSETS.flatMap((ts) => ts.tools.map((t) => t.name)))];

let sandbox: Sandbox;
let ups: Upstreams;
let mcp: InProcess;
let listed: Map<string, Tool>;
let reached = 0;

beforeAll(async () => {
  sandbox = await startSandbox();
  ups = await proxyUpstreams(sandbox.env);
  mcp = await connectInProcess(ups.env, ['--toolsets', 'all']);
  listed = new Map((await mcp.client.listTools()).tools.map((t) => [t.name, t]));
});

afterAll(async () => {
  process.stderr.write(
    `security paths: ${reached} hostile ids reached an upstream API, none changed its path\n`,
  );
  await mcp?.close();
  await ups?.close();
  await sandbox?.close();
});

function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

const segmentsOf = (target: string) => (target.split('?')[0] ?? '').split('/');

/** True when `hostile` has the shape of `marker`: same method and segments, but for the marker's segment. */
function sameShape(marker: ProxiedRequest, hostile: ProxiedRequest): boolean {
  const m = segmentsOf(marker.target);
  const h = segmentsOf(hostile.target);
  if (marker.method !== hostile.method || m.length !== h.length) return false;
  return m.every((seg, i) => seg === h[i] || seg.includes(MARKER));
}

function safeTarget(target: string): boolean {
  const segs = segmentsOf(target).slice(1);
  return !target.includes('\u0000') && segs.every((s) => decoded(s) !== '.' && decoded(s) !== '..');
}

/** Top-level string arguments that take free text (not enums or constants). */
function stringFields(schema: Schema): string[] {
  const props = (schema.properties ?? {}) as Record<string, Schema>;
  return Object.entries(props)
    .filter(([, p]) => p.type === 'string' && p.enum === undefined && p.const === undefined)
    .map(([k]) => k);
}

async function requestsOf(tool: string, args: Record<string, unknown>): Promise<ProxiedRequest[]> {
  const before = ups.requests.length;
  await mcp.call(tool, args);
  return ups.requests.slice(before);
}

describe('path traversal through ids', { timeout: 60_000 }, () => {
  it.each(REGISTRY)('%s: hostile string arguments never change the upstream path', async (name) => {
    const tool = listed.get(name);
    if (!tool) throw new Error(`${name} is not offered with the sandbox's configuration`);
    const schema = tool.inputSchema as Schema;
    const [base] = fc.sample(validArgs(schema), { numRuns: 1, seed: 11 });
    for (const field of stringFields(schema)) {
      const shapes = [
        ...(await requestsOf(name, { ...base, [field]: MARKER })),
        ...(await requestsOf(name, { ...base, [field]: MARKER })),
      ];
      for (const value of HOSTILE) {
        const sent = await requestsOf(name, { ...base, [field]: value });
        for (const req of sent) {
          const where = `${name}.${field} = ${JSON.stringify(value)} sent ${req.method} ${req.target}`;
          expect(safeTarget(req.target), where).toBe(true);
          expect(
            shapes.some((m) => sameShape(m, req)),
            `${where}; a marker call sent ${shapes.map((m) => `${m.method} ${m.target}`).join(', ')}`,
          ).toBe(true);
        }
        if (sent.length > 0) reached++;
      }
    }
  });

  it('hostile ids did reach the upstream APIs (the checks above were exercised)', () => {
    expect(reached).toBeGreaterThan(REGISTRY.length);
    expect(ups.requests.every((r) => safeTarget(r.target))).toBe(true);
  });
});
