/**
 * SYN_MCP_AUDIT_LOG end to end, against the BUILT server over stdio: one JSON line per write tool call (a
 * tool whose readOnlyHint is false), none for reads; each line says which tool, the redacted arguments, the
 * outcome, and the upstream status and request id of the call's last upstream answer (read from recording
 * proxies in front of the sandbox emulators, which tag every answer with an x-request-id). A log that cannot
 * be written costs one warning line and no call.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isSecretName } from '../../src/audit.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { callTool, childEnv, cleanup, connectStdio } from '../e2e/spawn.js';
import { type Args, type Schema, validArgs } from '../fuzz/arbitraries.js';
import { type ProxiedRequest, proxyUpstreams, type Upstreams } from '../security/upstream.js';

interface Line {
  ts: string;
  tool: string;
  args: unknown;
  outcome: 'ok' | 'error';
  status?: number;
  requestId?: string;
  durationMs: number;
}

interface Made {
  tool: string;
  args: Args;
  result: CallToolResult;
  upstream: ProxiedRequest[];
}

let sandbox: Sandbox;
let ups: Upstreams;
let dir: string;

beforeAll(async () => {
  sandbox = await startSandbox();
  ups = await proxyUpstreams(sandbox.env);
  dir = mkdtempSync(join(tmpdir(), 'syn-mcp-audit-'));
});

afterAll(async () => {
  await cleanup();
  await ups?.close();
  await sandbox?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Every [path, value] of a secret-named field holding a string, anywhere in `value`. */
function secretFields(value: unknown, path: string[] = []): Array<[string[], string]> {
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) =>
    isSecretName(k) && typeof v === 'string'
      ? [[[...path, k], v] as [string[], string]]
      : secretFields(v, [...path, k]),
  );
}

/** Every property name declared anywhere in a JSON Schema. */
function propertyNames(schema: unknown): string[] {
  if (typeof schema !== 'object' || schema === null) return [];
  const node = schema as Record<string, unknown>;
  const props = (node.properties ?? {}) as Record<string, unknown>;
  const children = [
    ...Object.values(props),
    node.items,
    node.additionalProperties,
    ...((node.anyOf ?? []) as unknown[]),
  ];
  return [...Object.keys(props), ...children.flatMap(propertyNames)];
}

function at(value: unknown, path: string[]): unknown {
  return path.reduce<unknown>(
    (v, k) => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[k] : undefined),
    value,
  );
}

