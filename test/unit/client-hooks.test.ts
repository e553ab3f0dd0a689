/**
 * What a request and a view are built with instead of side channels: a request's correlation id and its
 * observer, and the key rotations a view shares with other replicas.
 */
import { MockAgent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AuthError,
  NetworkError,
  NotConfiguredError,
  RateLimitError,
  RedirectError,
} from '../../src/errors.js';
import { HttpClient } from '../../src/http/client.js';
import { RateLimiter } from '../../src/http/ratelimit.js';
import { redact } from '../../src/http/redact.js';
import type { Endpoint, UpstreamAnswer } from '../../src/http/request.js';
import { createLogger, parseLogLines } from '../../src/log.js';
import { MemoryRateStore } from '../../src/state/rates.js';
import type { SharedCache } from '../../src/state/redis-cache.js';
import { SharedRotations } from '../../src/state/rotation.js';

const ORIGIN = 'https://api.test';
const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);

const agents: MockAgent[] = [];
afterEach(async () => {
  for (const a of agents.splice(0)) await a.close();
});

function mockAgent(): MockAgent {
  const agent = new MockAgent({ enableCallHistory: true });
  agent.disableNetConnect();
  agents.push(agent);
  return agent;
}

/** A SyncGuard endpoint with its own credential objects (each replica holds its own copy). */
function syncguard(secret: string): Endpoint {
  return {
    service: 'syncguard',
    baseUrl: `${ORIGIN}/api/v1`,
    credentials: { apiKey: { env: 'SYNCGUARD_API_KEY', header: 'X-Api-Key', scheme: 'raw', secret } },
    defaultCredential: 'apiKey',
    missingEnv: 'SYNCGUARD_API_KEY',
  };
}

function synap(): Endpoint {
  return {
    service: 'synap',
    baseUrl: ORIGIN,
    credentials: {
      apiKey: { env: 'SYNAP_API_KEY', header: 'Authorization', scheme: 'bearer', secret: 'synap_0123456789' },
    },
    defaultCredential: 'apiKey',
    missingEnv: 'SYNAP_API_KEY',
  };
}

function client(agent: MockAgent, rates?: RateLimiter): HttpClient {
  const clock = { t: T0 };
  return new HttpClient({
    dispatcher: agent,
    now: () => clock.t,
    random: () => 0.5,
    sleep: async (ms) => {
      clock.t += ms;
    },
    rates,
  });
}

/** An observer and what it was told. */
function observer(): { seen: UpstreamAnswer[]; observe: (answer: UpstreamAnswer) => void } {
  const seen: UpstreamAnswer[] = [];
  return { seen, observe: (answer) => seen.push(answer) };
}

describe('RequestOptions.correlationId', () => {
  it('is sent as x-correlation-id on every attempt', async () => {
    const agent = mockAgent();
    const pool = agent.get(ORIGIN);
    pool.intercept({ path: '/v1/memories', method: 'GET' }).reply(503, { error: 'down' });
    pool.intercept({ path: '/v1/memories', method: 'GET' }).reply(200, []);
    await client(agent).view(synap()).get('/v1/memories', { correlationId: 'call-42' });
    const calls = agent.getCallHistory()?.calls() ?? [];
    expect(calls.map((c) => c.headers?.['x-correlation-id'])).toEqual(['call-42', 'call-42']);
  });

  it('is not sent when the request has none', async () => {
    const agent = mockAgent();
    agent.get(ORIGIN).intercept({ path: '/v1/memories', method: 'GET' }).reply(200, []);
    await client(agent).view(synap()).get('/v1/memories');
    expect(agent.getCallHistory()?.lastCall()?.headers?.['x-correlation-id']).toBeUndefined();
  });
});

