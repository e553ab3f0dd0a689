/**
 * Google GenAI (@google/genai): mcpToTool wraps an MCP client connected to the built server, and
 * generateContent sends its function declarations to the Gemini API, here a local HTTP endpoint that records
 * the request and answers like the API. Each declaration carries the published input schema as
 * `parametersJsonSchema` (and the output schema as `responseJsonSchema`), checked against the JSON Schema
 * subset the API documents. Gemini's classic `parameters` path (the SDK's processJsonSchema to OpenAPI
 * Schema) is driven the same way.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GoogleGenAI, mcpToTool } from '@google/genai';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { geminiClassicViolations, geminiJsonSchemaViolations, isNode, type Node } from './rules.js';
import { ALL_TOOLS, sandboxServer } from './server.js';

/** A stand-in for generativelanguage.googleapis.com: records each request body, answers one text part. */
let api: Server;
const bodies: Node[] = [];
let baseUrl = '';
beforeAll(async () => {
  api = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
    });
    req.on('end', () => {
      bodies.push(JSON.parse(text) as Node);
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          candidates: [{ content: { role: 'model', parts: [{ text: 'ok' }] }, finishReason: 'STOP' }],
        }),
      );
    });
  });
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => api.close(() => resolve())));

async function connect(profile: string | undefined, name: string): Promise<Client> {
  const client = new Client({ name, version: '1.0.0' });
  await client.connect(new StdioClientTransport({ ...sandboxServer(profile), stderr: 'ignore' }));
  return client;
}

/** The function declarations generateContent sent for these tools. */
async function sent(tools: unknown[]): Promise<Node[]> {
  const ai = new GoogleGenAI({ apiKey: 'test-key', httpOptions: { baseUrl } });
  const before = bodies.length;
  const answer = await ai.models.generateContent({
    model: 'gemini-2.5-flash',
    contents: 'hello',
    config: { tools: tools as never },
  });
  expect(answer.text).toBe('ok');
  expect(bodies.length).toBe(before + 1);
  const body = bodies[before] ?? {};
  const list = Array.isArray(body.tools) ? body.tools.filter(isNode) : [];
  return list.flatMap((t) =>
    Array.isArray(t.functionDeclarations) ? t.functionDeclarations.filter(isNode) : [],
  );
}

describe('Google GenAI: mcpToTool and the Gemini API', () => {
  it.each([
    ['by default, a client named gemini-cli-mcp-client', undefined, 'gemini-cli-mcp-client'],
    ['by default, any other client', undefined, 'my-gemini-app'],
    ['under --schema-profile openai', 'openai', 'my-gemini-app'],
    ['under --schema-profile gemini', 'gemini', 'my-gemini-app'],
    ['under --schema-profile claude', 'claude', 'my-gemini-app'],
  ])('takes every tool %s, within the documented JSON Schema subset', async (_what, profile, name) => {
    const client = await connect(profile, name);
    try {
      const { tools: listed } = await client.listTools();
      const declarations = await sent([mcpToTool(client)]);
      expect(declarations.map((d) => d.name)).toEqual(listed.map((t) => t.name));
      expect(declarations).toHaveLength(ALL_TOOLS);
      for (const d of declarations) {
        const tool = listed.find((t) => t.name === d.name);
        expect(d.parametersJsonSchema, String(d.name)).toEqual(tool?.inputSchema);
        expect(d.responseJsonSchema, String(d.name)).toEqual(tool?.outputSchema);
        expect(geminiJsonSchemaViolations(d.responseJsonSchema), `${String(d.name)} output`).toEqual([]);
        // The full profile keeps JSON Schema's string constraints (maxLength, pattern), outside the subset;
        // the gemini profile is the classic OpenAPI Schema, whose nullability keyword is `nullable`.
        const outside = geminiJsonSchemaViolations(d.parametersJsonSchema);
        if (profile === 'gemini') {
          expect(
            outside.filter((v) => !v.endsWith(': keyword nullable')),
            String(d.name),
          ).toEqual([]);
        } else if (profile !== 'claude') {
          expect(outside, String(d.name)).toEqual([]);
        }
      }
    } finally {
      await client.close();
    }
  });

  it.each([
    ['gemini', []],
    // The strict default lists null in a nullable enum (JSON Schema needs it, OpenAI strict relies on it);
    // the classic OpenAPI Schema takes string enum values only: such a client picks --schema-profile gemini.
    ['openai', ['enum value that is not a string']],
  ])(
    'classic `parameters` under --schema-profile %s: every tool converts to OpenAPI Schema',
    async (profile, known) => {
      const client = await connect(profile, 'my-gemini-app');
      try {
        const { tools: listed } = await client.listTools();
        const classic = {
          functionDeclarations: listed.map((t) => ({
            name: t.name,
            description: t.description,
            parameters: t.inputSchema,
          })),
        };
        const declarations = await sent([classic]);
        expect(declarations).toHaveLength(ALL_TOOLS);
        const kinds = new Set<string>();
        for (const d of declarations) {
          expect(d.parametersJsonSchema).toBeUndefined();
          for (const v of geminiClassicViolations(d.parameters)) kinds.add(v.replace(/^[^:]*: /, ''));
        }
        expect([...kinds]).toEqual(known);
      } finally {
        await client.close();
      }
    },
  );
});
