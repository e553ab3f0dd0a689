#!/usr/bin/env node
// The anchor of the benchmark: a minimal MCP server on the same official SDK v2 as syn-mcp
// (@modelcontextprotocol/server, with @modelcontextprotocol/node for Node's http), written the way the SDK's
// documentation shows, with ONE tool that does the same upstream GET as syn-mcp's list_incidents (SyncGuard
// `GET /incidents`, X-Api-Key) through undici. bench/run.mjs bundles it with esbuild exactly as
// scripts/bundle.mjs bundles syn-mcp's bin, so the two differ only by what syn-mcp adds.
//
// Usage: server.mjs [--http [--stateless]] with SYNCGUARD_BASE_URL and SYNCGUARD_API_KEY set.
// - stdio: serveStdio(factory) (both eras, the era chosen by the opening exchange).
// - --http: one endpoint serving both eras: isLegacyRequest → a sessionful NodeStreamableHTTPServerTransport
//   (2025-11-25 clients), everything else → createMcpHandler(factory, { legacy: 'reject' }) (2026-07-28).
// - --http --stateless: createMcpHandler(factory) (2026-07-28, and 2025 clients served statelessly).
// Over HTTP it listens on 127.0.0.1 on an ephemeral port and prints `listening on <url>` to stderr.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { NodeStreamableHTTPServerTransport, toNodeHandler, toWebRequest } from '@modelcontextprotocol/node';
import { createMcpHandler, isLegacyRequest, McpServer } from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { Agent, request } from 'undici';
import { z } from 'zod';

const baseUrl = process.env.SYNCGUARD_BASE_URL ?? 'http://127.0.0.1:9/api/v1';
const apiKey = process.env.SYNCGUARD_API_KEY ?? '';
const dispatcher = new Agent({ keepAliveTimeout: 10_000, connections: 64 });

function factory() {
  const server = new McpServer({ name: 'baseline', version: '1.0.0' }, { capabilities: { tools: {} } });
  server.registerTool(
    'list_incidents',
    {
      title: 'List incidents',
      description: 'List SyncGuard incidents.',
      inputSchema: z.object({ status: z.string().optional(), pageSize: z.number().int().optional() }),
    },
    async ({ status, pageSize }) => {
      const url = new URL(`${baseUrl}/incidents`);
      if (status) url.searchParams.set('status', status);
      if (pageSize) url.searchParams.set('pageSize', String(pageSize));
      const res = await request(url, {
        dispatcher,
        headers: { 'x-api-key': apiKey, accept: 'application/json' },
      });
      const body = await res.body.json();
      if (res.statusCode >= 400) {
        return { isError: true, content: [{ type: 'text', text: JSON.stringify(body) }] };
      }
      return { content: [{ type: 'text', text: JSON.stringify(body.data) }] };
    },
  );
  return server;
}

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  if (chunks.length === 0) return undefined;
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return undefined;
  }
}

async function serveHttp(stateless) {
  let handle;
  if (stateless) {
    handle = toNodeHandler(createMcpHandler(factory));
  } else {
    const modern = toNodeHandler(createMcpHandler(factory, { legacy: 'reject' }));
    const sessions = new Map();
    handle = async (req, res) => {
      const body = req.method === 'POST' ? await readBody(req) : undefined;
      if (!(await isLegacyRequest(await toWebRequest(req, body), body))) return modern(req, res, body);
      const id = req.headers['mcp-session-id'];
      let transport = typeof id === 'string' ? sessions.get(id) : undefined;
      if (!transport) {
        if (id !== undefined) {
          res.writeHead(404).end();
          return;
        }
        transport = new NodeStreamableHTTPServerTransport({
          sessionIdGenerator: () => randomUUID(),
          onsessioninitialized: (sid) => sessions.set(sid, transport),
        });
        transport.onclose = () => {
          if (transport.sessionId) sessions.delete(transport.sessionId);
        };
        await factory().connect(transport);
      }
      await transport.handleRequest(req, res, body);
    };
  }
  const http = createServer((req, res) => {
    Promise.resolve(handle(req, res)).catch((err) => {
      if (!res.headersSent) res.writeHead(500).end(String(err));
    });
  });
  await new Promise((resolve) => http.listen(0, '127.0.0.1', resolve));
  process.stderr.write(`listening on http://127.0.0.1:${http.address().port}/mcp\n`);
}

const argv = process.argv.slice(2);
if (argv.includes('--http')) await serveHttp(argv.includes('--stateless'));
else {
  serveStdio(factory);
  process.stdin.on('end', () => process.exit(0));
}
