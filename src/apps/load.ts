import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { APP_VIEWS, type AppView } from './views.js';

/**
 * Where the built views are: `views/` beside the shipped bin (dist/bin/views), found from this module in
 * the bundle (dist/bin/syn-mcp.mjs), in the transpiled output (dist/src/apps) or in the sources (src/apps).
 */
export function viewsDir(from: string = fileURLToPath(import.meta.url)): string | undefined {
  let dir = dirname(from);
  for (let i = 0; i < 5; i++) {
    for (const candidate of [join(dir, 'views'), join(dir, 'dist', 'bin', 'views')]) {
      if (existsSync(join(candidate, APP_VIEWS[0]?.file ?? ''))) return candidate;
    }
    dir = dirname(dir);
  }
  return undefined;
}

/**
 * Reads the built HTML of every view (scripts/build-views.mjs) from where `locate` finds them; throws saying
 * how to build them when they are not found, and naming the file when one is missing.
 */
export function loadAppViews(locate: () => string | undefined = () => viewsDir()): AppView[] {
  const dir = locate();
  if (dir === undefined) {
    throw new Error(
      'the MCP Apps views are not built (dist/bin/views): run `npm run build`, or pass --no-apps',
    );
  }
  return APP_VIEWS.map((def) => ({ ...def, html: readFileSync(join(dir, def.file), 'utf8') }));
}
