// What the bin is packed with, shared by scripts/bundle.mjs (the bin) and bench/lib/bundle.mjs (the bench's
// anchor, packed the same way so the two servers differ by what syn-mcp does, not by how it is packed): the
// esbuild options and the two substitutions that keep a cold start short without changing what runs —
// `undici` → scripts/bundle/undici.cjs (Agent, request and FormData from undici's own modules, instead of an
// index that loads every undici feature), and zod's `locales` namespace (the messages of 40 languages,
// reachable only as `z.locales.xx`, which syn-mcp never calls) → English only.
import { realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root. */
export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * node_modules as esbuild names importers: by their real path, so a node_modules that is a symlink (a git
 * worktree sharing another checkout's) still matches the filters below.
 */
const modules = realpathSync(join(root, 'node_modules'));

/** @type {import('esbuild').Plugin} */
export const slimDependencies = {
  name: 'slim-dependencies',
  setup(b) {
    b.onResolve({ filter: /^undici$/ }, (args) =>
      args.importer.startsWith(modules) ? undefined : { path: join(root, 'scripts', 'bundle', 'undici.cjs') },
    );
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      args.importer.startsWith(join(modules, 'zod', 'v4'))
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

/**
 * Minified ESM for Node 20, split at dynamic imports into chunk files beside the entry, with linked source
 * maps; CommonJS dependencies (undici, ajv) require Node built-ins, so the bundle gets a real `require`.
 * @type {import('esbuild').BuildOptions}
 */
export const BIN_OPTIONS = {
  absWorkingDir: root,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  splitting: true,
  chunkNames: '[name]-[hash]',
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  sourcemap: 'linked',
  sourcesContent: false,
  legalComments: 'eof',
  banner: {
    js: "import{createRequire as __synRequire}from'node:module';const require=__synRequire(import.meta.url);",
  },
  logLevel: 'warning',
};
