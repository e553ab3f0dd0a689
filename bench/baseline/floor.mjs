#!/usr/bin/env node
// The floor of the benchmark: the least a Node process built on what syn-mcp uses (node:http or line-read
// stdio, undici) does to relay a tool call to the upstream — no MCP library, no schema, no validation of
// anything, no error handling beyond not crashing. It answers `initialize`, takes notifications, and answers
// every `tools/call` with one undici GET of SyncGuard's `/incidents` (like list_incidents), its `data` as the
// text content. Not a server anyone should run: what a server doing real work on the same stack cannot beat
// on this machine, printed beside syn-mcp's.
// Usage: floor.mjs [--http] with SYNCGUARD_BASE_URL and SYNCGUARD_API_KEY set. Over HTTP it listens on
// 127.0.0.1 on an ephemeral port, prints `listening on <url>` to stderr, and gives every initialize a session
// id it never checks.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { createInterface } from 'node:readline';
import { Agent, request } from 'undici';

const url = `${process.env.SYNCGUARD_BASE_URL ?? 'http://127.0.0.1:9/api/v1'}/incidents`;
const headers = { 'x-api-key': process.env.SYNCGUARD_API_KEY ?? '', accept: 'application/json' };
const dispatcher = new Agent({ keepAliveTimeout: 10_000, connections: 64 });
const INIT = {
  protocolVersion: '2025-06-18',
  capabilities: { tools: {} },
  serverInfo: { name: 'floor', version: '1.0.0' },
};

/** The answer to one JSON-RPC message, or undefined for a notification. */
async function answer(msg) {
  if (msg.id === undefined) return undefined;
  if (msg.method === 'initialize') return { jsonrpc: '2.0', id: msg.id, result: INIT };
  if (msg.method === 'tools/call') {
    const res = await request(url, { dispatcher, headers });
    const body = await res.body.json();
    const text = JSON.stringify(body.data);
    return { jsonrpc: '2.0', id: msg.id, result: { content: [{ type: 'text', text }] } };
  }
  return { jsonrpc: '2.0', id: msg.id, result: {} };
}

function serveStdio() {
  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    answer(JSON.parse(line)).then(
      (a) => a && process.stdout.write(`${JSON.stringify(a)}\n`),
      () => {},
    );
  });
  lines.on('close', () => process.exit(0));
}

async function serveHttp() {
  const http = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      try {
        if (req.method !== 'POST') return void res.writeHead(200).end();
        const msg = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        const a = await answer(msg);
        if (!a) return void res.writeHead(202).end();
        const head = { 'content-type': 'application/json' };
        if (msg.method === 'initialize') head['mcp-session-id'] = randomUUID();
        res.writeHead(200, head).end(JSON.stringify(a));
      } catch (err) {
        if (!res.headersSent) res.writeHead(500).end(String(err));
      }
    });
  });
  await new Promise((resolve) => http.listen(0, '127.0.0.1', resolve));
  process.stderr.write(`listening on http://127.0.0.1:${http.address().port}/mcp\n`);
}

if (process.argv.includes('--http')) await serveHttp();
else serveStdio();
