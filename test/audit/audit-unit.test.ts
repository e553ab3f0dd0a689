import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { auditLine, isSecretName, openAuditLog, redactArgs, upstreamTrace } from '../../src/audit.js';
import { registerSecret } from '../../src/http/redact.js';
import type { Logger } from '../../src/log.js';

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
  it('keeps the status and request id of the last answer, errors included', () => {
    const { trace, observe } = upstreamTrace();
    expect(trace).toEqual({});
    observe({ status: 201, requestId: 'rq-1' });
    expect(trace).toEqual({ status: 201, requestId: 'rq-1' });
    observe({ status: 404 });
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

describe('audit: entries it cannot serialise as they are (issue 17)', () => {
  const base = { ts: new Date(0).toISOString(), outcome: 'ok' as const, durationMs: 1 };

  it('logs a cyclic, too deep, BigInt or throwing call marked incomplete, and stays on for later calls', async () => {
    const file = join(dir, 'hostile.jsonl');
    const { log, warnings } = capturingLogger();
    const sink = openAuditLog(file, log);
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    let deep: Record<string, unknown> = { leaf: 'audit-unit-secret-0f9e8d' };
    for (let i = 0; i < 5_000; i++) deep = { d: deep };
    const throwing = {
      get boom(): string {
        throw new Error('getter failed');
      },
    };
    sink.write({ ...base, tool: 'cyclic', args: cyclic });
    sink.write({ ...base, tool: 'deep', args: deep });
    sink.write({ ...base, tool: 'bigint', args: { amount: 12345678901234567890n } });
    sink.write({ ...base, tool: 'throwing', args: throwing });
    sink.write({ ...base, tool: 'after', args: { name: 'fine' } });
    await sink.close();
    const lines = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l.tool)).toEqual(['cyclic', 'deep', 'bigint', 'throwing', 'after']);
    expect(lines.slice(0, 4).every((l) => l.incomplete === true)).toBe(true);
    expect(lines[4]).toEqual({ ...base, tool: 'after', args: { name: 'fine' } });
    expect(lines[0]?.args).toEqual({ name: 'loop', self: expect.stringMatching(/circular/) });
    expect(JSON.stringify(lines[1])).toMatch(/nested deeper than 16 levels/);
    expect(JSON.stringify(lines[1]).match(/"d":/g)?.length).toBeLessThanOrEqual(16);
    expect(lines[2]?.args).toEqual({ amount: '12345678901234567890n' });
    expect(lines[3]?.args).toEqual(expect.stringMatching(/cannot be serialised/));
    expect(warnings).toEqual([]);
  });

  it('a value deeper than the bound is never written unredacted', () => {
    registerSecret('audit-unit-secret-0f9e8d');
    let deep: unknown = { note: 'audit-unit-secret-0f9e8d', password: 'hunter22' };
    for (let i = 0; i < 40; i++) deep = [deep];
    const line = auditLine({ ...base, tool: 'deep', args: redactArgs(deep) });
    expect(line).not.toContain('audit-unit-secret-0f9e8d');
    expect(line).not.toContain('hunter22');
    expect(JSON.parse(line)).toMatchObject({ incomplete: true });
  });

  it("redacts the upstream's request id like every other string", () => {
    const secret = 'audit-rid-secret-77aa66';
    registerSecret(secret);
    const line = auditLine({ ...base, tool: 'w', args: {}, status: 200, requestId: `req-${secret}` });
    expect(line).not.toContain(secret);
    expect(JSON.parse(line)).toMatchObject({ requestId: 'req-[REDACTED]' });
    // The key as base64 in a request id is a secret too.
    const b64 = Buffer.from(secret).toString('base64');
    expect(auditLine({ ...base, tool: 'w', args: {}, requestId: b64 })).not.toContain(b64);
  });
});
