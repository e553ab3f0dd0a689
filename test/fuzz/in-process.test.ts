/**
 * Fuzzing every tool of the registry through a real SDK Client, in process, against the sandbox emulators
 * (startSandbox): valid, invalid, hostile and non-object arguments. Table-driven over TOOLSETS, so a new API's
 * tools are fuzzed as soon as they are registered and the sandbox configures their service.
 */
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { TOOLSETS } from '../../tools/index.js';
import { connectInProcess, type InProcess } from '../helpers/in-process.js';
import { type Budget, type Schema, unsupportedKeywords } from './arbitraries.js';
import { fuzzTool, Tally } from './check.js';

const BUDGET: Budget = { valid: 24, invalid: 24, hostile: 12, nonObject: 4 };
const REGISTRY = [...new Set(TOOLSETS.flatMap((ts) => ts.tools.map((t) => t.name)))];

let sandbox: Sandbox;
let mcp: InProcess;
let listed: Map<string, Tool>;
const tally = new Tally();
const fuzzed = new Set<string>();

beforeAll(async () => {
  sandbox = await startSandbox();
  mcp = await connectInProcess(sandbox.env, ['--toolsets', 'all']);
  listed = new Map((await mcp.client.listTools()).tools.map((t) => [t.name, t]));
});

afterAll(async () => {
  process.stderr.write(`${tally.summary('in-process', fuzzed.size)}\n`);
  await mcp?.close();
  await sandbox?.close();
});

describe('fuzz, in process: every registry tool through a real Client', { timeout: 60_000 }, () => {
  it('the sandbox offers every tool of the registry', () => {
    expect(REGISTRY.filter((name) => !listed.has(name))).toEqual([]);
  });

  it.each(REGISTRY)('%s: every generated call gets a result or an isError result', async (name) => {
    const tool = listed.get(name);
    if (!tool) throw new Error(`${name} is not offered with the sandbox's configuration`);
    const schema = tool.inputSchema as Schema;
    expect(unsupportedKeywords(schema), 'extend test/fuzz/arbitraries.ts for these keywords').toEqual([]);
    const before = tally.total;
    await fuzzTool(mcp.client, { name, inputSchema: schema }, BUDGET, tally);
    expect(tally.total - before, 'cases run').toBe(
      BUDGET.valid + BUDGET.invalid + BUDGET.hostile + BUDGET.nonObject,
    );
    fuzzed.add(name);
  });

  it('still serves after the whole run, and every tool was fuzzed', async () => {
    expect((await mcp.client.listTools()).tools.length).toBe(listed.size);
    expect([...fuzzed].sort()).toEqual([...REGISTRY].sort());
    expect(tally.total, tally.summary('in-process', fuzzed.size)).toBeGreaterThan(0);
  });
});