describe('audit log of write calls (built server, stdio)', { timeout: 60_000 }, () => {
  const made: Made[] = [];
  let tools: Tool[] = [];
  let lines: Line[] = [];
  let file: string;
  let readCalls = 0;

  beforeAll(async () => {
    file = join(dir, 'audit.jsonl');
    const s = await connectStdio(['--toolsets', 'all'], childEnv({ ...ups.env, SYN_MCP_AUDIT_LOG: file }));
    tools = (await s.client.listTools()).tools;
    const call = async (tool: Tool, args: Args) => {
      const before = ups.requests.length;
      const result = await callTool(s.client, tool.name, args);
      if (tool.annotations?.readOnlyHint === false) {
        made.push({ tool: tool.name, args, result, upstream: ups.requests.slice(before) });
      } else readCalls++;
    };
    const writes = tools.filter((t) => t.annotations?.readOnlyHint === false);
    const secret = Object.values(ups.secrets)[0] ?? '';
    for (const tool of tools) {
      // Of a few valid samples, the one with the most secret-named fields, so that masking is exercised.
      const samples = fc.sample(validArgs(tool.inputSchema as Schema), { numRuns: 8, seed: 3 });
      const args = samples.reduce((a, b) => (secretFields(b).length > secretFields(a).length ? b : a), {});
      await call(tool, args);
    }
    // Error paths: a write the API refuses (409, with its request id), invalid arguments, a registered secret
    // inside an argument value.
    const [first] = writes;
    if (first) {
      const [args = {}] = fc.sample(validArgs(first.inputSchema as Schema), { numRuns: 1, seed: 4 });
      ups.respond = () => ({
        status: 409,
        body: JSON.stringify({ detail: 'conflict', message: 'conflict' }),
      });
      await call(first, args);
      ups.respond = undefined;
      await call(first, { __unknown__: true });
      const props = Object.entries((first.inputSchema.properties ?? {}) as Record<string, Schema>);
      const text = props.find(([, p]) => p.type === 'string' && p.enum === undefined)?.[0] ?? 'note';
      await call(first, { ...args, [text]: `copy of ${secret}` });
    }
    // Closing stdin shuts the server down, which flushes the log; close() waits for the process to exit.
    await s.close();
    lines = readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Line);
  }, 120_000);

  it('writes one line per write call, in order, and none for reads', () => {
    expect(made.length).toBeGreaterThan(0);
    expect(readCalls).toBeGreaterThan(0);
    expect(lines.map((l) => l.tool)).toEqual(made.map((m) => m.tool));
  });

  it('each line has the documented fields and the call outcome', () => {
    for (const [i, line] of lines.entries()) {
      const call = made[i];
      expect(
        Object.keys(line).every((k) =>
          ['ts', 'tool', 'args', 'outcome', 'status', 'requestId', 'durationMs'].includes(k),
        ),
      ).toBe(true);
      expect(Number.isNaN(Date.parse(line.ts))).toBe(false);
      expect(line.durationMs).toBeGreaterThanOrEqual(0);
      expect(line.outcome, line.tool).toBe(call?.result.isError ? 'error' : 'ok');
    }
    expect(lines.some((l) => l.outcome === 'ok')).toBe(true);
    expect(lines.some((l) => l.outcome === 'error')).toBe(true);
  });

  it("status and request id are those of the call's last upstream answer, absent when nothing was sent", () => {
    let withStatus = 0;
    for (const [i, line] of lines.entries()) {
      const last = made[i]?.upstream.at(-1);
      expect({ status: line.status, requestId: line.requestId }, line.tool).toEqual({
        status: last?.status,
        requestId: last?.requestId,
      });
      if (line.status !== undefined) withStatus++;
    }
    expect(withStatus).toBeGreaterThan(0);
    expect(lines.some((l) => l.status === 409 && l.outcome === 'error')).toBe(true);
  });

  it('arguments are logged redacted: registered secrets replaced, secret-named fields masked', () => {
    const text = readFileSync(file, 'utf8');
    for (const value of Object.values(ups.secrets)) expect(text.includes(value)).toBe(false);
    expect(text).toContain('[REDACTED]');
    let masked = 0;
    for (const [i, call] of made.entries()) {
      for (const [path, value] of secretFields(call.args)) {
        expect(at(lines[i]?.args, path), `${call.tool} ${path.join('.')}`).toBe('[REDACTED]');
        if (value.length >= 4) expect(JSON.stringify(lines[i]?.args)).not.toContain(JSON.stringify(value));
        masked++;
      }
    }
    const schemasWithSecrets = tools.filter(
      (t) => t.annotations?.readOnlyHint === false && propertyNames(t.inputSchema).some(isSecretName),
    );
    if (schemasWithSecrets.length > 0)
      expect(masked, schemasWithSecrets.map((t) => t.name).join(', ')).toBeGreaterThan(0);
    // Other fields are kept as sent.
    const plain = made.findIndex(
      (m) =>
        Object.keys(m.args).length > 0 &&
        secretFields(m.args).length === 0 &&
        !JSON.stringify(m.args).includes('DISTINCT'),
    );
    expect(plain).toBeGreaterThanOrEqual(0);
    expect(lines[plain]?.args).toEqual(made[plain]?.args);
  });
});

describe('audit log that cannot be written', { timeout: 60_000 }, () => {
  it('costs one warning line; the write calls still succeed', async () => {
    const s = await connectStdio(['--sandbox'], childEnv({ SYN_MCP_AUDIT_LOG: dir }));
    const { tools } = await s.client.listTools();
    const write = tools.find(
      (t) => t.annotations?.readOnlyHint === false && !(t.inputSchema.required ?? []).length,
    );
    const target = write ?? tools.find((t) => t.annotations?.readOnlyHint === false);
    if (!target) throw new Error('no write tool offered by --sandbox');
    const [args = {}] = fc.sample(validArgs(target.inputSchema as Schema), { numRuns: 1, seed: 5 });
    const results = [
      await callTool(s.client, target.name, args),
      await callTool(s.client, target.name, args),
    ];
    for (const r of results) expect(r.content.length).toBeGreaterThan(0);
    await s.stderr.waitFor(/audit log .* cannot write/);
    await s.client.ping();
    expect(s.stderr.lines().filter((l) => /audit log/.test(l))).toHaveLength(1);
  });
});
