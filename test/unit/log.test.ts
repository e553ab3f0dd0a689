import { MockAgent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig, secretsOf } from '../../src/config.js';
import {
  AuthError,
  BadRequestError,
  InputError,
  NetworkError,
  NotFoundError,
  RateLimitError,
  ServerError,
} from '../../src/errors.js';
import { HttpClient } from '../../src/http/client.js';
import { registerSecret } from '../../src/http/redact.js';
import { createLogger, type LogLine, logToolFailure, parseLogLines } from '../../src/log.js';
import { createSynapEmulator, type SynapEmulator } from '../../src/sandbox/synap/index.js';
import { createServer } from '../../src/server.js';
import { createApiViews } from '../../src/services.js';
import { selectTools } from '../../src/toolsets.js';
import { TOOLSETS } from '../../tools/index.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function capture(level: 'debug' | 'info' | 'warn' | 'error' = 'debug') {
  const lines: string[] = [];
  const log = createLogger(level, (l) => lines.push(l));
  return { log, lines, parsed: (): LogLine[] => lines.map((l) => JSON.parse(l) as LogLine) };
}

describe('JSON log lines', () => {
  it('adds fields, leaves out undefined ones and never lets a field replace ts, level or msg', () => {
    const { log, parsed } = capture();
    log.info('hello', { service: 'synap', status: 503, retry: false, requestId: undefined, level: 'x' });
    const [line] = parsed();
    expect(Object.keys(line ?? {})).toEqual(['ts', 'level', 'msg', 'service', 'status', 'retry']);
    expect(line).toMatchObject({ level: 'info', msg: 'hello', service: 'synap', status: 503, retry: false });
    expect(Date.parse(line?.ts ?? '')).not.toBeNaN();
  });

  it('redacts secrets in fields and secrets that JSON escaping would hide from a whole-line pass', () => {
    const quoted = 'k3y"with\\quotes-and-slashes';
    const plain = 'sg_field_secret_0123456789';
    registerSecret(quoted);
    registerSecret(plain);
    const { log, lines } = capture();
    log.warn(`echo ${quoted}`, { detail: `${plain} and ${quoted}` });
    log.error('failed', new Error(`boom ${quoted}`), { tool: plain });
    const text = lines.join('');
    for (const s of [quoted, plain, JSON.stringify(quoted).slice(1, -1)]) expect(text).not.toContain(s);
    expect(parseLogLines(text).map((l) => l.msg)).toEqual(['echo [REDACTED]', 'failed']);
  });

  it('parseLogLines reads JSON lines and skips anything else', () => {
    const text = 'not json\n{"ts":"t","level":"info","msg":"a"}\n{"broken\n{"x":1}\n';
    expect(parseLogLines(text)).toEqual([{ ts: 't', level: 'info', msg: 'a' }]);
  });
});

describe('logToolFailure', () => {
  const upstream = { service: 'syncguard' as const, method: 'GET', message: 'm', requestId: 'req-9' };

  it.each([
    ['401', new AuthError({ ...upstream, status: 401 }), 'warn'],
    ['403', new AuthError({ ...upstream, status: 403 }), 'warn'],
    ['429', new RateLimitError({ ...upstream, status: 429 }), 'warn'],
    ['503', new ServerError({ ...upstream, status: 503 }), 'warn'],
    ['400', new BadRequestError({ ...upstream, status: 400 }), 'debug'],
    ['404', new NotFoundError({ ...upstream, status: 404 }), 'debug'],
  ])(
    'an upstream %s is logged at %s with service, status, request id and correlation id',
    (_s, err, level) => {
      const { log, parsed } = capture();
      logToolFailure(log, 'list_incidents', err, 'corr-1');
      expect(parsed()).toEqual([
        {
          ts: expect.any(String),
          level,
          msg: `tool list_incidents: ${err.name}: ${err.message}`,
          tool: 'list_incidents',
          correlationId: 'corr-1',
          service: 'syncguard',
          status: err.status,
          requestId: 'req-9',
        },
      ]);
    },
  );

  it('network failures at warn with their kind; input errors at debug; the unexpected at error with a stack', () => {
    const { log, parsed } = capture();
    logToolFailure(log, 'get_memory', new NetworkError('synap', 'timeout', 'GET', true, 'slow'), 'c1');
    logToolFailure(log, 'get_memory', new InputError('bad'), 'c2');
    logToolFailure(log, 'get_memory', new TypeError('oops'), 'c3');
    const [net, input, crash] = parsed();
    expect(net).toMatchObject({ level: 'warn', service: 'synap', failure: 'timeout', correlationId: 'c1' });
    expect(input).toMatchObject({ level: 'debug', correlationId: 'c2' });
    expect(input).not.toHaveProperty('service');
    expect(crash).toMatchObject({
      level: 'error',
      msg: 'tool get_memory failed unexpectedly',
      correlationId: 'c3',
    });
    expect(crash?.err).toMatch(/^TypeError: oops\n\s+at /);
  });
});

