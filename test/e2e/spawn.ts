/**
 * Helpers of the end-to-end suite: the BUILT server (the bin package.json names: what ships) as a child
 * process with a minimal environment, output collectors that wait on lines (never on the clock), the
 * official SDK clients over stdio and Streamable HTTP, a raw newline-delimited JSON-RPC session and a raw
 * node:http request.
 * Everything started here is tracked and torn down by `cleanup()` (call it in afterEach/afterAll).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { type CallToolResult, LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js';
import { type LogLine, parseLogLines } from '../../src/log.js';
import {
  createSyncGuardEmulator,
  type SyncGuardEmulator,
  type SyncGuardEmulatorOptions,
} from '../../src/sandbox/syncguard/index.js';

const PACKAGE = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
  bin: Record<string, string>;
};

/** The shipped bin, the file package.json `bin` names (the bundle `npm run build` makes): what users run. */
export const CLI = fileURLToPath(new URL(`../../${PACKAGE.bin['syn-mcp']}`, import.meta.url));

/** The package version the server should report. */
export const VERSION = PACKAGE.version;

/** Default bound of every wait in this suite (ms). */
export const WAIT_MS = 10_000;

function assertBuilt(): void {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` before the e2e tests`);
}

/** A child environment: PATH plus exactly what the test sets — never the parent's whole environment. */
export function childEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin', ...extra };
}

/** Rejects with `what` if `promise` has not settled within `ms`. */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

interface LineWaiter {
  test: (line: string) => boolean;
  resolve: (line: string) => void;
  reject: (err: Error) => void;
}

/** Collects a stream's text and resolves waiters on complete lines that match. */
export class Output {
  text = '';
  #ended = false;
  #waiters: LineWaiter[] = [];
  #name: string;

  constructor(stream: Readable | null, name: string) {
    this.#name = name;
    if (!stream) throw new Error(`${name}: no stream to read (was it piped?)`);
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      this.text += chunk;
      this.#check();
    });
    stream.on('end', () => this.#end());
    stream.on('close', () => this.#end());
  }

  /** Complete lines (those already terminated by a newline). */
  lines(): string[] {
    const complete = this.text.slice(0, this.text.lastIndexOf('\n') + 1);
    return complete.split('\n').slice(0, -1);
  }

  /** Resolves to the first complete line matching `test` (already seen or yet to come), bounded by `ms`. */
  waitFor(test: RegExp | ((line: string) => boolean), ms = WAIT_MS): Promise<string> {
    const fn = typeof test === 'function' ? test : (line: string) => test.test(line);
    const seen = this.lines().find(fn);
    if (seen !== undefined) return Promise.resolve(seen);
    if (this.#ended) return Promise.reject(this.#endedError(String(test)));
    let waiter: LineWaiter | undefined;
    const found = new Promise<string>((resolve, reject) => {
      waiter = { test: fn, resolve, reject };
      this.#waiters.push(waiter);
    });
    return within(found, ms, `${this.#name}: no line matching ${String(test)}; got:\n${this.text}`).finally(
      () => {
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
      },
    );
  }

  #check(): void {
    const lines = this.lines();
    for (const w of [...this.#waiters]) {
      const line = lines.find(w.test);
      if (line !== undefined) {
        this.#waiters = this.#waiters.filter((x) => x !== w);
        w.resolve(line);
      }
    }
  }

  #end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#check();
    for (const w of this.#waiters) w.reject(this.#endedError('a matching line'));
    this.#waiters = [];
  }

  #endedError(what: string): Error {
    return new Error(`${this.#name} ended before ${what}; got:\n${this.text}`);
  }
}

/** How a child ended. */
export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A spawned server with its stdout and stderr captured. */
export interface ServerProcess {
  child: ChildProcess;
  stdout: Output;
  stderr: Output;
  /** Resolves once the process has exited and its output streams are closed. */
  exited: Promise<Exit>;
  /** Resolves to the exit, or rejects if it has not happened within `ms`. */
  exit(ms?: number): Promise<Exit>;
}

const children = new Set<ChildProcess>();
const closers = new Set<() => Promise<void>>();

/** Spawns `node <bin> ...args` with exactly `env`; stdin, stdout and stderr piped. */
export function spawnServer(args: readonly string[], env: Record<string, string>): ServerProcess {
  assertBuilt();
  const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  children.add(child);
  const stdout = new Output(child.stdout, 'stdout');
  const stderr = new Output(child.stderr, 'stderr');
  const exited = new Promise<Exit>((resolve) => {
    child.once('close', (code, signal) => {
      children.delete(child);
      resolve({ code, signal });
    });
  });
  child.stdin.on('error', () => {});
  return {
    child,
    stdout,
    stderr,
    exited,
    exit: (ms = WAIT_MS) => within(exited, ms, `server exit; stderr:\n${stderr.text}`),
  };
}

