/**
 * No secret ever leaves syn-mcp. The BUILT server runs with distinctive values for every credential variable
 * of every API the sandbox starts, plus SYN_MCP_HTTP_TOKEN, in front of recording proxies (upstream.ts). A
 * session calls every tool — valid calls with a progress token, calls whose upstream answer echoes the
 * request's credentials back in an error body (400/401/403/404/409/422/500, JSON and plain text; as they are
 * and in other case, split by spaces, URL-encoded, base64 and base64url), invalid
 * calls — then every byte the server wrote (stdout, stderr, HTTP response bodies and SSE streams, results,
 * progress notifications) is scanned for every secret in each of those encodings: zero hits. And the MCP bearer token never reaches an
 * upstream API.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, SERVICE_ENV_PREFIXES, startSandbox } from '../../src/sandbox/index.js';
import { childEnv, cleanup, RawStdio, type ServerProcess, startHttp, within } from '../e2e/spawn.js';
import { type Args, type Schema, validArgs } from '../fuzz/arbitraries.js';
import {
  type CannedAnswer,
  distinctiveSecret,
  type ProxiedRequest,
  proxyUpstreams,
  type Upstreams,
} from './upstream.js';

const ERROR_STATUSES = [400, 401, 403, 404, 409, 422, 500];
const CALL_TIMEOUT_MS = 20_000;

let sandbox: Sandbox;
let ups: Upstreams;
let httpToken: string;
let secrets: string[];

beforeAll(async () => {
  sandbox = await startSandbox();
  ups = await proxyUpstreams(sandbox.env);
  httpToken = distinctiveSecret('SYN_MCP_HTTP_TOKEN');
  secrets = [...Object.values(ups.secrets), httpToken];
});

afterAll(async () => {
  await cleanup();
  await ups?.close();
  await sandbox?.close();
});

/** An answer that echoes every header of the request (credentials included) in the API's usual fields. */
function echo(req: ProxiedRequest, n: number): CannedAnswer {
  const status = ERROR_STATUSES[n % ERROR_STATUSES.length] ?? 400;
  const creds = Object.entries(req.headers)
    .filter(([k]) => k === 'authorization' || k.includes('key') || k.includes('token'))
    .map(([k, v]) => `${k}: ${v}`)
    .join('; ');
  // Each credential in the usual encodings too (issue 17): none of them may come out either.
  const encoded = Object.entries(req.headers)
    .filter(([k]) => k === 'authorization' || k.includes('key') || k.includes('token'))
    .flatMap(([, v]) => encodings(String(v).replace(/^Bearer\s+/i, '')).slice(1))
    .join(' , ');
  const said = `request rejected, you sent ${creds}; encoded: ${encoded}`;
  // A 500 is retried, the echo going through the retry path too; 50 ms (our parser takes fractions) instead
  // of '0', which the client treats as a brief pause of a second.
  const headers: Record<string, string> = status === 500 ? { 'retry-after': '0.05' } : {};
  if (n % 3 === 2)
    return {
      status,
      body: `upstream says: ${said}\n${JSON.stringify(req.headers)}`,
      headers: { ...headers, 'content-type': 'text/plain' },
    };
  return {
    status,
    headers,
    body: JSON.stringify({
      isSuccess: false,
      errorCode: 4,
      message: said,
      detail: said,
      error: n % 2 === 0 ? said : { code: 'bad_request', message: said },
      errors: [{ field: 'x-api-key', message: said }],
      messages: [said],
      request: { headers: req.headers },
    }),
  };
}

/** Valid arguments for a tool (fixed seeds, so a failure can be replayed). */
function argsFor(tool: Tool, n: number): Args[] {
  return fc.sample(validArgs(tool.inputSchema as Schema), { numRuns: n, seed: 7 });
}

/** A secret as is, in other case, split by spaces, URL-encoded and in base64 (standard and URL-safe). */
function encodings(secret: string): string[] {
  return [
    secret,
    secret.toUpperCase(),
    secret.toLowerCase(),
    (secret.match(/.{1,7}/g) ?? []).join(' '),
    encodeURIComponent(secret),
    [...Buffer.from(secret)].map((b) => `%${b.toString(16).padStart(2, '0')}`).join(''),
    Buffer.from(secret).toString('base64'),
    Buffer.from(secret).toString('base64url'),
  ];
}

function hits(text: string): string[] {
  return secrets.flatMap((s) => encodings(s).filter((e) => text.includes(e)));
}

describe('secrets: configured for every API', { timeout: 60_000 }, () => {
  it('every API the sandbox starts gets a distinctive credential', () => {
    const prefixes = SERVICE_ENV_PREFIXES.filter((p) =>
      Object.keys(sandbox.env).some((k) => k.startsWith(p)),
    );
    expect(prefixes.length).toBeGreaterThan(0);
    for (const prefix of prefixes) {
      expect(
        Object.keys(ups.secrets).some((k) => k.startsWith(prefix)),
        prefix,
      ).toBe(true);
    }
  });
});