describe('RequestOptions.observe: told the final upstream answer once', () => {
  it('a success: its status and request id, once, after the retries', async () => {
    const agent = mockAgent();
    const pool = agent.get(ORIGIN);
    pool.intercept({ path: '/v1/memories', method: 'GET' }).reply(503, { error: 'down' });
    pool
      .intercept({ path: '/v1/memories', method: 'GET' })
      .reply(200, [], { headers: { 'x-request-id': 'req-7' } });
    const o = observer();
    await client(agent).view(synap()).get('/v1/memories', { observe: o.observe });
    expect(o.seen).toEqual([{ status: 200, requestId: 'req-7' }]);
  });

  it('an error status: the status and request id of the UpstreamError thrown', async () => {
    const agent = mockAgent();
    agent
      .get(ORIGIN)
      .intercept({ path: '/v1/memories/m1', method: 'GET' })
      .reply(404, { error: 'Memory not found', code: 'NOT_FOUND' }, { headers: { 'x-request-id': 'req-8' } });
    const o = observer();
    const err = await client(agent)
      .view(synap())
      .get('/v1/memories/m1', { observe: o.observe })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 404 });
    expect(o.seen).toEqual([{ status: 404, requestId: 'req-8' }]);
  });

  it('a request the rate budget held back (a local 429): told as audit.ts notes it, no request id', async () => {
    const agent = mockAgent();
    agent.get(ORIGIN).intercept({ path: '/v1/memories', method: 'GET' }).reply(200, []).persist();
    const now = () => T0;
    const rates = new RateLimiter(
      new MemoryRateStore(now),
      { synap: { limit: 1, windowMs: 60_000 } },
      now,
      () => 0,
    );
    const view = client(agent, rates).view(synap());
    await view.get('/v1/memories');
    const o = observer();
    const err = await view
      .get('/v1/memories', { observe: o.observe, deadline: T0 + 1_000 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitError);
    expect(err).toMatchObject({ code: 'RATE_BUDGET', local: true });
    expect(o.seen).toEqual([{ status: 429, requestId: undefined }]);
    expect(agent.getCallHistory()?.calls()).toHaveLength(1);
  });

  it('a redirect (a local UpstreamError): its 3xx status', async () => {
    const agent = mockAgent();
    agent
      .get(ORIGIN)
      .intercept({ path: '/v1/memories', method: 'GET' })
      .reply(302, '', { headers: { location: 'https://elsewhere.test/login' } });
    const o = observer();
    const err = await client(agent)
      .view(synap())
      .get('/v1/memories', { observe: o.observe })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RedirectError);
    expect(o.seen).toEqual([{ status: 302, requestId: undefined }]);
  });

  it('a stream: the status the stream opened with', async () => {
    const agent = mockAgent();
    agent
      .get(ORIGIN)
      .intercept({ path: '/v1/events', method: 'GET' })
      .reply(200, 'data: {}\n\n', {
        headers: { 'content-type': 'text/event-stream', 'x-request-id': 'req-9' },
      });
    const o = observer();
    const stream = await client(agent)
      .view(synap())
      .stream({ method: 'GET', path: '/v1/events', observe: o.observe });
    for await (const _event of stream.events) {
      // drained
    }
    expect(o.seen).toEqual([{ status: 200, requestId: 'req-9' }]);
  });

  it('not called for a network error, nor for a request never sent for want of a credential', async () => {
    const agent = mockAgent();
    agent
      .get(ORIGIN)
      .intercept({ path: '/v1/memories', method: 'GET' })
      .replyWithError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))
      .persist();
    const o = observer();
    const view = client(agent).view(synap());
    await expect(view.get('/v1/memories', { observe: o.observe })).rejects.toBeInstanceOf(NetworkError);
    await expect(
      view.get('/v1/memories', { observe: o.observe, credential: 'other' }),
    ).rejects.toBeInstanceOf(NotConfiguredError);
    expect(o.seen).toEqual([]);
  });
});

/** The shared cache of Redis, in memory, counting its writes. */
function memoryCache(): SharedCache & { sets: number } {
  const values = new Map<string, string>();
  const cache = {
    sets: 0,
    async get(key: string) {
      return values.get(key);
    },
    async set(key: string, value: string) {
      values.set(key, value);
      cache.sets++;
    },
    async deleteIf(key: string, value: string) {
      if (values.get(key) === value) values.delete(key);
    },
    async lock() {
      return true;
    },
    async unlock() {},
  };
  return cache;
}

