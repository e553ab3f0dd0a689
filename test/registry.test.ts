import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { catalogTable, purposeOf, withCatalog } from '../scripts/readme.js';
import type { ServiceViews } from '../src/call-view.js';
import { Catalog } from '../src/catalog.js';
import { SERVICE_LABEL, type ServiceName } from '../src/errors.js';
import { silentLogger } from '../src/log.js';
import { DEFAULT_PROFILE } from '../src/profiles.js';
import { toPublishedSchema } from '../src/schema.js';
import { createServer } from '../src/server.js';
import type { AnyToolDef } from '../src/tool.js';
import { selectTools } from '../src/toolsets.js';
import { TOOLSETS } from '../tools/index.js';

/** Pretends every service (and every optional credential) is configured, to see the whole registry. */
const allServices = Object.fromEntries(
  (Object.keys(SERVICE_LABEL) as ServiceName[]).map((s) => [s, { has: () => true }]),
) as unknown as ServiceViews['configured'];
/** No call is made: the catalog is all these tests read. */
const noViews: ServiceViews = { configured: allServices, bind: {} };

const all: AnyToolDef[] = selectTools(TOOLSETS, allServices, {
  toolsets: ['all'],
  tools: undefined,
  readOnly: false,
}).tools;

type Node = Record<string, unknown>;
function walk(node: unknown, visit: (n: Node, path: string) => void, path = '#'): void {
  if (Array.isArray(node)) {
    for (const [i, n] of node.entries()) walk(n, visit, `${path}/${i}`);
  } else if (typeof node === 'object' && node !== null) {
    visit(node as Node, path);
    for (const [k, v] of Object.entries(node)) walk(v, visit, `${path}/${k}`);
  }
}

