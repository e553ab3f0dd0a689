import type { ServiceViews } from './call-view.js';
import { ConfigError, SERVICE_LABEL } from './errors.js';
import type { AnyToolDef, ToolsetDef } from './tool.js';

/** What the user asked for on the command line. */
export interface Selection {
  toolsets: readonly string[] | undefined;
  tools: readonly string[] | undefined;
  readOnly: boolean;
}

/** The tools to register, and one line per request that could not be honoured. */
export interface Selected {
  tools: AnyToolDef[];
  /** Toolset of each selected tool (first toolset that lists it). */
  toolsetOf: ReadonlyMap<string, string>;
  warnings: string[];
}

function uniqueTools(
  toolsets: readonly ToolsetDef[],
): Map<string, { tool: AnyToolDef; toolset: ToolsetDef }> {
  const byName = new Map<string, { tool: AnyToolDef; toolset: ToolsetDef }>();
  for (const ts of toolsets)
    for (const tool of ts.tools) if (!byName.has(tool.name)) byName.set(tool.name, { tool, toolset: ts });
  return byName;
}

/**
 * Selection = services configured × --toolsets × --tools × --read-only (DESIGN.md §3). An unknown toolset
 * or tool name stops startup with the list of valid ones.
 */
export function selectTools(
  registry: readonly ToolsetDef[],
  configured: ServiceViews['configured'],
  sel: Selection,
): Selected {
  const byName = uniqueTools(registry);
  const toolsetNames = registry.map((t) => t.name);
  const warnings: string[] = [];

  let wanted: ToolsetDef[];
  if (sel.toolsets) {
    const set = new Set<ToolsetDef>();
    for (const name of sel.toolsets) {
      if (name === 'all') {
        for (const ts of registry) set.add(ts);
      } else if (name === 'default') {
        for (const ts of registry) if (ts.default) set.add(ts);
      } else {
        const ts = registry.find((t) => t.name === name);
        if (!ts) {
          throw new ConfigError(
            `--toolsets: unknown toolset "${name}". Valid: default, all, ${toolsetNames.join(', ')}.`,
          );
        }
        set.add(ts);
      }
    }
    wanted = registry.filter((ts) => set.has(ts));
  } else {
    wanted = sel.tools ? [] : registry.filter((ts) => ts.default);
  }

  const isOffered = (tool: AnyToolDef) =>
    tool.services.some((s) => configured[s] !== undefined) &&
    (tool.needs === undefined || tool.services.some((s) => configured[s]?.has(tool.needs as string)));

  const chosen = new Set<string>();
  for (const ts of wanted) {
    if (!configured[ts.service]) {
      if (sel.toolsets?.includes(ts.name)) {
        warnings.push(
          `toolset ${ts.name}: ${SERVICE_LABEL[ts.service]} is not configured, its tools are not offered`,
        );
      }
      continue;
    }
    for (const tool of ts.tools) if (isOffered(tool)) chosen.add(tool.name);
  }
  for (const name of sel.tools ?? []) {
    const entry = byName.get(name);
    if (!entry) {
      throw new ConfigError(`--tools: unknown tool "${name}". Valid: ${[...byName.keys()].join(', ')}.`);
    }
    if (isOffered(entry.tool)) chosen.add(name);
    else
      warnings.push(
        `tool ${name}: not offered (${entry.tool.services.map((s) => SERVICE_LABEL[s]).join('/')} not configured or a credential it needs is missing)`,
      );
  }

  const tools: AnyToolDef[] = [];
  const toolsetOf = new Map<string, string>();
  for (const [name, { tool, toolset }] of byName) {
    if (!chosen.has(name)) continue;
    if (sel.readOnly && !tool.annotations.readOnlyHint) continue;
    tools.push(tool);
    toolsetOf.set(name, toolset.name);
  }
  return { tools, toolsetOf, warnings };
}