describe('a view built with shared key rotations', () => {
  const OLD = 'sg_old_key_0123456789';
  const NEW = 'sg_new_key_9876543210';

  function replicas() {
    const agent = mockAgent();
    const cache = memoryCache();
    const log = { text: '' };
    const rotations = new SharedRotations(
      cache,
      createLogger('info', (line) => {
        log.text += line;
      }),
    );
    const http = client(agent);
    return {
      agent,
      cache,
      log,
      a: http.view(syncguard(OLD), { rotations }),
      b: http.view(syncguard(OLD), { rotations }),
    };
  }

  it('a 401 on a key another replica rotated: switches to the new key and sends once more', async () => {
    const { agent, cache, log, a, b } = replicas();
    const pool = agent.get(ORIGIN);
    pool
      .intercept({ path: '/api/v1/workspaces/me', method: 'GET', headers: { 'x-api-key': OLD } })
      .reply(401, { isSuccess: false, message: 'Invalid API key' });
    pool
      .intercept({ path: '/api/v1/workspaces/me', method: 'GET', headers: { 'x-api-key': NEW } })
      .reply(200, { isSuccess: true, data: { id: 'w1' } });
    a.setSecret('apiKey', NEW);
    // Published at once: the in-memory cache's write lands before setSecret returns.
    expect(cache.sets).toBe(1);
    const o = observer();
    await expect(b.get('/workspaces/me', { observe: o.observe })).resolves.toEqual({ id: 'w1' });
    expect(b.endpoint.credentials.apiKey?.secret).toBe(NEW);
    expect(
      agent
        .getCallHistory()
        ?.calls()
        .map((c) => c.headers?.['x-api-key']),
    ).toEqual([OLD, NEW]);
    expect(o.seen).toEqual([{ status: 200, requestId: undefined }]);
    // The key learned from elsewhere is not published again, and is redacted from then on.
    expect(cache.sets).toBe(1);
    expect(redact(`key ${NEW}`)).not.toContain(NEW);
    expect(parseLogLines(log.text).map((l) => l.msg)).toContain(
      'syncguard: switched to the key another replica rotated to',
    );
  });

  it('a 401 with no rotation known is the AuthError, after one request', async () => {
    const { agent, b } = replicas();
    agent
      .get(ORIGIN)
      .intercept({ path: '/api/v1/workspaces/me', method: 'GET' })
      .reply(401, { isSuccess: false, message: 'Invalid API key' });
    const o = observer();
    await expect(b.get('/workspaces/me', { observe: o.observe })).rejects.toBeInstanceOf(AuthError);
    expect(agent.getCallHistory()?.calls()).toHaveLength(1);
    expect(o.seen).toEqual([{ status: 401, requestId: undefined }]);
  });

  it('a 401 on an explicit bearer secret is not retried with a rotated key', async () => {
    const { agent, cache, a, b } = replicas();
    agent
      .get(ORIGIN)
      .intercept({ path: '/api/v1/workspaces', method: 'POST' })
      .reply(401, { isSuccess: false, message: 'Invalid token' });
    a.setSecret('apiKey', NEW);
    // Published at once: the in-memory cache's write lands before setSecret returns.
    expect(cache.sets).toBe(1);
    const bearer = { secret: 'minted-token-123456', env: 'SYNCGUARD_JWT' };
    await expect(b.post('/workspaces', { body: {}, bearer })).rejects.toBeInstanceOf(AuthError);
    expect(agent.getCallHistory()?.calls()).toHaveLength(1);
    expect(b.endpoint.credentials.apiKey?.secret).toBe(OLD);
  });

  it('setting the same secret again publishes nothing', () => {
    const { cache, a } = replicas();
    a.setSecret('apiKey', OLD);
    expect(cache.sets).toBe(0);
  });
});
