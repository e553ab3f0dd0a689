/**
 * The MCP Apps wire contract in process (no browser, no child process): which views a server offers for the
 * tools it serves, the `_meta` its tools/list carries, resources/read of an unknown URI, a server built
 * without views, and a missing build of the views.
 */
import { RESOURCE_MIME_TYPE, RESOURCE_URI_META_KEY } from '@modelcontextprotocol/ext-apps/server';
import { ResourceNotFoundError } from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import { loadAppViews } from '../../src/apps/load.js';
import { AppResources } from '../../src/apps/resources.js';
import { APP_MIME_TYPE, APP_VIEWS, type AppView, LEGACY_RESOURCE_URI_KEY } from '../../src/apps/views.js';
import { silentLogger } from '../../src/log.js';
import { createServer } from '../../src/server.js';
import { TOOLSETS } from '../../tools/index.js';

const views: AppView[] = APP_VIEWS.map((v) => ({ ...v, html: `<!doctype html><title>${v.name}</title>` }));
const allTools = TOOLSETS.flatMap((t) => t.tools);

describe('AppResources', () => {
  it("uses ext-apps' own MIME type and legacy key", () => {
    expect(APP_MIME_TYPE).toBe(RESOURCE_MIME_TYPE);
    expect(LEGACY_RESOURCE_URI_KEY).toBe(RESOURCE_URI_META_KEY);
  });

  it('offers a view only when one of its tools is served, and links only served tools', () => {
    const apps = new AppResources(views, new Set(['list_incidents', 'run_orchestration']));
    expect(apps.list().resources.map((r) => r.uri)).toEqual([
      'ui://syn-mcp/incidents.html',
      'ui://syn-mcp/orchestration-run.html',
    ]);
    expect(apps.toolMeta('list_incidents')).toEqual({
      ui: { resourceUri: 'ui://syn-mcp/incidents.html' },
      'ui/resourceUri': 'ui://syn-mcp/incidents.html',
    });
    expect(apps.toolMeta('get_incident')).toBeUndefined();
    expect(apps.toolMeta('get_workspace_trends')).toBeUndefined();
    expect(() => apps.read('ui://syn-mcp/trends.html')).toThrow(ResourceNotFoundError);
    expect(apps.read('ui://syn-mcp/incidents.html').contents[0]).toMatchObject({
      uri: 'ui://syn-mcp/incidents.html',
      mimeType: RESOURCE_MIME_TYPE,
      text: '<!doctype html><title>incidents</title>',
    });
  });
});

describe('createServer with and without views', () => {
  const base = { api: { configured: {}, bind: {} }, log: silentLogger, version: 't', callDeadlineMs: 1000 };

  it('with views: the resources capability, resources, and _meta.ui on exactly the linked tools', () => {
    const server = createServer({ ...base, tools: allTools, apps: views });
    expect(server.methods.info.capabilities.resources).toEqual({ listChanged: false });
    expect(server.methods.resources?.list().resources).toHaveLength(3);
    const linked = server.methods.listTools().tools.filter((t) => t._meta !== undefined);
    expect(linked.map((t) => t.name).sort()).toEqual(APP_VIEWS.flatMap((v) => v.tools).sort());
  });

  it('without views (--no-apps): no capability, no resources, no _meta, the same catalog otherwise', () => {
    const off = createServer({ ...base, tools: allTools });
    const on = createServer({ ...base, tools: allTools, apps: views });
    expect(off.methods.info.capabilities).toEqual({
      tools: { listChanged: false },
      prompts: { listChanged: false },
    });
    expect(off.methods.resources).toBeUndefined();
    const offTools = off.methods.listTools().tools;
    expect(offTools.some((t) => t._meta !== undefined)).toBe(false);
    expect(on.methods.listTools().tools.map(({ _meta, ...t }) => t)).toEqual(offTools);
  });

  it('a server whose tools no view draws declares no resources', () => {
    const tools = allTools.filter((t) => t.services.includes('synap'));
    const server = createServer({ ...base, tools, apps: views });
    expect(server.methods.info.capabilities.resources).toBeUndefined();
    expect(server.methods.resources).toBeUndefined();
  });
});

describe('loadAppViews', () => {
  it('finds the built views (npm run build) and reads all three', () => {
    expect(loadAppViews().map((v) => [v.uri, v.html.startsWith('<!doctype html>')])).toEqual(
      APP_VIEWS.map((v) => [v.uri, true]),
    );
  });

  it('names the missing build and the way out', () => {
    expect(() => loadAppViews(() => undefined)).toThrow(/not built .*npm run build.*--no-apps/);
  });
});
