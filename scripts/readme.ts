/**
 * `npm run readme`: writes the tool catalog of docs/tools.md (between `<!-- tools:start -->` and
 * `<!-- tools:end -->`) from the registry, as `syn-mcp tools --all-apis --toolsets all` selects it: name, API,
 * toolset, read/write and the first sentence of the description. `--check` exits 1 when the file differs.
 * test/registry.test.ts fails when the committed docs/tools.md has drifted.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { EVERY_API, selectedBy } from '../src/commands/tools.js';
import { loadConfig } from '../src/config.js';
import { SERVICE_LABEL } from '../src/errors.js';

/** The markers around the generated table. */
export const START = '<!-- tools:start -->';
export const END = '<!-- tools:end -->';

/** One line of purpose: the description's first sentence. */
export function purposeOf(description: string): string {
  const first = description.split(/(?<=[.!?])\s+(?=[A-Z`(])/)[0] ?? description;
  return first.replace(/\s+/g, ' ').trim();
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

/** A Markdown table laid out as Biome formats it (every column padded to its widest cell), so lint agrees. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const width = (text: string) => [...text].length;
  const widths = header.map((h, i) => Math.max(3, width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => c + ' '.repeat((widths[i] ?? 0) - width(c))).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line), ''].join('\n');
}

/** The generated catalog, one Markdown table (header included), ending with a newline. */
export function catalogTable(): string {
  const config = loadConfig(['--toolsets', 'all'], EVERY_API);
  const selected = selectedBy(config);
  const rows = selected.tools.map((t) => [
    `\`${t.name}\``,
    t.services.map((s) => SERVICE_LABEL[s]).join(' + '),
    selected.toolsetOf.get(t.name) ?? '',
    t.annotations.readOnlyHint ? 'read' : 'write',
    cell(purposeOf(t.description)),
  ]);
  return markdownTable(['tool', 'API', 'toolset', 'kind', 'what it does'], rows);
}

/** The file where the generated table lives, relative to the repository root. */
export const CATALOG_FILE = 'docs/tools.md';

/** The page's text with the generated table between the markers; throws when a marker is missing. */
export function withCatalog(page: string): string {
  const start = page.indexOf(START);
  const end = page.indexOf(END);
  if (start < 0 || end < start)
    throw new Error(`${CATALOG_FILE} needs ${START} … ${END} around the tool table`);
  return `${page.slice(0, start + START.length)}\n${catalogTable()}${page.slice(end)}`;
}

function main(): void {
  const args = process.argv.slice(2);
  const check = args.includes('--check');
  const file = resolve(args.find((a) => !a.startsWith('--')) ?? CATALOG_FILE);
  const current = readFileSync(file, 'utf8');
  const next = withCatalog(current);
  if (check) {
    if (next !== current) {
      console.error(`${file}: the tool catalog is out of date; run npm run readme`);
      process.exitCode = 1;
    } else console.log(`${file}: the tool catalog is up to date`);
    return;
  }
  if (next !== current) writeFileSync(file, next);
  console.log(`${file}: tool catalog ${next === current ? 'already up to date' : 'written'}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) main();
