// dist/src, dist/tools and dist/scripts: the TypeScript of src/, tools/ and scripts/ transpiled file by file
// (esbuild, no bundling, same layout as tsc's rootDir "." / outDir "dist"), for what runs from there rather
// than from the bin: scripts/demo and scripts/readme, the bench's upstream (dist/src/sandbox) and a test that
// loads the HTTP client on its own. Types are checked by `npm run typecheck` (tsc over everything, tests
// included, part of `npm test`); tsc emitting these same files cost ~10 s of every build.
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { root } from './bundle/options.mjs';

const DIRS = ['src', 'tools', 'scripts'];
const entryPoints = DIRS.flatMap((dir) =>
  readdirSync(join(root, dir), { recursive: true })
    .map(String)
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
    .map((file) => join(dir, file)),
);
for (const dir of DIRS) rmSync(join(root, 'dist', dir), { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints,
  outdir: 'dist',
  outbase: '.',
  bundle: false,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  logLevel: 'warning',
});
