/**
 * LangChain's MCP adapters (@langchain/mcp-adapters): MultiServerMCPClient spawns the built server over stdio
 * and getTools() turns each listed tool into a DynamicStructuredTool whose JSON schema has been through the
 * adapter's simplifyJsonSchemaForLLM. That step drops an anyOf that has no object branch, and with it the
 * field's type; the default schemas must come out with a type on every field. Calls then go through the
 * adapter, whose tools validate their input against that schema before anything is sent.
 */
import { MultiServerMCPClient } from '@langchain/mcp-adapters';
import { describe, expect, it } from 'vitest';
import { isNode, type Node, untypedFields } from './rules.js';
import { ALL_TOOLS, type Listed, sandboxServer } from './server.js';

type Loaded = Awaited<ReturnType<MultiServerMCPClient['getTools']>>;

/** Spawns the server, loads its tools through the adapter, and hands them with the raw tools/list. */
async function withTools<T>(
  profile: string | undefined,
  use: (tools: Loaded, listed: Listed[]) => Promise<T>,
): Promise<T> {
  const client = new MultiServerMCPClient({
    mcpServers: {
      'syn-mcp': {
        transport: 'stdio',
        ...sandboxServer(profile),
        stderr: 'ignore',
      },
    },
  });
  try {
    const tools = await client.getTools();
    const listed = (await (await client.getClient('syn-mcp'))?.listTools())?.tools ?? [];
    return await use(tools, listed);
  } finally {
    await client.close();
  }
}

const schemaOf = (tool: Loaded[number]): Node => (isNode(tool.schema) ? tool.schema : {});

/** The fields of a published schema LangChain leaves untyped: no type, and no object branch to take one from. */
function untypedAsPublished(schema: unknown, path = '#'): string[] {
  if (!isNode(schema)) return [];
  const out: string[] = [];
  const branches = Array.isArray(schema.anyOf) ? schema.anyOf.filter(isNode) : [];
  if (
    path !== '#' &&
    schema.type === undefined &&
    !branches.some((b) => b.type === 'object' || isNode(b.properties))
  ) {
    out.push(path);
  }
  if (isNode(schema.properties)) {
    for (const [k, v] of Object.entries(schema.properties))
      out.push(...untypedAsPublished(v, `${path}.${k}`));
  }
  if (isNode(schema.items)) out.push(...untypedAsPublished(schema.items, `${path}[]`));
  return out;
}

describe('LangChain MCP adapters', () => {
  it.each([
    ['by default', undefined],
    ['under --schema-profile openai', 'openai'],
  ])('load every tool with a type on every field %s', async (_what, profile) => {
    await withTools(profile, async (tools) => {
      expect(tools).toHaveLength(ALL_TOOLS);
      for (const tool of tools) expect(untypedFields(schemaOf(tool)), tool.name).toEqual([]);
    });
  });

  it.each([['claude'], ['gemini']])(
    'under --schema-profile %s, load every tool; only fields published as a non-object union or untyped lose their type',
    async (profile) => {
      await withTools(profile, async (tools, listed) => {
        expect(tools).toHaveLength(ALL_TOOLS);
        let lost = 0;
        for (const tool of tools) {
          const published = listed.find((t) => t.name === tool.name)?.inputSchema;
          const untyped = untypedFields(schemaOf(tool));
          expect(untyped, tool.name).toEqual(untypedAsPublished(published));
          lost += untyped.length;
        }
        // These profiles do publish such fields (an any-JSON value, a union of scalars): the check bites.
        expect(lost).toBeGreaterThan(0);
      });
    },
  );

  it('sends a free-form object as a JSON object encoded as a string, and is told so when it is not one', async () => {
    await withTools(undefined, async (tools) => {
      const send = tools.find((t) => t.name === 'send_event');
      if (!send) throw new Error('send_event not loaded');
      const base = { integrationKey: 'crm', eventType: 'auth_failed', tenantId: 'acme', errorCode: null };
      const ok = await send.invoke({ ...base, rawPayload: '{"endpoint":"/v2/token","attempt":3}' });
      expect(JSON.stringify(ok)).toContain('auth_failure');
      await expect(send.invoke({ ...base, rawPayload: 'endpoint=/v2/token' })).rejects.toThrow(
        /rawPayload: expected a JSON object encoded as a string, such as .*; got text that does not parse as JSON/,
      );
      await expect(send.invoke({ ...base, rawPayload: '[1,2]' })).rejects.toThrow(
        /rawPayload: expected a JSON object encoded as a string.*got a JSON array, not an object/,
      );
    });
  });
});
