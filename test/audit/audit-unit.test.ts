import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isSecretName, openAuditLog, redactArgs, traceUpstream } from '../../src/audit.js';
import { NotFoundError } from '../../src/errors.js';
import { registerSecret } from '../../src/http/redact.js';
import type { Logger } from '../../src/log.js';
import type { ApiViews } from '../../src/tool.js';

const dir = mkdtempSync(join(tmpdir(), 'syn-mcp-audit-unit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function capturingLogger(): { log: Logger; warnings: string[]; warned: Promise<string> } {
  const warnings: string[] = [];
  let resolve: (line: string) => void = () => {};
  const warned = new Promise<string>((r) => {
    resolve = r;
  });
  const log: Logger = {
    debug() {},
    info() {},
    warn(msg) {
      warnings.push(msg);
      resolve(msg);
    },
    error() {},
  };
  return { log, warnings, warned };
}

describe('audit: argument redaction', () => {
  it.each([
    ['apiKey', true],
    ['api_key', true],
    ['key', true],
    ['webhookUrl', true],
    ['routingKey', true],
    ['password', true],
    ['client_secret', true],
    ['accessToken', true],
    ['Authorization', true],
    ['integrationKey', false],
    ['idempotencyKey', false],
    ['name', false],
    ['tenantId', false],
  ])('%s looks secret: %s', (name, secret) => {
    expect(isSecretName(name)).toBe(secret);
  });

  it('masks secret-named fields at any depth, replaces registered secrets, keeps the rest', () => {
    registerSecret('audit-unit-secret-0f9e8d');
    const args = {
      name: 'team',
      note: 'uses audit-unit-secret-0f9e8d today',
      config: { webhookUrl: 'https://hooks.example/abc', nested: [{ password: 'hunter22' }] },
      token_ttl: 3600,
      apiKey: null,
    };
    expect(redactArgs(args)).toEqual({
      name: 'team',
      note: 'uses [REDACTED] today',
      config: { webhookUrl: '[REDACTED]', nested: [{ password: '[REDACTED]' }] },
      token_ttl: 3600,
      apiKey: null,
    });
  });
});

describe('audit: upstream trace', () => {
  it('notes the status and request id of the last answer, errors included, through shorthand methods', async () => {
    type Answer = { status: number; requestId: string; data: unknown };
    let answer: () => Promise<Answer> = async () => ({ status: 201, requestId: 'rq-1', data: {} });
    const view = {
      request(): Promise<Answer> {
        return answer();
      },
      async post(this: { request(): Promise<Answer> }) {
        return (await this.request()).data;
      },
    };
    const { api, trace } = traceUpstream({ synap: view } as unknown as ApiViews);
    const traced = api.synap as unknown as typeof view;
    await traced.post();
    expect(trace).toEqual({ status: 201, requestId: 'rq-1' });
    answer = async () => {
      throw new NotFoundError({ service: 'synap', status: 404, method: 'GET', message: 'gone' });
    };
    await expect(traced.request()).rejects.toBeInstanceOf(NotFoundError);
    expect(trace).toEqual({ status: 404 });
  });
});

describe('audit: the log file', () => {
  it('appends one JSON line per entry and flushes on close', async () => {
    const file = join(dir, 'ok.jsonl');
    const { log, warnings } = capturingLogger();
    const sink = openAuditLog(file, log);
    const entry = {
      ts: new Date(0).toISOString(),
      tool: 't',
      args: {},
      outcome: 'ok' as const,
      durationMs: 1,
    };
    sink.write(entry);
    sink.write({ ...entry, tool: 'u', outcome: 'error', status: 500 });
    await sink.close();
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines.map((l) => JSON.parse(l) as { tool: string })).toEqual([
      entry,
      { ...entry, tool: 'u', outcome: 'error', status: 500 },
    ]);
    expect(warnings).toEqual([]);
  });

  it('a file that cannot be opened is one warning, and writing goes on without throwing', async () => {
    const { log, warnings, warned } = capturingLogger();
    const sink = openAuditLog(join(dir, 'missing', 'dir', 'audit.jsonl'), log);
    const entry = {
      ts: new Date(0).toISOString(),
      tool: 't',
      args: {},
      outcome: 'ok' as const,
      durationMs: 1,
    };
    sink.write(entry);
    expect(await warned).toMatch(/audit log .* cannot write \(ENOENT\)/);
    sink.write(entry);
    sink.write(entry);
    await sink.close();
    expect(warnings).toHaveLength(1);
  });
});
