/**
 * The Claude Desktop extension (manifest.json, MCPB) and the MCP registry entry (server.json): validated with
 * the official packer, every credential a sensitive user_config entry, the launch Claude Desktop would derive
 * from the manifest accepted by our own configuration loader, and the versions and names kept in step.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { getMcpConfigForManifest, type McpbManifestAny } from '@anthropic-ai/mcpb';
import { describe, expect, it } from 'vitest';
import { MIN_NODE } from '../../src/commands/doctor.js';
import { HELP, loadConfig } from '../../src/config.js';

const root = new URL('../../', import.meta.url);
const read = (file: string) =>
  JSON.parse(readFileSync(new URL(file, root), 'utf8')) as Record<string, unknown>;
const pkg = read('package.json') as {
  name: string;
  version: string;
  mcpName?: string;
  engines: { node: string };
  bin: Record<string, string>;
};
const manifest = read('manifest.json') as unknown as McpbManifestAny & {
  user_config: Record<string, { type: string; sensitive?: boolean; default?: string; required?: boolean }>;
};
const server = read('server.json') as {
  name: string;
  description: string;
  version: string;
  packages: Array<{
    registryType: string;
    identifier: string;
    version: string;
    transport: { type: string };
    environmentVariables: Array<{ name: string; isSecret?: boolean; isRequired?: boolean; default?: string }>;
  }>;
};

/** The credentials of DESIGN.md §6 (the variables whose values are secrets). */
const SECRETS = [
  'SYNCGUARD_API_KEY',
  'SYNCGUARD_JWT',
  'SYNAPSE_API_KEY',
  'SYNQLY_ORG_TOKEN',
  'SYNQLY_INTEGRATION_TOKEN',
  'SYNAP_API_KEY',
  'SYNCHRONEX_API_KEY',
];