/** What a finished CLI run printed. */
export interface RunResult extends Exit {
  stdout: string;
  stderr: string;
}

/** Runs the CLI with stdin closed at once and waits (bounded) for it to exit. */
export async function runCli(args: readonly string[], env: Record<string, string>): Promise<RunResult> {
  const proc = spawnServer(args, env);
  proc.child.stdin?.end();
  const exit = await proc.exit();
  return { ...exit, stdout: proc.stdout.text, stderr: proc.stderr.text };
}

/** Starts `--http --port 0 ...args` and resolves once stderr says where it listens. */
export async function startHttp(
  args: readonly string[],
  env: Record<string, string>,
): Promise<{ proc: ServerProcess; url: string }> {
  const proc = spawnServer(['--http', '--port', '0', ...args], env);
  const line = await proc.stderr.waitFor(
    logMatching(/^listening on http:\/\/127\.0\.0\.1:\d+\/mcp \(/, 'info'),
  );
  const url = logLine(line)?.url;
  if (typeof url !== 'string' || !/^http:\/\/127\.0\.0\.1:\d+\/mcp$/.test(url)) {
    throw new Error(`no URL in: ${line}`);
  }
  return { proc, url };
}

const CLIENT_INFO = { name: 'syn-mcp-e2e', version: '0.0.0' };

/** An SDK client over stdio to a freshly spawned server, with the server's stderr collected. */
export interface StdioSession {
  client: Client;
  transport: StdioClientTransport;
  stderr: Output;
  close(): Promise<void>;
}

/** Spawns the server through the SDK's StdioClientTransport (stderr piped) and connects a Client. */
export async function connectStdio(
  args: readonly string[],
  env: Record<string, string>,
): Promise<StdioSession> {
  assertBuilt();
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, ...args],
    env,
    stderr: 'pipe',
  });
  const stderr = new Output(transport.stderr as Readable | null, 'stderr');
  const client = new Client(CLIENT_INFO);
  const close = async () => {
    closers.delete(close);
    await client.close();
  };
  closers.add(close);
  try {
    await client.connect(transport);
  } catch (err) {
    throw new Error(
      `stdio connect failed (${err instanceof Error ? err.message : String(err)}); stderr:\n${stderr.text}`,
    );
  }
  return { client, transport, stderr, close };
}

/** Runs `fn` with a fresh stdio session and closes it afterwards, whatever happens. */
export async function withStdio<T>(
  args: readonly string[],
  env: Record<string, string>,
  fn: (s: StdioSession) => Promise<T>,
): Promise<T> {
  const s = await connectStdio(args, env);
  try {
    return await fn(s);
  } finally {
    await s.close();
  }
}

/** An SDK client over Streamable HTTP. */
export interface HttpSession {
  client: Client;
  transport: StreamableHTTPClientTransport;
  close(): Promise<void>;
}

/** Connects an SDK Client to `url`, sending `headers` on every request. */
export async function connectHttp(url: string, headers: Record<string, string> = {}): Promise<HttpSession> {
  const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } });
  const client = new Client(CLIENT_INFO);
  const close = async () => {
    closers.delete(close);
    await client.close();
  };
  closers.add(close);
  await client.connect(transport);
  return { client, transport, close };
}

/** A SyncGuard emulator of the test's own, listening on loopback; `cleanup()` closes it. */
export async function startEmulator(
  opts: SyncGuardEmulatorOptions = {},
): Promise<{ emulator: SyncGuardEmulator; baseUrl: string }> {
  const emulator = createSyncGuardEmulator(opts);
  const baseUrl = await emulator.listen();
  const close = async () => {
    closers.delete(close);
    await emulator.close();
  };
  closers.add(close);
  return { emulator, baseUrl };
}

/** Closes every client and emulator and kills every child still running; waits (bounded) for them to exit. */
export async function cleanup(): Promise<void> {
  await Promise.allSettled([...closers].map((close) => within(close(), WAIT_MS, 'close')));
  const running = [...children];
  const gone = running.map(
    (child) =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('close', () => resolve());
        child.kill('SIGKILL');
      }),
  );
  await within(Promise.all(gone), WAIT_MS, 'children exit');
}

/** A tools/call result. */
export async function callTool(
  client: Client,
  name: string,
  args: Record<string, unknown>,
): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args })) as CallToolResult;
}

/** The text of a result's first content block. */
export function textOf(result: CallToolResult): string {
  const first = result.content[0];
  return first?.type === 'text' ? first.text : '';
}

/** A JSON-RPC message as read from the wire. */
export interface RpcMessage {
  jsonrpc: string;
  id?: number | string | null;
  method?: string;
  result?: Record<string, unknown>;
  error?: { code: number; message: string; data?: unknown };
}

/** The initialize request params of the raw clients. */
export function initializeParams(): Record<string, unknown> {
  return { protocolVersion: LATEST_PROTOCOL_VERSION, capabilities: {}, clientInfo: CLIENT_INFO };
}

