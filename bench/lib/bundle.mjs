// Bundles the bench's anchor (bench/baseline/server.mjs) the way scripts/bundle.mjs bundles syn-mcp's bin:
// minified ESM for node20 (split at dynamic imports, as the bin is), dependencies included, with the same `require` banner and the same two
// substitutions (undici → scripts/bundle/undici.cjs, zod's 40 locales → English only), so that the two
// servers differ by what syn-mcp does, not by how it is packed. Kept in step with scripts/bundle.mjs by hand:
// when that file's esbuild options change, change these.
import { realpathSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../../', import.meta.url));
/** node_modules by its real path, as esbuild names importers (scripts/bundle.mjs's `modules`). */
const modules = realpathSync(join(root, 'node_modules'));

/** scripts/bundle.mjs's `slimDependencies`, for a file outside src/. */
const slimDependencies = {
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

/** Bundles `entry` to `outfile` (both absolute paths); resolves to `outfile`. */
export async function bundleLikeTheBin(entry, outfile) {
  await build({
    absWorkingDir: root,
    entryPoints: [entry],
    outdir: dirname(outfile),
    entryNames: basename(outfile, '.mjs'),
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
    plugins: [slimDependencies],
    logLevel: 'warning',
  });
  return outfile;
}
