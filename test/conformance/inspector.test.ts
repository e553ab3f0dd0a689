/**
 * The official MCP Inspector CLI (@modelcontextprotocol/inspector-cli, pinned 1.0.3: the last release that
 * runs on Node 20; the v2 inspector needs Node >= 22.19) against the BUILT server in --sandbox mode over stdio:
 * it lists the tools and calls one. The expected tool list is the registry's default selection for the
 * services the sandbox configures, computed the way the CLI computes it.
 *
 * Inspector CLI 1.0.3 finds its own package.json with `fs.existsSync("../package.json")`, relative to the
 * working directory, so it is run from its own build directory.
 */
import { spawn } from 'node:child_process';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { startSandbox } from '../../src/sandbox/index.js';
import { CLI, childEnv, within } from '../e2e/spawn.js';
import { connectInProcess } from '../helpers/in-process.js';

const INSPECTOR = fileURLToPath(
  new URL('../../node_modules/@modelcontextprotocol/inspector-cli/build/cli.js', import.meta.url),
);

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

async function inspector(args: readonly string[]): Promise<Ran> {
  const child = spawn(process.execPath, [INSPECTOR, '--cli', process.execPath, CLI, '--sandbox', ...args], {
    cwd: dirname(INSPECTOR),
    env: childEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => {
    stdout += c;
  });
  child.stderr.setEncoding('utf8').on('data', (c: string) => {
    stderr += c;
  });
  const code = await within(
    new Promise<number | null>((resolve) => child.once('close', (c) => resolve(c))),
    30_000,
    `inspector ${args.join(' ')}`,
  );
  return { code, stdout, stderr };
}

let expected: string[];

beforeAll(async () => {
  const sandbox = await startSandbox();
  const mcp = await connectInProcess(sandbox.env, []);
  expected = (await mcp.client.listTools()).tools.map((t) => t.name);
  await mcp.close();
  await sandbox.close();
});

describe('MCP Inspector CLI against the built server (--sandbox, stdio)', () => {
  let listed: Ran;
  let called: Ran;

  beforeAll(async () => {
    [listed, called] = await Promise.all([
      inspector(['--method', 'tools/list']),
      inspector([
        '--method',
        'tools/call',
        '--tool-name',
        'send_event',
        '--tool-arg',
        'integrationKey=payments-service',
        'eventType=webhook_failed',
        'tenantId=tenant-inspector',
      ]),
    ]);
  }, 60_000);

  it('tools/list prints every tool of the default selection, with schemas and annotations', () => {
    expect(listed.code, listed.stderr).toBe(0);
    const { tools } = JSON.parse(listed.stdout) as {
      tools: Array<{ name: string; inputSchema: { type: string }; annotations?: Record<string, unknown> }>;
    };
    expect(tools.map((t) => t.name)).toEqual(expected);
    for (const t of tools) {
      expect(t.inputSchema.type, t.name).toBe('object');
      expect(Object.keys(t.annotations ?? {})).toEqual(
        expect.arrayContaining(['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint']),
      );
    }
  });

  it('tools/call send_event returns the incident the sandbox opened', () => {
    expect(called.code, called.stderr).toBe(0);
    const result = JSON.parse(called.stdout) as {
      isError?: boolean;
      content: Array<{ type: string; text: string }>;
      structuredContent?: Record<string, unknown>;
    };
    expect(result.isError, called.stdout).not.toBe(true);
    expect(result.content[0]?.type).toBe('text');
    expect(result.structuredContent).toMatchObject({
      incidentId: expect.any(String),
      incidentStatus: 'Open',
      patternId: 'webhook_failure_spike',
      isNewIncident: true,
      affectedTenants: ['tenant-inspector'],
    });
  });
});
