// Builds the MCP Apps views (views/*.ts, src/apps/views.ts) into one self-contained HTML file each, under
// dist/bin/views/ (beside the shipped bin, which reads them when apps are on): the script bundled and
// minified by esbuild and inlined, the styles (views/shared/base.css, the view's own, uPlot's for the chart)
// inlined, nothing fetched from the network (the resources' CSP allows no origin). Fails when a view weighs
// more than 150 KB before compression, or when its HTML would load anything from elsewhere.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, transform } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'bin', 'views');
/** The budget of one view before compression (issue 21). */
const MAX_BYTES = 150 * 1024;

/** The views: entry, output file (as src/apps/views.ts names it), title, extra CSS. */
const VIEWS = [
  {
    entry: 'views/incidents.ts',
    file: 'incidents.html',
    title: 'SyncGuard incidents',
    css: ['views/incidents.css'],
  },
  {
    entry: 'views/trends.ts',
    file: 'trends.html',
    title: 'SyncGuard trends',
    css: ['node_modules/uplot/dist/uPlot.min.css', 'views/trends.css'],
  },
  {
    entry: 'views/orchestration-run.ts',
    file: 'orchestration-run.html',
    title: 'Synapse orchestration run',
    css: ['views/orchestration-run.css'],
  },
];

mkdirSync(outdir, { recursive: true });
const sizes = [];
for (const view of VIEWS) {
  const js = await build({
    absWorkingDir: root,
    entryPoints: [view.entry],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  const script = js.outputFiles[0].text.replaceAll('</script', '<\\/script');
  const cssSource = ['views/shared/base.css', ...view.css]
    .map((f) => readFileSync(join(root, f), 'utf8'))
    .join('\n');
  const css = (await transform(cssSource, { loader: 'css', minify: true })).code.replaceAll(
    '</style',
    '<\\/style',
  );
  const html =
    '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<title>${view.title}</title><style>${css}</style></head>` +
    '<body><main id="app" aria-live="polite"><p class="muted">Waiting for the tool result…</p></main>' +
    `<div id="live" class="sr-only" role="status"></div><script>${script}</script></body></html>`;
  // Nothing may be loaded from elsewhere: no external script, stylesheet, image or font reference.
  const external = html.match(
    /(?:src|href)\s*=\s*["']?(?:https?:)?\/\/|@import|url\(\s*["']?(?:https?:)?\/\//i,
  );
  if (external) throw new Error(`${view.file}: references an external resource (${external[0]})`);
  const bytes = Buffer.byteLength(html);
  if (bytes > MAX_BYTES) {
    throw new Error(
      `${view.file}: ${(bytes / 1024).toFixed(1)} KB, over the ${MAX_BYTES / 1024} KB budget of a view`,
    );
  }
  writeFileSync(join(outdir, view.file), html);
  sizes.push(`${view.file} ${(bytes / 1024).toFixed(1)} KB`);
}
process.stderr.write(`views: ${sizes.join(', ')}\n`);
