// Bundles the bench's anchor (bench/baseline/server.mjs) the way scripts/bundle.mjs bundles syn-mcp's bin: the
// same esbuild options and substitutions (scripts/bundle/options.mjs), so that the two servers differ by what
// syn-mcp does, not by how it is packed.
import { basename, dirname } from 'node:path';
import { build } from 'esbuild';
import { BIN_OPTIONS, slimDependencies } from '../../scripts/bundle/options.mjs';

/** Bundles `entry` to `outfile` (both absolute paths); resolves to `outfile`. */
export async function bundleLikeTheBin(entry, outfile) {
  await build({
    ...BIN_OPTIONS,
    entryPoints: [entry],
    outdir: dirname(outfile),
    entryNames: basename(outfile, '.mjs'),
    plugins: [slimDependencies],
  });
  return outfile;
}