describe('secrets over Streamable HTTP (every byte of every response, stdout, stderr)', {
  timeout: 60_000,
}, () => {
  let proc: ServerProcess;
  let client: Client;
  const wire: string[] = [];
  const seen: unknown[] = [];
  const progress: unknown[] = [];
  let tools: Tool[] = [];
  let echoed = 0;

  beforeAll(async () => {
    const started = await startHttp(
      ['--toolsets', 'all', '--log-level', 'debug'],
      childEnv({ ...ups.env, SYN_MCP_HTTP_TOKEN: httpToken }),
    );
    proc = started.proc;
    /** fetch that keeps a copy of every response body, SSE streams included, as it is read. */
    const capture = async (input: string | URL, init?: RequestInit): Promise<Response> => {
      const res = await fetch(input, init);
      if (!res.body) return res;
      const [mine, theirs] = res.body.tee();
      void (async () => {
        const decoder = new TextDecoder();
        for await (const chunk of mine) wire.push(decoder.decode(chunk, { stream: true }));
      })();
      return new Response(theirs, { status: res.status, statusText: res.statusText, headers: res.headers });
    };
    const transport = new StreamableHTTPClientTransport(new URL(started.url), {
      requestInit: { headers: { authorization: `Bearer ${httpToken}` } },
      fetch: capture,
    });
    client = new Client({ name: 'syn-mcp-security', version: '0' });
    await client.connect(transport);
    tools = (await client.listTools()).tools;
  });

  afterAll(async () => {
    await client?.close();
  });

  it('calls every tool: valid calls with progress, echoed credentials on error paths, invalid calls', async () => {
    let progressToken = 0;
    const call = async (tool: Tool, args: unknown) => {
      const result = await client.callTool(
        {
          name: tool.name,
          arguments: args as Record<string, unknown>,
          _meta: { progressToken: ++progressToken },
        },
        undefined,
        { timeout: CALL_TIMEOUT_MS, onprogress: (p) => progress.push(p) },
      );
      seen.push(result);
      return result;
    };
    for (const tool of tools) for (const args of argsFor(tool, 2)) await call(tool, args);
    let n = 0;
    ups.respond = (req) => echo(req, n++);
    try {
      for (const tool of tools) for (const args of argsFor(tool, 1)) await call(tool, args);
    } finally {
      ups.respond = undefined;
    }
    echoed = n;
    for (const tool of tools) await call(tool, { __not_a_field__: secrets[0] });
    expect(tools.length).toBeGreaterThan(0);
    expect(echoed, 'upstream answers that echoed credentials').toBeGreaterThan(tools.length / 2);
  });

  it('every API received its configured credential (so the scan below means something)', () => {
    const sent = ups.requests.map((r) => JSON.stringify(r.headers)).join('\n');
    for (const prefix of SERVICE_ENV_PREFIXES) {
      const mine = Object.entries(ups.secrets).filter(([name]) => name.startsWith(prefix));
      if (mine.length === 0) continue;
      expect(
        mine.some(([, value]) => sent.includes(value)),
        `${prefix}* credential sent upstream`,
      ).toBe(true);
    }
  });

  it('the MCP bearer token never reaches an upstream API', () => {
    expect(ups.requests.length).toBeGreaterThan(0);
    const leaked = ups.requests.filter((r) => JSON.stringify(r).includes(httpToken));
    expect(leaked.map((r) => `${r.method} ${r.target}`)).toEqual([]);
  });

  it('no secret in any response body, result, progress notification, stdout or stderr', async () => {
    proc.child.kill('SIGTERM');
    await proc.exit();
    const outputs: Array<[string, string]> = [
      ['HTTP responses', wire.join('')],
      ['results', JSON.stringify(seen)],
      ['progress notifications', JSON.stringify(progress)],
      ['stdout', proc.stdout.text],
      ['stderr', proc.stderr.text],
    ];
    expect(wire.join('').length).toBeGreaterThan(1000);
    // The echoed credentials did reach the server and came out redacted; progress was streamed and scanned.
    expect(JSON.stringify(seen)).toContain('[REDACTED]');
    expect(progress.length).toBeGreaterThan(0);
    for (const [where, text] of outputs) expect(hits(text), where).toEqual([]);
  });
});

describe('secrets over stdio (every byte on stdout and stderr)', { timeout: 60_000 }, () => {
  it('calls every tool, with credentials echoed back on half of them: no secret on stdout or stderr', async () => {
    const raw = new RawStdio(['--toolsets', 'all', '--log-level', 'debug'], childEnv(ups.env));
    await raw.initialize();
    const list = await raw.request('tools/list');
    const tools = (list.result?.tools ?? []) as Tool[];
    expect(tools.length).toBeGreaterThan(0);
    let n = 0;
    let token = 0;
    for (const tool of tools) {
      for (const [i, args] of argsFor(tool, 2).entries()) {
        ups.respond = i === 1 ? (req) => echo(req, n++) : undefined;
        const params = { name: tool.name, arguments: args, _meta: { progressToken: `p${++token}` } };
        const res = await within(
          raw.request('tools/call', params),
          CALL_TIMEOUT_MS,
          `tools/call ${tool.name}`,
        );
        expect(res.error, tool.name).toBeUndefined();
      }
    }
    ups.respond = undefined;
    expect(n).toBeGreaterThan(tools.length / 2);
    const exit = await raw.end();
    expect(exit.code).toBe(0);
    expect(hits(raw.proc.stdout.text), 'stdout').toEqual([]);
    expect(hits(raw.proc.stderr.text), 'stderr').toEqual([]);
  });
});
