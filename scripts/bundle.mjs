// Builds the shipped bin as minified ESM files with linked source maps, dependencies included:
// - `dist/bin/syn-mcp.mjs`, the server (src/cli.ts: the MCP SDK, zod, the tools). What the CLI imports
//   dynamically (the HTTP transport and the SDK's HTTP parts, the sandbox, OAuth, the subcommands) is split
//   by esbuild into chunk files beside it (`dist/bin/<name>-<hash>.mjs`), loaded only when used: a stdio
//   start neither evaluates nor even parses them (in one file, V8 still pre-parsed all 1.3 MB: ~20 ms).
//   Chunks sit in dist/bin itself so that paths found from a module (package.json two levels up, views/,
//   the tokenizer) are the same from any of them.
// The TypeScript in src/ and tools/ stays the only source; this is a build output (`npm run build` runs
// scripts/transpile.mjs, then this). The o200k encoding of `gpt-tokenizer`, used only by `syn-mcp tools`, is a second file
// (`dist/bin/syn-mcp-tokenizer.mjs`, 2.7 MB) that only that command loads. `ioredis` stays external, loaded only
// with SYN_MCP_REDIS_URL (CommonJS with circular requires, it is safest loaded by Node itself): the one
// runtime dependency. Stack traces map back to the TypeScript with
// `node --enable-source-maps dist/bin/syn-mcp.mjs`.
//
// dist/bin/ sits two levels under the package root, like dist/src/cli.js: the CLI finds package.json at the
// same relative path from either.
//
// The esbuild options and two substitutions that keep the cold start short (undici's index, zod's 40 locales)
// are in scripts/bundle/options.mjs, shared with the bench's anchor; undici.cjs is pinned to the undici version
// it was checked on (below).
import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { build } from 'esbuild';
import { BIN_OPTIONS, root, slimDependencies } from './bundle/options.mjs';

const outdir = join(root, 'dist', 'bin');
const entry = join(outdir, 'syn-mcp.mjs');

/** The undici version scripts/bundle/undici.cjs reproduces `request` from. */
const UNDICI_CHECKED = '7.30.2';
const undiciVersion = JSON.parse(
  readFileSync(join(root, 'node_modules/undici/package.json'), 'utf8'),
).version;
if (undiciVersion !== UNDICI_CHECKED) {
  throw new Error(
    `undici is ${undiciVersion}; scripts/bundle/undici.cjs was checked against ${UNDICI_CHECKED}: compare it with ` +
      `node_modules/undici/index.js (makeDispatcher, the Dispatcher.prototype assignment), then update UNDICI_CHECKED`,
  );
}

// Every value imported from 'undici' in src/ and tools/ must be one the substitute provides: a name it lacks
// would be `undefined` in the bundle at run time, not an error at build time.
const shim = createRequire(import.meta.url)(join(root, 'scripts', 'bundle', 'undici.cjs'));
const missing = [];
for (const dir of ['src', 'tools']) {
  for (const file of readdirSync(join(root, dir), { recursive: true })) {
    if (!String(file).endsWith('.ts')) continue;
    const text = readFileSync(join(root, dir, String(file)), 'utf8');
    for (const [, names] of text.matchAll(/import\s*\{([^}]*)\}\s*from\s*'undici'/g)) {
      for (const spec of names.split(',').map((n) => n.trim())) {
        if (spec === '' || spec.startsWith('type ')) continue;
        const name = spec.split(/\s+as\s+/)[0];
        if (!(name in shim)) missing.push(`${dir}/${file}: ${name}`);
      }
    }
  }
}
if (missing.length > 0) {
  throw new Error(`scripts/bundle/undici.cjs does not provide: ${missing.join('; ')} (add them there)`);
}

rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });

/**
 * The o200k tokenizer `syn-mcp tools` counts with: a third file, loaded by that command alone, so that the
 * server never parses it and an install does not bring gpt-tokenizer's 30 MB of every encoding.
 */
const TOKENIZER_FILE = 'syn-mcp-tokenizer.mjs';
const TOKENIZER = 'gpt-tokenizer/encoding/o200k_base';

/** @type {import('esbuild').Plugin} */
const tokenizerBeside = {
  name: 'tokenizer-beside',
  setup(b) {
    b.onResolve({ filter: /^gpt-tokenizer\/encoding\/o200k_base$/ }, () => ({
      path: `./${TOKENIZER_FILE}`,
      external: true,
    }));
  },
};

/** @type {import('esbuild').BuildOptions} */
const common = { ...BIN_OPTIONS, outdir, entryNames: '[name]', external: ['ioredis'], metafile: true };
const results = await Promise.all([
  build({
    ...common,
    entryPoints: { 'syn-mcp': 'src/cli.ts' },
    plugins: [tokenizerBeside, slimDependencies],
  }),
  build({
    ...common,
    entryPoints: { [TOKENIZER_FILE.replace(/\.mjs$/, '')]: TOKENIZER },
    banner: {},
    // A table of token ranks: a source map of it would only add a megabyte to the package.
    sourcemap: false,
  }),
]);
chmodSync(entry, 0o755);
// The builds' module graph, for size analysis (not shipped: outside dist/bin).
const metafile = { inputs: {}, outputs: {} };
for (const { metafile: m } of results) {
  Object.assign(metafile.inputs, m.inputs);
  Object.assign(metafile.outputs, m.outputs);
}
writeFileSync(join(root, 'dist', 'bundle-meta.json'), JSON.stringify(metafile));
const sizes = Object.entries(metafile.outputs)
  .filter(([file]) => file.endsWith('.mjs'))
  .map(([file, out]) => `${relative(root, join(root, file))} ${(out.bytes / 1024).toFixed(0)} KiB`);
process.stderr.write(`bundle: ${sizes.join(', ')}\n`);

// V8 holds a script's source as a one-byte string only when every character is Latin-1: one `…` left in a
// regular-expression literal or a tagged template (esbuild escapes non-ASCII in strings and plain templates,
// not there, where it would change the regex or the template's raw text) doubles the heap a 480 KB chunk's
// source takes for the life of the process. Write such characters as \u escapes in src/ and tools/.
const wide = [];
for (const file of Object.keys(metafile.outputs).filter((f) => f.endsWith('.mjs'))) {
  const text = readFileSync(join(root, file), 'utf8');
  const at = text.search(/[\u0100-\uffff]/);
  if (at !== -1)
    wide.push(`${relative(root, join(root, file))}: …${text.slice(Math.max(0, at - 40), at + 10)}…`);
}
if (wide.length > 0) {
  throw new Error(`characters above U+00FF in the bundle (write them as \\u escapes):\n${wide.join('\n')}`);
}
