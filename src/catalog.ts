import type { Tool } from '@modelcontextprotocol/server';
import { applyProfile, type SchemaProfile } from './profiles.js';
import { type JsonSchema, toPublishedSchema } from './schema.js';
import type { AnyToolDef } from './tool.js';

/** One tool as tools/list publishes it, under a schema profile. */
export function describeTool(
  tool: AnyToolDef,
  profile: SchemaProfile,
  full: JsonSchema = toPublishedSchema(tool.input, 'input'),
  meta?: Record<string, unknown>,
): Tool {
  const described: Tool = {
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: applyProfile(full, profile),
    outputSchema: toPublishedSchema(tool.output, 'output'),
    annotations: { title: tool.title, ...tool.annotations },
  };
  return meta ? { ...described, _meta: meta } : described;
}

/**
 * The published catalog of a set of tools, one per profile, each built once on first use (never per call).
 * `inputSchemas` keeps the full schemas that arguments are normalised against, also built once, on first
 * use: building them is most of a cold start's own work, and `initialize` does not need them.
 */
export class Catalog {
  #inputSchemas: ReadonlyMap<string, JsonSchema> | undefined;
  private readonly byProfile = new Map<SchemaProfile, Tool[]>();

  /** `meta`: a tool's `_meta` in tools/list (an MCP Apps view link, src/apps), if any. */
  constructor(
    readonly tools: readonly AnyToolDef[],
    private readonly meta: (name: string) => Record<string, unknown> | undefined = () => undefined,
  ) {}

  /** Full input schema of every tool, by name. */
  get inputSchemas(): ReadonlyMap<string, JsonSchema> {
    this.#inputSchemas ??= new Map(this.tools.map((t) => [t.name, toPublishedSchema(t.input, 'input')]));
    return this.#inputSchemas;
  }

  /** tools/list entries under a profile. */
  list(profile: SchemaProfile): Tool[] {
    let list = this.byProfile.get(profile);
    if (!list) {
      list = this.tools.map((t) =>
        describeTool(t, profile, this.inputSchemas.get(t.name), this.meta(t.name)),
      );
      this.byProfile.set(profile, list);
    }
    return list;
  }
}

/** What a model is given for a tool: its name, description and input schema (clients send no more). */
export function modelView(tool: Tool): string {
  return JSON.stringify({ name: tool.name, description: tool.description, input_schema: tool.inputSchema });
}
