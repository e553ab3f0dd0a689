/**
 * A smaller fuzz run against the BUILT server (the bin, --sandbox) spawned over stdio, through the SDK
 * Client: the same generated calls for every registry tool, then the process must still serve and its stderr
 * must hold no unexpected failure.
 */
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_LINE_BYTES } from '../../src/transports/stdio-wire.js';
import { TOOLSETS } from '../../tools/index.js';
import { childEnv, cleanup, connectStdio, type StdioSession } from '../e2e/spawn.js';
import type { Budget, Schema } from './arbitraries.js';
import { fuzzTool, Tally } from './check.js';

const BUDGET: Budget = { valid: 3, invalid: 3, hostile: 2, nonObject: 1 };
const REGISTRY = [...new Set(TOOLSETS.flatMap((ts) => ts.tools.map((t) => t.name)))];

let session: StdioSession;
let listed: Map<string, Tool>;
const tally = new Tally();
const fuzzed = new Set<string>();

beforeAll(async () => {
  session = await connectStdio(['--sandbox', '--toolsets', 'all'], childEnv());
  listed = new Map((await session.client.listTools()).tools.map((t) => [t.name, t]));
});

afterAll(async () => {
  process.stderr.write(`${tally.summary('stdio (built server)', fuzzed.size)}\n`);
  await cleanup();
});

describe('fuzz, spawned built server over stdio', { timeout: 60_000 }, () => {
  it.each(REGISTRY)('%s: every generated call gets a result or an isError result', async (name) => {
    const tool = listed.get(name);
    if (!tool) throw new Error(`${name} is not offered by syn-mcp --sandbox --toolsets all`);
    const before = tally.total;
    const schema = tool.inputSchema as Schema;
    await fuzzTool(session.client, { name, inputSchema: schema }, BUDGET, tally, MAX_LINE_BYTES);
    expect(tally.total - before).toBe(BUDGET.valid + BUDGET.invalid + BUDGET.hostile + BUDGET.nonObject);
    fuzzed.add(name);
  });

  it('still serves afterwards, with no unexpected failure on stderr', async () => {
    expect((await session.client.listTools()).tools.length).toBe(listed.size);
    expect([...fuzzed].sort()).toEqual([...REGISTRY].sort());
    expect(session.stderr.text).not.toMatch(/failed unexpectedly|fatal|Unhandled|TypeError|RangeError/);
    expect(tally.total, tally.summary('stdio', fuzzed.size)).toBeGreaterThan(0);
  });
});
