/**
 * MCP Apps on the wire, without a browser: the BUILT server (`--sandbox`, stdio) to a v2 SDK client. With
 * apps on (the default), the tools whose results a view draws carry `_meta.ui.resourceUri` (and the legacy
 * flat key), the server declares resources, and resources/list and resources/read serve the three views as
 * ext-apps defines them (MIME `text/html;profile=mcp-app`, a CSP allowing no origin, one self-contained
 * HTML file under 150 KB). With `--no-apps`: no `_meta` on any tool, no resources capability, resources/list
 * unknown. Tool results are the same either way.
 */
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { RESOURCE_MIME_TYPE, RESOURCE_URI_META_KEY } from '@modelcontextprotocol/ext-apps/server';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, childEnv, cleanup, RawStdio } from '../e2e/spawn.js';

const closers: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  await Promise.allSettled(closers.splice(0).map((c) => c()));
  await cleanup();
});

async function connect(args: string[]): Promise<Client> {
  const client = new Client({ name: 'apps-e2e', version: '0' });
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [CLI, '--sandbox', '--toolsets', 'all', ...args],
      env: childEnv(),
      stderr: 'pipe',
    }),
  );
  closers.push(() => client.close());
  return client;
}

const VIEWS: Record<string, string[]> = {
  'ui://syn-mcp/incidents.html': ['list_incidents', 'get_incident'],
  'ui://syn-mcp/trends.html': ['get_workspace_trends', 'get_workspace_stats'],
  'ui://syn-mcp/orchestration-run.html': ['run_orchestration', 'resume_orchestration_run'],
};

describe('MCP Apps resources (built server, --sandbox, stdio)', () => {
  it('links the views from their tools, and serves them as ui:// resources with no network allowed', async () => {
    const client = await connect([]);
    expect(client.getServerCapabilities()?.resources).toEqual({ listChanged: false });
    const { tools } = await client.listTools();
    const linked = new Map<string, string>();
    for (const [uri, names] of Object.entries(VIEWS)) for (const n of names) linked.set(n, uri);
    for (const tool of tools) {
      const uri = linked.get(tool.name);
      if (uri === undefined) {
        expect(tool._meta, tool.name).toBeUndefined();
        continue;
      }
      expect(tool._meta).toEqual({ ui: { resourceUri: uri }, [RESOURCE_URI_META_KEY]: uri });
    }
    expect(
      tools
        .filter((t) => t._meta !== undefined)
        .map((t) => t.name)
        .sort(),
    ).toEqual([...linked.keys()].sort());

    const { resources } = await client.listResources();
    expect(resources.map((r) => r.uri).sort()).toEqual(Object.keys(VIEWS).sort());
    for (const resource of resources) {
      expect(resource.mimeType).toBe(RESOURCE_MIME_TYPE);
      const read = await client.readResource({ uri: resource.uri });
      expect(read.contents).toHaveLength(1);
      const [content] = read.contents;
      expect(content?.mimeType).toBe(RESOURCE_MIME_TYPE);
      expect(content?._meta).toEqual({
        ui: {
          csp: { connectDomains: [], resourceDomains: [], frameDomains: [], baseUriDomains: [] },
          prefersBorder: true,
        },
      });
      const html = content && 'text' in content ? content.text : '';
      expect(html.startsWith('<!doctype html>')).toBe(true);
      expect(Buffer.byteLength(html)).toBeLessThanOrEqual(150 * 1024);
      // Self-contained: an inline script and style, nothing loaded from elsewhere.
      expect(html).toMatch(/<script>[\s\S]+<\/script>/);
      expect(html).toMatch(/<style>[\s\S]+<\/style>/);
      expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=|@import/i);
    }
    const { resourceTemplates } = await client.listResourceTemplates();
    expect(resourceTemplates).toEqual([]);
    // The SDK's ResourceNotFoundError: -32602 with the URI (MCP 2026-07-28; 2025-11-25 suggested -32002).
    await expect(client.readResource({ uri: 'ui://syn-mcp/nope.html' })).rejects.toMatchObject({
      code: -32602,
      message: expect.stringContaining('ui://syn-mcp/nope.html'),
    });
  });

  it('serves only the views whose tools are served (--toolsets synapse)', async () => {
    const client = new Client({ name: 'apps-e2e', version: '0' });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [CLI, '--sandbox', '--toolsets', 'synapse,synapse_write'],
        env: childEnv(),
        stderr: 'pipe',
      }),
    );
    closers.push(() => client.close());
    const { resources } = await client.listResources();
    expect(resources.map((r) => r.uri)).toEqual(['ui://syn-mcp/orchestration-run.html']);
  });

  it('--no-apps: no ui metadata, no resources, and the same tool results', async () => {
    const on = await connect([]);
    const off = await connect(['--no-apps']);
    expect(off.getServerCapabilities()?.resources).toBeUndefined();
    const { tools } = await off.listTools();
    expect(tools.length).toBeGreaterThan(0);
    expect(tools.filter((t) => t._meta !== undefined)).toEqual([]);
    // The SDK client does not even ask a server without the capability: ask by hand.
    const raw = new RawStdio(['--sandbox', '--no-apps'], childEnv());
    closers.push(() => raw.end());
    await raw.initialize();
    expect((await raw.request('resources/list')).error?.code).toBe(-32601);
    expect((await raw.request('resources/read', { uri: 'ui://syn-mcp/incidents.html' })).error?.code).toBe(
      -32601,
    );
    // Apps change what tools/list links, never a result: the same calls answer the same on both.
    const { tools: withApps } = await on.listTools();
    expect(tools.map(({ _meta, ...t }) => t)).toEqual(withApps.map(({ _meta, ...t }) => t));
    for (const server of [on, off]) {
      await server.callTool({
        name: 'send_event',
        arguments: {
          integrationKey: 'payments',
          eventType: 'auth_failure',
          tenantId: 'acme',
          errorCode: '401',
        },
      });
    }
    const a = await on.callTool({ name: 'get_workspace_stats', arguments: {} });
    const b = await off.callTool({ name: 'get_workspace_stats', arguments: {} });
    expect(a.structuredContent).toEqual(b.structuredContent);
    // The text is the same but for the fence's random marker (a fresh one per result).
    const unmarked = (r: typeof a) =>
      JSON.stringify(r.content).replace(/untrusted-data-[0-9a-f]+/g, 'untrusted-data');
    expect(unmarked(a)).toEqual(unmarked(b));
    expect(a._meta).toEqual(b._meta);
  });
});
