#!/usr/bin/env node
// The reference of the benchmark: a minimal server written the way the SDK's README shows, with one tool
// that does the same upstream GET as syn-mcp's list_incidents (SyncGuard `GET /incidents`, X-Api-Key) through
// undici. Usage: server.mjs [--http [--stateless]] with SYNCGUARD_BASE_URL and SYNCGUARD_API_KEY set.
// Over HTTP it listens on 127.0.0.1 on an ephemeral port and prints `listening on <url>` to stderr.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { Agent, request } from 'undici';
import { z } from 'zod';

const baseUrl = process.env.SYNCGUARD_BASE_URL ?? 'http://127.0.0.1:9/api/v1';
const apiKey = process.env.SYNCGUARD_API_KEY ?? '';
const dispatcher = new Agent({ keepAliveTimeout: 10_000, connections: 64 });

function build() {
  const server = new McpServer({ name: 'baseline', version: '1.0.0' });
  server.registerTool(
    'list_incidents',
    {
      title: 'List incidents',
      description: 'List SyncGuard incidents.',
      inputSchema: { status: z.string().optional(), pageSize: z.number().int().optional() },
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
  return chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined;
}

async function serveHttp(stateless) {
  const sessions = new Map();
  const http = createServer(async (req, res) => {
    try {
      const body = req.method === 'POST' ? await readBody(req) : undefined;
      if (stateless) {
        const server = build();
        const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
        res.on('close', () => {
          transport.close();
          server.close();
        });
        await server.connect(transport);
        await transport.handleRequest(req, res, body);
        return;
      }
      const id = req.headers['mcp-session-id'];
      let transport = typeof id === 'string' ? sessions.get(id) : undefined;
      if (!transport) {
        if (id !== undefined) {
          res.writeHead(404).end();
          return;
        }
        transport = new StreamableHTTPServerTransport({
          sessionIdGenerator: () => randomUUID(),
          onsessioninitialized: (sid) => sessions.set(sid, transport),
        });
        transport.onclose = () => {
          if (transport.sessionId) sessions.delete(transport.sessionId);
        };
        await build().connect(transport);
      }
      await transport.handleRequest(req, res, body);
    } catch (err) {
      if (!res.headersSent) res.writeHead(500).end(String(err));
    }
  });
  await new Promise((resolve) => http.listen(0, '127.0.0.1', resolve));
  process.stderr.write(`listening on http://127.0.0.1:${http.address().port}/mcp\n`);
}

const argv = process.argv.slice(2);
if (argv.includes('--http')) await serveHttp(argv.includes('--stateless'));
else {
  await build().connect(new StdioServerTransport());
  process.stdin.on('end', () => process.exit(0));
}
