// `npm run pack:mcpb`: the Claude Desktop extension (MCP Bundle) of syn-mcp, made with the official packer
// (@anthropic-ai/mcpb, pinned in devDependencies). The bundle holds exactly what `npm pack` publishes, the
// production dependencies installed from package-lock.json, and manifest.json.
// Usage: npm run pack:mcpb [-- <output.mcpb>]   (default: syn-mcp-<version>.mcpb in the current folder)
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const manifest = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8'));
if (manifest.version !== pkg.version) {
  console.error(
    `manifest.json version ${manifest.version} differs from package.json ${pkg.version}: update it`,
  );
  process.exit(1);
}
const out = resolve(process.argv[2] ?? `${pkg.name}-${pkg.version}.mcpb`);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const run = (cmd, args, cwd) =>
  execFileSync(cmd, args, {
    cwd,
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    shell: process.platform === 'win32',
  });

/** A package's `bin`: a path, or a map of command name to path. */
const binOf = (bin) => (typeof bin === 'string' ? bin : bin.mcpb);

const work = mkdtempSync(join(tmpdir(), 'syn-mcp-mcpb-'));
try {
  // 1. Exactly the published files.
  const [packed] = JSON.parse(run(npm, ['pack', '--json', '--pack-destination', work], root));
  const stage = join(work, 'bundle');
  mkdirSync(stage);
  run('tar', ['-xzf', join(work, packed.filename), '-C', stage, '--strip-components=1']);
  // 2. Production dependencies at the locked versions, no install scripts.
  copyFileSync(join(root, 'package-lock.json'), join(stage, 'package-lock.json'));
  run(npm, ['install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], stage);
  // 3. The manifest, then the official packer (it validates the manifest first).
  copyFileSync(join(root, 'manifest.json'), join(stage, 'manifest.json'));
  // The package exports no ./package.json: find it from its main entry (dist/index.js).
  const packerMain = createRequire(import.meta.url).resolve('@anthropic-ai/mcpb');
  const packerPkg = join(dirname(packerMain), '..', 'package.json');
  const packer = join(dirname(packerPkg), binOf(JSON.parse(readFileSync(packerPkg, 'utf8')).bin));
  execFileSync(process.execPath, [packer, 'pack', stage, out], { stdio: 'inherit' });
  console.log(`\n${out}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
