/**
 * The npm package as published: `npm pack` holds the built bin, README and LICENSE and nothing from test/;
 * installed from the tarball into an empty folder (which brings ioredis alone: the rest is bundled),
 * `npx syn-mcp --version`, `--help`, `tools` and an MCP session with `--sandbox` (initialize, tools/list, one
 * call) work with no other step. One test: packing and installing
 * are the slow part (registry or cache), so they are done once.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, describe, expect, it } from 'vitest';
import { parseLogLines } from '../../src/log.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  bin: Record<string, string>;
};
const run = promisify(execFile);
const win = process.platform === 'win32';
const npm = win ? 'npm.cmd' : 'npm';
const npx = win ? 'npx.cmd' : 'npx';
const tmp = mkdtempSync(join(tmpdir(), 'syn-mcp-pack-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A child environment without the parent's service variables and npm's own run-script variables. */
function cleanEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (
      v === undefined ||
      /^(SYNCGUARD|SYNAPSE|SYNQLY|SYNAP|SYNCHRONEX|SYN_MCP)_/.test(k) ||
      /^npm_/i.test(k)
    )
      continue;
    env[k] = v;
  }
  return env;
}

describe('the published package', () => {
  it('packs the bin, README and LICENSE only; installs from the tarball and runs with npx', {
    timeout: 120_000,
  }, async () => {
    const bin = pkg.bin['syn-mcp'] ?? '';
    expect(existsSync(join(root, bin)), `${bin} is built (npm run build)`).toBe(true);

    // 1. npm pack: what is in the tarball.
    const { stdout: packed } = await run(npm, ['pack', '--json', '--pack-destination', tmp], {
      cwd: root,
      shell: win,
    });
    const [info] = JSON.parse(packed) as Array<{ filename: string; files: Array<{ path: string }> }>;
    const files = (info?.files ?? []).map((f) => f.path);
    for (const must of ['package.json', 'README.md', 'LICENSE', bin, 'dist/bin/syn-mcp-tokenizer.mjs']) {
      expect(files, must).toContain(must);
    }
    expect(files.filter((f) => /(^|\/)test\//.test(f) || f.startsWith('src/') || f.endsWith('.ts'))).toEqual(
      [],
    );
    expect(files.filter((f) => /\.(mcpb|tgz)$|^\.|node_modules/.test(f))).toEqual([]);

    // 2. Install the tarball into an empty folder, as a user would.
    const app = join(tmp, 'app');
    mkdirSync(app);
    // A project of its own, so npm installs here and not into a package.json it finds further up the tree.
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true }));
    const tarball = join(tmp, info?.filename ?? '');
    await run(npm, ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], {
      cwd: app,
      env: cleanEnv(),
      shell: win,
    });
    expect(existsSync(join(app, 'node_modules', pkg.name, 'LICENSE'))).toBe(true);
    expect(existsSync(join(app, 'node_modules', pkg.name, 'test'))).toBe(false);
    // The bin holds the SDK, zod, undici, jose and the o200k tokenizer: an install brings only ioredis (loaded for
    // SYN_MCP_REDIS_URL), not the SDK's ~95 packages nor gpt-tokenizer's every encoding.
    for (const bundled of [
      '@modelcontextprotocol/sdk',
      '@modelcontextprotocol/server',
      '@modelcontextprotocol/node',
      'hono',
      'zod',
      'undici',
      'express',
      'gpt-tokenizer',
      'jose',
    ]) {
      expect(existsSync(join(app, 'node_modules', bundled)), `${bundled} not installed`).toBe(false);
    }
    expect(existsSync(join(app, 'node_modules', 'ioredis'))).toBe(true);

    // 3. npx syn-mcp --version / --help.
    const version = await run(npx, ['--no-install', 'syn-mcp', '--version'], {
      cwd: app,
      env: cleanEnv(),
      shell: win,
    });
    expect(version.stdout).toBe(`${pkg.version}\n`);
    expect(version.stderr.replace(/^npm warn .*\n/gm, '')).toBe('');
    const help = await run(npx, ['--no-install', 'syn-mcp', '--help'], {
      cwd: app,
      env: cleanEnv(),
      shell: win,
    });
    expect(help.stdout).toMatch(/^syn-mcp — /);
    for (const word of ['init --client', 'doctor', '--sandbox', 'SYNCGUARD_API_KEY'])
      expect(help.stdout).toContain(word);

    // `syn-mcp tools` loads the bundled tokenizer (dist/bin/syn-mcp-tokenizer.mjs).
    const catalog = await run(npx, ['--no-install', 'syn-mcp', 'tools', '--all-apis', '--json'], {
      cwd: app,
      env: cleanEnv(),
      shell: win,
      maxBuffer: 16 * 1024 * 1024,
    });
    expect(JSON.parse(catalog.stdout)).toMatchObject({
      count: expect.any(Number),
      total: expect.any(Number),
    });

    // 4. npx syn-mcp --sandbox is an MCP server: initialize, tools/list, one tool call.
    const transport = new StdioClientTransport({
      command: npx,
      args: ['--no-install', 'syn-mcp', '--sandbox'],
      cwd: app,
      env: cleanEnv(),
      stderr: 'pipe',
    });
    let stderr = '';
    transport.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    const client = new Client({ name: 'syn-mcp-pack-test', version: '0' });
    try {
      await client.connect(transport);
      expect(client.getServerVersion()).toMatchObject({ name: 'syn-mcp', version: pkg.version });
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toEqual(
        expect.arrayContaining(['send_event', 'list_incidents', 'search_memory']),
      );
      const result = (await client.callTool({
        name: 'send_event',
        arguments: { integrationKey: 'crm', eventType: 'webhook_failed', tenantId: 'acme' },
      })) as CallToolResult;
      expect(result.isError).toBeFalsy();
      expect(result.structuredContent).toMatchObject({ isNewIncident: true });
    } finally {
      await client.close();
    }
    expect(parseLogLines(stderr).map((l) => l.msg)).toContain(
      'sandbox: every service points at the embedded emulators on loopback',
    );
  });
});