describe('upstream error lines carry the request id and the correlation id sent upstream', () => {
  let synap: SynapEmulator | undefined;
  afterEach(async () => {
    await synap?.close();
    synap = undefined;
  });

  function serverWith(env: Record<string, string>, http: HttpClient, log: ReturnType<typeof capture>['log']) {
    const config = loadConfig(['--toolsets', 'all'], env);
    for (const s of secretsOf(config)) registerSecret(s);
    const views = createApiViews(http, config);
    return createServer({
      tools: selectTools(TOOLSETS, views.configured, config).tools,
      api: views,
      log,
      version: 'test',
      callDeadlineMs: 10_000,
    });
  }

  it('SyncGuard 500 with x-request-id: the line has both, and the correlation id is the header sent', async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    const sent: string[] = [];
    agent
      .get('https://sg.test')
      .intercept({ path: '/api/v1/incidents', query: { pageSize: '25' }, method: 'GET' })
      .reply((req) => {
        const headers = req.headers as Record<string, string>;
        sent.push(headers['x-correlation-id'] ?? '');
        return {
          statusCode: 500,
          data: { isSuccess: false, errorCode: 5, message: 'db down' },
          responseOptions: { headers: { 'content-type': 'application/json', 'x-request-id': 'sg-req-77' } },
        };
      });
    const http = new HttpClient({ dispatcher: agent, policy: { maxRetries: 0 } });
    const { log, parsed } = capture('info');
    const server = serverWith(
      { SYNCGUARD_API_KEY: 'sg_log_test_key_000000', SYNCGUARD_BASE_URL: 'https://sg.test/api/v1' },
      http,
      log,
    );
    const result = await server.call('list_incidents', {}, { signal: new AbortController().signal });
    expect(result.isError).toBe(true);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatch(UUID);
    const lines = parsed().filter((l) => l.tool === 'list_incidents');
    expect(lines).toEqual([
      {
        ts: expect.any(String),
        level: 'warn',
        msg: expect.stringMatching(/^tool list_incidents: ServerError: SyncGuard answered HTTP 500: db down/),
        tool: 'list_incidents',
        correlationId: sent[0],
        service: 'syncguard',
        status: 500,
        requestId: 'sg-req-77',
        code: '5',
      },
    ]);
    await agent.close();
  });

  it('Synap echoes X-Correlation-ID: a 503 line names it as request id and correlation id; calls differ', async () => {
    synap = createSynapEmulator();
    const url = await synap.listen();
    const http = new HttpClient({ policy: { maxRetries: 0 } });
    const { log, parsed } = capture('info');
    const server = serverWith({ SYNAP_API_KEY: synap.apiKey, SYNAP_BASE_URL: url }, http, log);
    synap.inject({ fault: { kind: 'status', status: 503 }, times: 2 });
    const signal = new AbortController().signal;
    await server.call('get_memory', { memory_id: 'm-1' }, { signal });
    await server.call('get_memory', { memory_id: 'm-2' }, { signal });
    await http.close();
    const sent = synap.requests.map((r) => r.headers['x-correlation-id']);
    expect(sent).toHaveLength(2);
    expect(sent[0]).not.toBe(sent[1]);
    const lines = parsed().filter((l) => l.tool === 'get_memory');
    expect(lines.map((l) => [l.level, l.service, l.status, l.correlationId, l.requestId])).toEqual([
      ['warn', 'synap', 503, sent[0], sent[0]],
      ['warn', 'synap', 503, sent[1], sent[1]],
    ]);
  });
});
