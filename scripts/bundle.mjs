// Builds the shipped bin: src/cli.ts and everything it imports, dependencies included, as one minified ESM
// file `dist/bin/syn-mcp.mjs` with a linked source map. What the CLI imports dynamically (the HTTP transport,
// the sandbox, the subcommands) stays in that file but is only evaluated when used; split chunks measured no
// faster (a cold start then reads six files instead of one). The TypeScript in src/ and tools/ stays the only
// source; this is a build output (`npm run build` runs tsc, then this). `gpt-tokenizer` (a runtime
// dependency used only by `syn-mcp tools`) stays external: bundled, it would triple the bin for one command.
// Stack traces map back to the TypeScript with `node --enable-source-maps dist/bin/syn-mcp.mjs`.
//
// dist/bin/ sits two levels under the package root, like dist/src/cli.js: the CLI finds package.json at the
// same relative path from either.
//
// Two substitutions keep the cold start short without changing what runs:
// - `undici` → scripts/bundle/undici.cjs: Agent, request and FormData from undici's own modules, instead of
//   an index that loads every undici feature (see that file; pinned to the undici version it was checked on);
// - zod's `locales` namespace (the error messages of 40 languages, reachable only as `z.locales.xx`, which
//   syn-mcp never calls) → English only; the default English messages are loaded by zod itself as before.
import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
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

/** @type {import('esbuild').Plugin} */
const slimDependencies = {
  name: 'slim-dependencies',
  setup(b) {
    b.onResolve({ filter: /^undici$/ }, (args) =>
      args.importer.includes(`${join(root, 'node_modules')}`)
        ? undefined
        : { path: join(root, 'scripts', 'bundle', 'undici.cjs') },
    );
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      args.importer.startsWith(join(root, 'node_modules', 'zod', 'v4'))
        ? { path: 'zod-locales-en', namespace: 'slim' }
        : undefined,
    );
    b.onLoad({ filter: /^zod-locales-en$/, namespace: 'slim' }, () => ({
      contents: "export { default as en } from 'zod/v4/locales/en.js';",
      resolveDir: root,
      loader: 'js',
    }));
  },
};

rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });

const result = await build({
  absWorkingDir: root,
  entryPoints: { 'syn-mcp': 'src/cli.ts' },
  outdir,
  entryNames: '[name]',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  splitting: false,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  sourcemap: 'linked',
  sourcesContent: false,
  legalComments: 'eof',
  external: ['gpt-tokenizer', 'gpt-tokenizer/*'],
  // CommonJS dependencies (undici, ajv) require Node built-ins: give the ESM bundle a real `require`.
  banner: {
    js: "import{createRequire as __synRequire}from'node:module';const require=__synRequire(import.meta.url);",
  },
  plugins: [slimDependencies],
  metafile: true,
  logLevel: 'warning',
});

chmodSync(entry, 0o755);
// The build's module graph, for size analysis (not shipped: outside dist/bin).
writeFileSync(join(root, 'dist', 'bundle-meta.json'), JSON.stringify(result.metafile));
const sizes = Object.entries(result.metafile.outputs)
  .filter(([file]) => file.endsWith('.mjs'))
  .map(([file, out]) => `${relative(root, join(root, file))} ${(out.bytes / 1024).toFixed(0)} KiB`);
process.stderr.write(`bundle: ${sizes.join(', ')}\n`);