describe('manifest.json (MCP Bundle for Claude Desktop)', () => {
  it('passes the official packer`s own validate command', async () => {
    const main = createRequire(import.meta.url).resolve('@anthropic-ai/mcpb');
    const packerPkg = JSON.parse(readFileSync(join(dirname(main), '..', 'package.json'), 'utf8')) as {
      version: string;
      bin: string | Record<string, string>;
    };
    expect(packerPkg.version).toBe('2.1.2');
    const bin = typeof packerPkg.bin === 'string' ? packerPkg.bin : (packerPkg.bin.mcpb ?? '');
    const { stdout } = await promisify(execFile)(process.execPath, [
      join(dirname(main), '..', bin),
      'validate',
      fileURLToPath(new URL('manifest.json', root)),
    ]);
    expect(stdout).toMatch(/Manifest schema validation passes!/);
  });

  it('keeps version, runtime and entry point in step with package.json', () => {
    expect(manifest.name).toBe(pkg.name);
    expect(manifest.version).toBe(pkg.version);
    expect(manifest.compatibility?.runtimes?.node).toBe(pkg.engines.node);
    expect(manifest.server.entry_point).toBe(pkg.bin['syn-mcp']);
    expect(manifest.server.mcp_config.args?.[0]).toBe(`\${__dirname}/${pkg.bin['syn-mcp']}`);
  });

  it('asks for every credential as a sensitive user_config entry, and nothing else as sensitive', () => {
    const env = manifest.server.mcp_config.env ?? {};
    for (const name of SECRETS) {
      const ref = /^\$\{user_config\.([a-z_]+)\}$/.exec(env[name] ?? '')?.[1];
      expect(ref, `${name} comes from user_config`).toBeDefined();
      expect(manifest.user_config[ref ?? '']?.sensitive, `${name} is sensitive`).toBe(true);
    }
    const secretKeys = SECRETS.map((n) => /user_config\.([a-z_]+)/.exec(env[n] ?? '')?.[1]);
    for (const [key, entry] of Object.entries(manifest.user_config)) {
      expect(entry.sensitive === true, key).toBe(secretKeys.includes(key));
      // Optional, defaulting to empty: a service the user leaves empty is simply not configured.
      expect(entry.required, key).toBe(false);
      expect(entry.default, key).toBeDefined();
    }
    // Every variable the bundle sets is one syn-mcp reads.
    for (const name of Object.keys(env)) expect(HELP).toContain(name);
  });

  it('launches as Claude Desktop derives it: empty fields mean "not configured", and loadConfig accepts it', async () => {
    const derived = await getMcpConfigForManifest({
      manifest,
      extensionPath: '/ext/syn-mcp',
      systemDirs: {},
      userConfig: { synapse_api_key: 'sk-syn-from-the-dialog-0000' },
      pathSeparator: '/',
    });
    expect(derived?.command).toBe('node');
    expect(derived?.args).toEqual([`/ext/syn-mcp/${pkg.bin['syn-mcp']}`, '--toolsets', 'default']);
    const env = derived?.env ?? {};
    for (const value of Object.values(env)) expect(value).not.toMatch(/\$\{/);
    const config = loadConfig(derived?.args?.slice(1) ?? [], env);
    expect(Object.keys(config.services)).toEqual(['synapse']);
    expect(config.services.synapse).toEqual({
      baseUrl: 'http://localhost:8765/api/v1',
      apiKey: 'sk-syn-from-the-dialog-0000',
    });
    expect(config.toolsets).toEqual(['default']);
  });
});

describe('server.json (MCP registry) and mcpName', () => {
  it('names the server io.github.<owner>/syn-mcp, the same name as package.json mcpName', () => {
    expect(server.name).toMatch(/^io\.github\.[A-Za-z0-9-]+\/syn-mcp$/);
    expect(server.name).toMatch(/^[a-zA-Z0-9.-]+\/[a-zA-Z0-9._-]+$/);
    expect(pkg.mcpName).toBe(server.name);
    expect(server.description.length).toBeLessThanOrEqual(100);
  });

  it('points at this npm package and version, over stdio, with every variable of the configuration contract', () => {
    expect(server.version).toBe(pkg.version);
    expect(server.packages).toHaveLength(1);
    const [npm] = server.packages;
    expect(npm).toMatchObject({
      registryType: 'npm',
      identifier: pkg.name,
      version: pkg.version,
      transport: { type: 'stdio' },
    });
    const vars = new Map((npm?.environmentVariables ?? []).map((v) => [v.name, v]));
    for (const name of SECRETS)
      expect(vars.get(name), name).toMatchObject({ isSecret: true, isRequired: false });
    for (const [name, v] of vars) {
      expect(HELP, `${name} is a variable syn-mcp reads`).toContain(name);
      expect(v.isSecret === true, name).toBe(SECRETS.includes(name));
    }
    for (const base of [
      'SYNCGUARD_BASE_URL',
      'SYNAPSE_BASE_URL',
      'SYNQLY_BASE_URL',
      'SYNAP_BASE_URL',
      'SYNCHRONEX_BASE_URL',
      'SYNQLY_REGION',
    ]) {
      expect(vars.has(base), base).toBe(true);
    }
  });
});

describe('engines', () => {
  const lowest = (range: string): number[] =>
    (/>=\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(range) ?? []).slice(1, 4).map((n) => Number(n ?? 0));
  const atLeast = (a: number[], b: number[]) => {
    for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
    return true;
  };

  it('asks for at least what every runtime dependency asks for, and doctor checks the same version', () => {
    const ours = lowest(pkg.engines.node);
    expect(ours).toEqual([...MIN_NODE]);
    const deps = Object.keys((read('package.json') as { dependencies: Record<string, string> }).dependencies);
    for (const dep of deps) {
      const range = (read(`node_modules/${dep}/package.json`) as { engines?: { node?: string } }).engines
        ?.node;
      if (range) expect(atLeast(ours, lowest(range)), `${dep} needs ${range}`).toBe(true);
    }
    // undici 7 is the one that sets the floor today.
    expect((read('node_modules/undici/package.json') as { engines: { node: string } }).engines.node).toBe(
      '>=20.18.1',
    );
  });
});
