/**
 * The OpenAI Agents SDK (@openai/agents-core), as an agent uses it: MCPServerStdio spawns the built server
 * (and names itself to it with the server's own name, so clientInfo cannot pick a profile), and
 * getAllMcpTools converts every listed tool with `convertSchemasToStrict: true`. A tool whose schema the SDK
 * cannot make strict falls back to a non-strict tool, so `strict` on each converted tool is the verdict; the
 * schema it would send to OpenAI is then checked against the documented strict-mode rules.
 */
import { type FunctionTool, getAllMcpTools, MCPServerStdio } from '@openai/agents-core';
import { describe, expect, it } from 'vitest';
import { openAiStrictViolations, openObjects } from './rules.js';
import { ALL_TOOLS, type Listed, sandboxServer } from './server.js';

type Converted = { listed: Listed[]; tools: FunctionTool[] };

/** One server per profile for the whole file: each test reads the same conversion. */
const conversions = new Map<string, Promise<Converted>>();
function convert(profile?: string): Promise<Converted> {
  const key = profile ?? 'default';
  let done = conversions.get(key);
  if (!done) {
    done = spawnAndConvert(profile);
    conversions.set(key, done);
  }
  return done;
}

async function spawnAndConvert(profile?: string): Promise<Converted> {
  const server = new MCPServerStdio({
    name: 'syn-mcp',
    ...sandboxServer(profile),
  });
  await server.connect();
  try {
    const listed = (await server.listTools()) as Listed[];
    const tools = (await getAllMcpTools({
      mcpServers: [server],
      convertSchemasToStrict: true,
    })) as FunctionTool[];
    return { listed, tools };
  } finally {
    await server.close();
  }
}

describe('OpenAI Agents SDK: MCP tools with strict schemas', () => {
  it.each([
    ['by default (the SDK names itself after the server)', undefined],
    ['under --schema-profile openai', 'openai'],
  ])('converts every tool to strict function tools %s', async (_what, profile) => {
    const { listed, tools } = await convert(profile);
    expect(listed.length).toBe(ALL_TOOLS);
    expect(tools.map((t) => t.name)).toEqual(listed.map((t) => t.name));
    expect(tools.filter((t) => !t.strict).map((t) => t.name)).toEqual([]);
    for (const t of tools) expect(openAiStrictViolations(t.parameters), t.name).toEqual([]);
    // What the server published is strict already: the SDK had nothing to rewrite.
    for (const t of listed) expect(openAiStrictViolations(t.inputSchema), t.name).toEqual([]);
  });

  it('gets the openai listing by default, byte for byte', async () => {
    const [byDefault, forced] = await Promise.all([convert(), convert('openai')]);
    expect(JSON.stringify(byDefault.listed)).toBe(JSON.stringify(forced.listed));
  });

  it('under --schema-profile claude, converts every tool; exactly those with a free-form object fall back to non-strict', async () => {
    const { listed, tools } = await convert('claude');
    expect(tools).toHaveLength(listed.length);
    const withOpenObjects = listed.filter((t) => openObjects(t.inputSchema).length > 0).map((t) => t.name);
    expect(withOpenObjects.length).toBeGreaterThan(0);
    expect(tools.filter((t) => !t.strict).map((t) => t.name)).toEqual(withOpenObjects);
  });

  it('under --schema-profile gemini, still converts every tool (strict or not)', async () => {
    const { listed, tools } = await convert('gemini');
    expect(tools.map((t) => t.name)).toEqual(listed.map((t) => t.name));
  });
});
