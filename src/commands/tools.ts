import { TOOLSETS } from '../../tools/index.js';
import { CREDENTIAL_VARS } from '../apis.js';
import { Catalog, modelView } from '../catalog.js';
import { type Config, type Env, loadConfig } from '../config.js';
import { SERVICE_LABEL } from '../errors.js';
import { HttpClient } from '../http/client.js';
import { DEFAULT_PROFILE } from '../profiles.js';
import { createApiViews } from '../services.js';
import { type Selected, selectTools } from '../toolsets.js';

/** Placeholder credentials that make every service count as configured, for `tools --all-apis`. */
export const EVERY_API: Env = Object.fromEntries(
  CREDENTIAL_VARS.map((name) => [name, 'catalog-placeholder']),
);

/** One row of `syn-mcp tools`. */
export interface CatalogRow {
  name: string;
  /** The API(s) the tool calls, by display name ("Synap + Synchronex" for search_memory). */
  api: string;
  toolset: string;
  kind: 'read' | 'write';
  /** o200k tokens of what the model is given: name, description and input schema. */
  tokens: number;
}

/** The tools a configuration selects (services configured × --toolsets × --tools × --read-only). */
export function selectedBy(config: Config): Selected {
  const http = new HttpClient();
  const { configured } = createApiViews(http, config);
  const selected = selectTools(TOOLSETS, configured, config);
  void http.close();
  return selected;
}

/** The catalog a configuration serves, one row per tool with its token count, and the totals. */
export async function catalogOf(
  config: Config,
): Promise<{ rows: CatalogRow[]; total: number; largest: number }> {
  const selected = selectedBy(config);
  const { encode } = await import('gpt-tokenizer/encoding/o200k_base');
  const catalog = new Catalog(selected.tools).list(
    config.schemaProfile === 'auto' ? DEFAULT_PROFILE : config.schemaProfile,
  );
  const defs = new Map(selected.tools.map((t) => [t.name, t]));
  const rows: CatalogRow[] = catalog.map((tool) => ({
    name: tool.name,
    api: (defs.get(tool.name)?.services ?? []).map((s) => SERVICE_LABEL[s]).join(' + '),
    toolset: selected.toolsetOf.get(tool.name) ?? '',
    kind: tool.annotations?.readOnlyHint ? 'read' : 'write',
    tokens: encode(modelView(tool)).length,
  }));
  const total = rows.reduce((sum, r) => sum + r.tokens, 0);
  const largest = rows.reduce((max, r) => Math.max(max, r.tokens), 0);
  return { rows, total, largest };
}

/**
 * `syn-mcp tools [--json] [--all-apis] [selection flags]`: the active catalog with each tool's token count
 * (o200k, the encoding of current OpenAI models; Claude's tokenizer counts within a few percent) and the
 * total. Prints to stdout: this is a command, not the MCP server.
 */
export async function toolsCommand(argv: readonly string[], env: Env): Promise<number> {
  const json = argv.includes('--json');
  const allApis = argv.includes('--all-apis') || argv.includes('--sandbox');
  const rest = argv.filter((a) => a !== '--json' && a !== '--all-apis' && a !== '--sandbox');
  const config = loadConfig(rest, allApis ? { ...env, ...EVERY_API } : env);
  const { rows, total, largest } = await catalogOf(config);
  if (json) {
    process.stdout.write(
      `${JSON.stringify({ encoding: 'o200k_base', tools: rows, count: rows.length, total, largest }, null, 2)}\n`,
    );
    return 0;
  }
  const width = Math.max(4, ...rows.map((r) => r.name.length));
  const setWidth = Math.max(7, ...rows.map((r) => r.toolset.length));
  const lines = rows.map(
    (r) =>
      `${r.name.padEnd(width)}  ${r.toolset.padEnd(setWidth)}  ${r.kind.padEnd(5)}  ${String(r.tokens).padStart(6)}`,
  );
  process.stdout.write(
    [
      `${'tool'.padEnd(width)}  ${'toolset'.padEnd(setWidth)}  kind   tokens`,
      ...lines,
      `${rows.length} tools, ${total} tokens in all (o200k; largest ${largest})`,
      '',
    ].join('\n'),
  );
  for (const s of config.notices) if (!allApis) process.stderr.write(`syn-mcp: ${s}\n`);
  return 0;
}