/** Newline-delimited JSON-RPC written by hand to a server's stdin, responses read from its stdout. */
export class RawStdio {
  readonly proc: ServerProcess;
  #nextId = 1;

  constructor(args: readonly string[], env: Record<string, string>) {
    this.proc = spawnServer(args, env);
  }

  /** Writes one line as is. */
  writeLine(line: string): void {
    this.proc.child.stdin?.write(`${line}\n`);
  }

  /** Sends a notification (no answer expected). */
  notify(method: string, params: Record<string, unknown> = {}): void {
    this.writeLine(JSON.stringify({ jsonrpc: '2.0', method, params }));
  }

  /** Writes a request without waiting for its answer; returns its id. */
  post(method: string, params: Record<string, unknown> = {}): number {
    const id = this.#nextId++;
    this.writeLine(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
    return id;
  }

  /** Sends a request and resolves to the response with the same id. */
  async request(method: string, params: Record<string, unknown> = {}): Promise<RpcMessage> {
    const id = this.post(method, params);
    const line = await this.proc.stdout.waitFor((l) => {
      try {
        return (JSON.parse(l) as RpcMessage).id === id;
      } catch {
        return false;
      }
    });
    return JSON.parse(line) as RpcMessage;
  }

  /** initialize + notifications/initialized. */
  async initialize(): Promise<RpcMessage> {
    const res = await this.request('initialize', initializeParams());
    this.notify('notifications/initialized');
    return res;
  }

  /** Closes stdin and resolves to the exit (bounded). */
  async end(): Promise<Exit> {
    this.proc.child.stdin?.end();
    return this.proc.exit();
  }
}

/** The result of a raw HTTP exchange. */
export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Options of `rawHttp`. */
export interface RawRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Send the body with chunked encoding (no Content-Length). */
  chunked?: boolean;
}

/**
 * One HTTP request through node:http (which, unlike fetch, lets a test set any Host header). Resolves on the
 * full response even when the server closes the connection while the request body is still being written.
 */
export function rawHttp(url: string, opts: RawRequest = {}): Promise<RawResponse> {
  const u = new URL(url);
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.body !== undefined && !opts.chunked)
    headers['content-length'] = String(Buffer.byteLength(opts.body));
  const exchange = new Promise<RawResponse>((resolve, reject) => {
    let answered = false;
    const req = request(
      {
        host: u.hostname,
        port: u.port,
        path: u.pathname,
        method: opts.method ?? 'GET',
        headers,
        agent: false,
      },
      (res) => {
        answered = true;
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        res.on('error', reject);
      },
    );
    req.on('error', (err) => {
      if (!answered) reject(err);
    });
    if (opts.body !== undefined) {
      const body = typeof opts.body === 'string' ? Buffer.from(opts.body) : opts.body;
      if (opts.chunked) {
        const step = 256 * 1024;
        for (let i = 0; i < body.length; i += step) req.write(body.subarray(i, i + step));
      } else {
        req.write(body);
      }
    }
    req.end();
  });
  return within(exchange, WAIT_MS, `${opts.method ?? 'GET'} ${url}`);
}

/** Headers a raw MCP POST needs (the SDK transport insists on both Accept types). */
export function mcpHeaders(extra: Record<string, string> = {}): Record<string, string> {
  return { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...extra };
}

/** JSON-RPC messages in a Streamable HTTP answer body (plain JSON or SSE `data:` lines). */
export function rpcMessagesOf(body: string): RpcMessage[] {
  const trimmed = body.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    const parsed = JSON.parse(trimmed) as RpcMessage | RpcMessage[];
    return Array.isArray(parsed) ? parsed : [parsed];
  }
  return trimmed
    .split('\n')
    .filter((l) => l.startsWith('data:'))
    .map((l) => l.slice(5).trim())
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as RpcMessage);
}
export { jsonOf } from '../helpers/in-process.js';

/** One stderr line parsed as a JSON log line, or undefined when it is not one. */
export function logLine(line: string): LogLine | undefined {
  return parseLogLines(line)[0];
}

/** A waitFor() test: a JSON log line whose msg matches `msg` (and whose level is `level`, when given). */
export function logMatching(msg: RegExp, level?: LogLine['level']): (line: string) => boolean {
  return (line) => {
    const parsed = logLine(line);
    return parsed !== undefined && msg.test(parsed.msg) && (level === undefined || parsed.level === level);
  };
}

/** Every JSON log line of a stderr text; fails when a non-empty line is not one. */
export function logsOf(stderr: string): LogLine[] {
  const lines = stderr.split('\n').filter((l) => l.trim() !== '');
  const parsed = parseLogLines(stderr);
  if (parsed.length !== lines.length) {
    throw new Error(`stderr has lines that are not JSON log lines:\n${stderr}`);
  }
  return parsed;
}