describe('tool registry', () => {
  it('has every tool of the registry selectable with --toolsets all', () => {
    const declared = new Set(TOOLSETS.flatMap((ts) => ts.tools.map((t) => t.name)));
    expect(all.map((t) => t.name).sort()).toEqual([...declared].sort());
    expect(all.length).toBeGreaterThanOrEqual(3);
  });

  it('uses the names the owner fixed', () => {
    const names = all.map((t) => t.name);
    for (const fixed of [
      'send_event',
      'list_incidents',
      'resolve_incident',
      'run_orchestration',
      'search_memory',
    ])
      expect(names).toContain(fixed);
  });

  it.each(all.map((t) => [t.name, t] as const))('%s follows the tool conventions', (_name, tool) => {
    expect(tool.name).toMatch(/^[a-z0-9_]{1,48}$/);
    const label = SERVICE_LABEL[tool.services[0] as ServiceName];
    expect(tool.title.startsWith(`${label} · `)).toBe(true);
    expect(tool.description.length).toBeGreaterThan(60);
    expect(tool.description.length).toBeLessThan(1024);
    for (const hint of ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'] as const) {
      expect(typeof tool.annotations[hint]).toBe('boolean');
    }
    if (tool.annotations.readOnlyHint) expect(tool.annotations.destructiveHint).toBe(false);

    const input = toPublishedSchema(tool.input, 'input');
    expect(input.type).toBe('object');
    expect(input.anyOf).toBeUndefined();
    expect(input.oneOf).toBeUndefined();
    walk(input, (n, path) => {
      expect(n.$ref, path).toBeUndefined();
      expect(n.$schema, path).toBeUndefined();
      expect(n.format, path).toBeUndefined();
      if (n.type === 'object' && n.properties) expect(n.additionalProperties, path).toBe(false);
    });
    for (const [field, schema] of Object.entries((input.properties ?? {}) as Record<string, Node>)) {
      expect(typeof schema.description, `${tool.name}.${field} has a description`).toBe('string');
    }
    const output = toPublishedSchema(tool.output, 'output');
    expect(output.type).toBe('object');
  });

  it('names are unique across toolsets except shared tools', () => {
    const names = all.map((t) => t.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('--read-only leaves no tool that can change anything', () => {
    const ro = selectTools(TOOLSETS, allServices, {
      toolsets: ['all'],
      tools: undefined,
      readOnly: true,
    }).tools;
    expect(ro.length).toBeGreaterThan(0);
    for (const t of ro) expect(t.annotations.readOnlyHint).toBe(true);
    expect(ro.map((t) => t.name)).not.toContain('send_event');
  });

  it('unknown toolset and tool names stop startup with the valid list', () => {
    expect(() =>
      selectTools(TOOLSETS, allServices, { toolsets: ['nope'], tools: undefined, readOnly: false }),
    ).toThrow(/unknown toolset "nope".*Valid: default, all, syncguard/);
    expect(() =>
      selectTools(TOOLSETS, allServices, { toolsets: undefined, tools: ['nope'], readOnly: false }),
    ).toThrow(/unknown tool "nope".*send_event/);
  });

  it('a service that is not configured offers no tools', () => {
    const none = selectTools(TOOLSETS, {}, { toolsets: ['all'], tools: undefined, readOnly: false });
    expect(none.tools).toEqual([]);
  });

  it('matches the committed tools/list snapshot', async () => {
    const server = createServer({
      tools: all,
      api: noViews,
      log: silentLogger,
      version: 'test',
      callDeadlineMs: 1000,
    });
    await expect(`${JSON.stringify(server.catalog, null, 2)}\n`).toMatchFileSnapshot(
      './__snapshots__/tools-list.json',
    );
  });

  it('matches the committed snapshot of the tools/list every client gets by default (strict schemas)', async () => {
    await expect(`${JSON.stringify(new Catalog(all).list(DEFAULT_PROFILE), null, 2)}\n`).toMatchFileSnapshot(
      './__snapshots__/tools-list.default.json',
    );
  });

  it('docs/tools.md tool table lists exactly the registry, with API, toolset and kind', () => {
    const readme = readFileSync(new URL('../docs/tools.md', import.meta.url), 'utf8');
    const table = readme.split('<!-- tools:start -->')[1]?.split('<!-- tools:end -->')[0] ?? '';
    const rows = [
      ...table.matchAll(
        /^\| `([a-z0-9_]+)` +\| ([A-Za-z+ ]+?) +\| ([a-z_]+) +\| (read|write) +\| (.+?) +\|$/gm,
      ),
    ].map((m) => [m[1], m[2], m[3], m[4]]);
    const selected = selectTools(TOOLSETS, allServices, {
      toolsets: ['all'],
      tools: undefined,
      readOnly: false,
    });
    const expected = selected.tools.map((t) => [
      t.name,
      t.services.map((s) => SERVICE_LABEL[s]).join(' + '),
      selected.toolsetOf.get(t.name),
      t.annotations.readOnlyHint ? 'read' : 'write',
    ]);
    expect(rows).toEqual(expected);
    // Every line between the markers is the header, the rule or one of those rows: nothing hand-written.
    expect(table.trim().split('\n')).toHaveLength(expected.length + 2);
  });

  it('docs/tools.md tool table is exactly what `npm run readme` generates (run it after changing a tool)', () => {
    const readme = readFileSync(new URL('../docs/tools.md', import.meta.url), 'utf8');
    expect(withCatalog(readme), 'docs/tools.md is out of date: run npm run readme').toBe(readme);
    const table = readme.split('<!-- tools:start -->\n')[1]?.split('<!-- tools:end -->')[0];
    expect(table).toBe(catalogTable());
    for (const tool of all)
      expect(table).toContain(`| ${purposeOf(tool.description).replace(/\|/g, '\\|')} `);
  });
});

describe('what the catalog tells the model', () => {
  const names = new Set(all.map((t) => t.name));
  const verbs = new Set(all.map((t) => t.name.split('_')[0]));
  /** Every property name of every published schema: snake_case words that are arguments, not tools. */
  const props = new Set<string>();
  for (const t of all) {
    for (const schema of [toPublishedSchema(t.input, 'input'), toPublishedSchema(t.output, 'output')]) {
      walk(schema, (n) => {
        if (typeof n.properties === 'object' && n.properties !== null)
          for (const k of Object.keys(n.properties)) props.add(k);
      });
    }
  }
  /** snake_case words that start like a tool name (list_…, get_…) and are no argument: they must be tools. */
  const toolLike = (text: string): string[] =>
    [...text.matchAll(/\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b/g)]
      .map((m) => m[0])
      .filter((w) => verbs.has(w.split('_')[0]) && !props.has(w));
  const sources = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
    );

  it('every tool named in a description, an argument, a listTool or a hint exists', () => {
    const missing: string[] = [];
    for (const t of all) {
      const text = JSON.stringify([t.description, toPublishedSchema(t.input, 'input'), t.listTool ?? []]);
      for (const w of toolLike(text)) if (!names.has(w)) missing.push(`${t.name}: ${w}`);
    }
    // Hints and messages written in code: every tool source and the error boundary.
    const root = fileURLToPath(new URL('..', import.meta.url));
    for (const file of [
      join(root, 'src/errors.ts'),
      join(root, 'src/error-text.ts'),
      ...sources(join(root, 'tools')),
    ]) {
      for (const w of toolLike(readFileSync(file, 'utf8'))) if (!names.has(w)) missing.push(`${file}: ${w}`);
    }
    expect(missing).toEqual([]);
    expect(toolLike('see list_accounts, get_nothing and user_id')).toEqual(['list_accounts', 'get_nothing']);
  });

  it('a 404 hint that sends an accountId to list_integrations also names list_accounts (for the account)', () => {
    for (const t of all) {
      const input = toPublishedSchema(t.input, 'input') as { properties?: Record<string, unknown> };
      const lists = [t.listTool ?? []].flat();
      if (!input.properties?.accountId || !lists.includes('list_integrations')) continue;
      expect(lists, t.name).toContain('list_accounts');
    }
  });

  it('descriptions never send the model to a raw REST path', () => {
    for (const t of all) {
      const text = JSON.stringify([t.description, toPublishedSchema(t.input, 'input')]);
      expect(text, t.name).not.toMatch(/\b(GET|POST|PUT|PATCH|DELETE) \//);
    }
  });

  it('destructive tools say to confirm with the user first; rotate_api_key says the key is shown once and how it is used', () => {
    const destructive = all.filter((t) => t.annotations.destructiveHint);
    expect(destructive.length).toBeGreaterThan(10);
    for (const t of destructive) expect(t.description, t.name).toMatch(/confirm with the user first/i);
    const rotate = all.find((t) => t.name === 'rotate_api_key');
    expect(rotate?.description).toMatch(/shown in this result only, once/);
    expect(rotate?.description).toMatch(/X-Api-Key on every SyncGuard call/);
    expect(rotate?.description).toMatch(/SYNCGUARD_API_KEY/);
  });
});
