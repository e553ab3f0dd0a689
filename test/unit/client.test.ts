import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Interceptable, MockAgent, type MockCallHistoryLog } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AuthError,
  BadRequestError,
  CancelledError,
  ConflictError,
  GoneAfterRetryError,
  NetworkError,
  NotConfiguredError,
  NotFoundError,
  RateLimitError,
  ServerError,
  type ServiceName,
  UpstreamError,
} from '../../src/errors.js';
import { HttpClient } from '../../src/http/client.js';
import { type ClientPolicy, parseRetryAfter } from '../../src/http/policy.js';
import type { Credential, Endpoint } from '../../src/http/request.js';
import type { ApiView } from '../../src/http/view.js';

const ORIGIN = 'https://api.test';
const BASE = `${ORIGIN}/api/v1`;
/** A fixed start time on a whole second, so HTTP dates (second precision) convert exactly. */
const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);
const JSON_HEADERS = { 'content-type': 'application/json' };

const bearer = (env: string, secret: string): Credential => ({
  env,
  header: 'Authorization',
  scheme: 'bearer',
  secret,
});

function endpoint(service: ServiceName): Endpoint {
  switch (service) {
    case 'syncguard':
      return {
        service,
        baseUrl: BASE,
        credentials: {
          apiKey: {
            env: 'SYNCGUARD_API_KEY',
            header: 'X-Api-Key',
            scheme: 'raw',
            secret: 'sg_0123456789abcdef',
          },
          jwt: bearer('SYNCGUARD_JWT', 'eyJhbGciOi.jwt-payload.sig'),
        },
        defaultCredential: 'apiKey',
        missingEnv: 'SYNCGUARD_API_KEY',
      };
    case 'synqly':
      return {
        service,
        baseUrl: ORIGIN,
        credentials: {
          org: bearer('SYNQLY_ORG_TOKEN', 'org-token-123456'),
          integration: bearer('SYNQLY_INTEGRATION_TOKEN', 'integration-token-654321'),
        },
        defaultCredential: 'org',
        missingEnv: 'SYNQLY_ORG_TOKEN',
      };
    case 'synapse':
      return {
        service,
        baseUrl: BASE,
        credentials: { apiKey: bearer('SYNAPSE_API_KEY', 'sk-syn-abcdef0123456789') },
        defaultCredential: 'apiKey',
        missingEnv: 'SYNAPSE_API_KEY',
      };
    case 'synap':
      return {
        service,
        baseUrl: ORIGIN,
        credentials: { apiKey: bearer('SYNAP_API_KEY', 'synap_key_0123456789') },
        defaultCredential: 'apiKey',
        missingEnv: 'SYNAP_API_KEY',
      };
    case 'synchronex':
      return {
        service,
        baseUrl: BASE,
        credentials: { apiKey: bearer('SYNCHRONEX_API_KEY', 'sx_live_0123456789') },
        defaultCredential: 'apiKey',
        missingEnv: 'SYNCHRONEX_API_KEY',
      };
  }
}

interface Harness {
  agent: MockAgent;
  pool: Interceptable;
  client: HttpClient;
  clock: { t: number };
  /** Every wait the client asked for, in ms. */
  sleeps: number[];
  view(service: ServiceName, override?: Partial<Endpoint>): ApiView;
  /** Requests that reached the mock. */
  calls(): MockCallHistoryLog[];
}

const agents: MockAgent[] = [];
afterEach(async () => {
  for (const a of agents.splice(0)) await a.close();
});

function harness(
  opts: { policy?: Partial<ClientPolicy>; random?: number; onSleep?: (ms: number) => void } = {},
): Harness {
  const agent = new MockAgent({ enableCallHistory: true });
  agent.disableNetConnect();
  agents.push(agent);
  const clock = { t: T0 };
  const sleeps: number[] = [];
  const client = new HttpClient({
    dispatcher: agent,
    now: () => clock.t,
    random: () => opts.random ?? 0.5,
    sleep: async (ms) => {
      sleeps.push(ms);
      clock.t += ms;
      opts.onSleep?.(ms);
    },
    ...(opts.policy ? { policy: opts.policy } : {}),
  });
  return {
    agent,
    pool: agent.get(ORIGIN),
    client,
    clock,
    sleeps,
    view: (service, override = {}) => client.view({ ...endpoint(service), ...override }),
    calls: () => agent.getCallHistory()?.calls() ?? [],
  };
}

/** Awaits a promise that must reject and returns the rejection. */
async function failure(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected the call to fail, it succeeded');
}

function connectionError(code: string): Error {
  return Object.assign(new Error(`connect ${code}`), { code });
}

function header(call: MockCallHistoryLog | undefined, name: string): string | string[] | undefined {
  return call?.headers?.[name];
}

describe('retries', () => {
  it('retries a GET on 503 at most 2 times, then the ServerError surfaces', async () => {
    const h = harness();
    h.pool
      .intercept({ path: '/api/v1/agents', method: 'GET' })
      .reply(503, { detail: 'overloaded' }, { headers: JSON_HEADERS })
      .persist();
    const err = await failure(h.view('synapse').get('/agents'));
    expect(err).toBeInstanceOf(ServerError);
    expect(err).toMatchObject({ status: 503, apiMessage: 'overloaded', method: 'GET' });
    expect(h.calls()).toHaveLength(3);
    expect(h.sleeps).toHaveLength(2);
  });

  it('returns the data when a retry succeeds', async () => {
    const h = harness();
    h.pool.intercept({ path: '/api/v1/agents', method: 'GET' }).reply(502, 'bad gateway');
    h.pool.intercept({ path: '/api/v1/agents', method: 'GET' }).reply(503, '');
    h.pool
      .intercept({ path: '/api/v1/agents', method: 'GET' })
      .reply(200, [{ id: 'a1' }], { headers: JSON_HEADERS });
    await expect(h.view('synapse').get('/agents')).resolves.toEqual([{ id: 'a1' }]);
    expect(h.calls()).toHaveLength(3);
  });

  it.each([408, 429, 500, 504])('retries a GET on %i', async (status) => {
    const h = harness();
    h.pool.intercept({ path: '/api/v1/agents', method: 'GET' }).reply(status, { detail: 'try again' });
    h.pool.intercept({ path: '/api/v1/agents', method: 'GET' }).reply(200, []);
    await expect(h.view('synapse').get('/agents')).resolves.toEqual([]);
    expect(h.calls()).toHaveLength(2);
  });

  it.each([400, 401, 403, 404, 409, 422])('does not retry a GET on %i', async (status) => {
    const h = harness();
    h.pool.intercept({ path: '/api/v1/agents', method: 'GET' }).reply(status, { detail: 'no' }).persist();
    const err = await failure(h.view('synapse').get('/agents'));
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err).toMatchObject({ status });
    expect(h.calls()).toHaveLength(1);
    expect(h.sleeps).toEqual([]);
  });

  it('retries PUT and DELETE (idempotent methods)', async () => {
    const h = harness();
    h.pool.intercept({ path: '/api/v1/scope', method: 'PUT' }).reply(503, '');
    h.pool.intercept({ path: '/api/v1/scope', method: 'PUT' }).reply(200, { ok: true });
    h.pool
      .intercept({ path: '/api/v1/byok/k1', method: 'DELETE' })
      .replyWithError(connectionError('ECONNRESET'));
    h.pool.intercept({ path: '/api/v1/byok/k1', method: 'DELETE' }).reply(204, '');
    const view = h.view('synchronex');
    await expect(view.request({ method: 'PUT', path: '/scope', body: {} })).resolves.toMatchObject({
      data: { ok: true },
    });
    await expect(view.request({ method: 'DELETE', path: '/byok/k1' })).resolves.toMatchObject({
      status: 204,
      data: null,
    });
    expect(h.calls()).toHaveLength(4);
  });

  it('a DELETE retried after an attempt that may have landed and then answered 404 is gone, not unknown', async () => {
    const h = harness();
    const del = () => h.pool.intercept({ path: '/api/v1/byok/k1', method: 'DELETE' });
    const view = h.view('synchronex');
    del().replyWithError(connectionError('ECONNRESET'));
    del().reply(404, { error: { code: 'NOT_FOUND', message: 'no such credential' } });
    expect(await failure(view.request({ method: 'DELETE', path: '/byok/k1' }))).toBeInstanceOf(
      GoneAfterRetryError,
    );
    del().reply(502, '');
    del().reply(404, '');
    expect(await failure(view.request({ method: 'DELETE', path: '/byok/k1' }))).toBeInstanceOf(
      GoneAfterRetryError,
    );
    // Refused before it was carried out (429), or refused before a byte left: its 404 is plain not found.
    del().reply(429, '');
    del().reply(404, '');
    const refused = await failure(view.request({ method: 'DELETE', path: '/byok/k1' }));
    del().replyWithError(connectionError('ECONNREFUSED'));
    del().reply(404, '');
    const unsent = await failure(view.request({ method: 'DELETE', path: '/byok/k1' }));
    for (const err of [refused, unsent]) {
      expect(err).toBeInstanceOf(NotFoundError);
      expect(err).not.toBeInstanceOf(GoneAfterRetryError);
    }
    expect(h.calls()).toHaveLength(8);
  });

  it('retries a GET after a connection reset and succeeds', async () => {
    const h = harness();
    h.pool.intercept({ path: '/api/v1/agents', method: 'GET' }).replyWithError(connectionError('ECONNRESET'));
    h.pool.intercept({ path: '/api/v1/agents', method: 'GET' }).reply(200, [{ id: 'x' }]);
    await expect(h.view('synapse').get('/agents')).resolves.toEqual([{ id: 'x' }]);
    expect(h.calls()).toHaveLength(2);
  });

  it('surfaces a NetworkError connection failure after the retries of a GET are spent', async () => {
    const h = harness();
    h.pool
      .intercept({ path: '/api/v1/agents', method: 'GET' })
      .replyWithError(connectionError('ECONNRESET'))
      .persist();
    const err = await failure(h.view('synapse').get('/agents'));
    expect(err).toBeInstanceOf(NetworkError);
    expect(err).toMatchObject({ kind: 'connection', method: 'GET' });
    expect(h.calls()).toHaveLength(3);
  });
});

describe('Retry-After and backoff', () => {
  it('waits Retry-After given in seconds when it fits the deadline', async () => {
    const h = harness();
    h.pool
      .intercept({ path: '/api/v1/agents', method: 'GET' })
      .reply(429, { detail: 'slow down' }, { headers: { 'retry-after': '3' } });
    h.pool.intercept({ path: '/api/v1/agents', method: 'GET' }).reply(200, []);
    await expect(h.view('synapse').get('/agents')).resolves.toEqual([]);
    expect(h.sleeps).toEqual([3000]);
    expect(h.calls()).toHaveLength(2);
  });

  it('waits Retry-After given as an HTTP date when it fits the deadline', async () => {
    const h = harness();
    const date = new Date(T0 + 7000).toUTCString();
    h.pool
      .intercept({ path: '/api/v1/agents', method: 'GET' })
      .reply(503, { detail: 'maintenance' }, { headers: { 'retry-after': date } });
    h.pool.intercept({ path: '/api/v1/agents', method: 'GET' }).reply(200, []);
    await expect(h.view('synapse').get('/agents')).resolves.toEqual([]);
    expect(h.sleeps).toEqual([7000]);
  });

  it('does not wait a Retry-After (seconds) beyond the deadline: the 429 carries retryAfterSeconds', async () => {
    const h = harness();
    h.pool
      .intercept({ path: '/api/v1/agents', method: 'GET' })
      .reply(429, { detail: 'quota' }, { headers: { 'retry-after': '20' } })
      .persist();
    const err = await failure(
      h.view('synapse').request({ method: 'GET', path: '/agents', deadline: T0 + 10_000 }),
    );
    expect(err).toBeInstanceOf(RateLimitError);
    expect(err).toMatchObject({ status: 429, retryAfterSeconds: 20, apiMessage: 'quota' });
    expect(h.sleeps).toEqual([]);
    expect(h.calls()).toHaveLength(1);
  });

  it('does not wait a Retry-After (HTTP date) beyond the deadline', async () => {
    const h = harness();
    const date = new Date(T0 + 120_000).toUTCString();
    h.pool
      .intercept({ path: '/api/v1/agents', method: 'GET' })
      .reply(429, { detail: 'quota' }, { headers: { 'retry-after': date } })
      .persist();
    const err = await failure(h.view('synapse').get('/agents'));
    expect(err).toBeInstanceOf(RateLimitError);
    expect(err).toMatchObject({ retryAfterSeconds: 120 });
    expect(h.sleeps).toEqual([]);
    expect(h.calls()).toHaveLength(1);
  });

  it('does not wait a Retry-After longer than maxRetryAfterMs even inside the deadline', async () => {
    const h = harness({ policy: { maxRetryAfterMs: 5_000 } });
    h.pool
      .intercept({ path: '/api/v1/agents', method: 'GET' })
      .reply(429, { detail: 'later' }, { headers: { 'retry-after': '6' } })
      .persist();
    const err = await failure(h.view('synapse').get('/agents'));
    expect(err).toMatchObject({ name: 'RateLimitError', retryAfterSeconds: 6 });
    expect(h.sleeps).toEqual([]);
  });

  it('parses Retry-After: seconds, fractions, HTTP dates, dates in the past, garbage', () => {
    expect(parseRetryAfter('5', T0)).toBe(5000);
    expect(parseRetryAfter(' 1.5 ', T0)).toBe(1500);
    expect(parseRetryAfter(new Date(T0 + 30_000).toUTCString(), T0)).toBe(30_000);
    // A date gone by, zero or a negative number: a brief pause, never a retry at once.
    expect(parseRetryAfter(new Date(T0 - 30_000).toUTCString(), T0)).toBe(1_000);
    expect(parseRetryAfter('0', T0)).toBe(1_000);
    expect(parseRetryAfter('-5', T0)).toBe(1_000);
    // Capped at an hour, as seconds, as a far HTTP date, and as more digits than a double holds.
    expect(parseRetryAfter('99999999999', T0)).toBe(3_600_000);
    expect(parseRetryAfter(new Date(T0 + 10 * 365 * 86_400_000).toUTCString(), T0)).toBe(3_600_000);
    expect(parseRetryAfter('9'.repeat(400), T0)).toBe(3_600_000);
    expect(parseRetryAfter('soon', T0)).toBeUndefined();
    expect(parseRetryAfter('', T0)).toBeUndefined();
    expect(parseRetryAfter(undefined, T0)).toBeUndefined();
  });

  it('backs off exponentially from 0.5 s to 8 s, with jitter between 50 % and 100 % of the step', () => {
    const steps = [500, 1000, 2000, 4000, 8000, 8000, 8000];
    const low = new HttpClient({ random: () => 0 });
    const high = new HttpClient({ random: () => 0.999999 });
    steps.forEach((step, retry) => {
      expect(low.backoffMs(retry)).toBe(step / 2);
      expect(high.backoffMs(retry)).toBe(step);
    });
    for (let i = 0; i < 50; i++) {
      const r = i / 50;
      const c = new HttpClient({ random: () => r });
      steps.forEach((step, retry) => {
        const ms = c.backoffMs(retry);
        expect(ms).toBeGreaterThanOrEqual(step / 2);
        expect(ms).toBeLessThanOrEqual(step);
      });
    }
  });

  it('sleeps the jittered backoff between attempts when there is no Retry-After', async () => {
    const low = harness({ random: 0 });
    low.pool.intercept({ path: '/api/v1/agents', method: 'GET' }).reply(503, '').persist();
    await failure(low.view('synapse').get('/agents'));
    expect(low.sleeps).toEqual([250, 500]);

    const high = harness({ random: 0.999999 });
    high.pool.intercept({ path: '/api/v1/agents', method: 'GET' }).reply(503, '').persist();
    await failure(high.view('synapse').get('/agents'));
    expect(high.sleeps).toEqual([500, 1000]);
  });

  it('uses more retries with the larger steps when the policy allows them, capped at 8 s', async () => {
    const h = harness({ random: 0.999999, policy: { maxRetries: 6, callDeadlineMs: 120_000 } });
    h.pool.intercept({ path: '/api/v1/agents', method: 'GET' }).reply(500, '').persist();
    await failure(h.view('synapse').get('/agents'));
    expect(h.sleeps).toEqual([500, 1000, 2000, 4000, 8000, 8000]);
    expect(h.calls()).toHaveLength(7);
  });
});

describe('writes are never replayed blindly', () => {
  it('does not replay a POST after a 5xx', async () => {
    const h = harness();
    h.pool.intercept({ path: '/api/v1/events', method: 'POST' }).reply(503, { message: 'down' }).persist();
    const err = await failure(h.view('syncguard').post('/events', { body: { integrationKey: 'k' } }));
    expect(err).toBeInstanceOf(ServerError);
    expect(err).toMatchObject({ status: 503, method: 'POST' });
    expect(h.calls()).toHaveLength(1);
    expect(h.sleeps).toEqual([]);
  });

  it('does not replay a POST after a 429 either (it carries retryAfterSeconds instead)', async () => {
    const h = harness();
    h.pool
      .intercept({ path: '/api/v1/events', method: 'POST' })
      .reply(
        429,
        { isSuccess: false, statusCode: 429, message: 'Too many' },
        { headers: { 'retry-after': '2' } },
      )
      .persist();
    const err = await failure(h.view('syncguard').post('/events', { body: {} }));
    expect(err).toBeInstanceOf(RateLimitError);
    expect(err).toMatchObject({ retryAfterSeconds: 2 });
    expect(h.calls()).toHaveLength(1);
  });

  it('does not replay a POST after a connection reset', async () => {
    const h = harness();
    h.pool
      .intercept({ path: '/api/v1/events', method: 'POST' })
      .replyWithError(connectionError('ECONNRESET'))
      .persist();
    const err = await failure(h.view('syncguard').post('/events', { body: {} }));
    expect(err).toBeInstanceOf(NetworkError);
    expect(err).toMatchObject({ kind: 'connection', method: 'POST', mayHaveReached: true });
    expect(h.calls()).toHaveLength(1);
  });

  it('does not replay a PATCH after a 5xx', async () => {
    const h = harness();
    h.pool.intercept({ path: '/api/v1/workspaces/me', method: 'PATCH' }).reply(500, {}).persist();
    await expect(
      h.view('syncguard').request({ method: 'PATCH', path: '/workspaces/me', body: { name: 'n' } }),
    ).rejects.toBeInstanceOf(ServerError);
    expect(h.calls()).toHaveLength(1);
  });

  it('does not replay a POST that timed out', async () => {
    const h = harness({ policy: { attemptTimeoutMs: 25 } });
    h.pool
      .intercept({ path: '/api/v1/events', method: 'POST' })
      .reply(200, { isSuccess: true })
      .delay(2_000)
      .persist();
    const err = await failure(h.view('syncguard').post('/events', { body: {} }));
    expect(err).toBeInstanceOf(NetworkError);
    expect(err).toMatchObject({ kind: 'timeout', method: 'POST', mayHaveReached: true });
    expect(h.calls()).toHaveLength(1);
  });

  it('retries a POST carrying an idempotency key and sends the idempotency-key header each time', async () => {
    const h = harness();
    h.pool
      .intercept({ path: '/v1/tokens/acc/int', method: 'POST' })
      .reply(503, { message: 'busy', status: 503 });
    h.pool
      .intercept({ path: '/v1/tokens/acc/int', method: 'POST' })
      .replyWithError(connectionError('ECONNRESET'));
    h.pool
      .intercept({ path: '/v1/tokens/acc/int', method: 'POST' })
      .reply(200, { result: { secret: 'minted' } }, { headers: JSON_HEADERS });
    const data = await h.view('synqly').post('/v1/tokens/acc/int', { body: {}, idempotencyKey: 'idem-42' });
    expect(data).toEqual({ result: { secret: 'minted' } });
    const calls = h.calls();
    expect(calls).toHaveLength(3);
    for (const call of calls) {
      expect(header(call, 'idempotency-key')).toBe('idem-42');
      expect(call.body).toBe('{}');
    }
  });

  it('sends no idempotency-key header when none is given', async () => {
    const h = harness();
    h.pool.intercept({ path: '/api/v1/events', method: 'POST' }).reply(200, { isSuccess: true, data: 1 });
    await h.view('syncguard').post('/events', { body: {} });
    expect(header(h.calls()[0], 'idempotency-key')).toBeUndefined();
  });

  it('retries a POST whose connection was refused before anything was sent', async () => {
    const h = harness();
    h.pool
      .intercept({ path: '/api/v1/events', method: 'POST' })
      .replyWithError(connectionError('ECONNREFUSED'));
    h.pool
      .intercept({ path: '/api/v1/events', method: 'POST' })
      .reply(200, { isSuccess: true, errorCode: 0, data: { eventId: 'e1' } });
    await expect(h.view('syncguard').post('/events', { body: { tenantId: 't' } })).resolves.toEqual({
      eventId: 'e1',
    });
    expect(h.calls()).toHaveLength(2);
    expect(h.sleeps).toHaveLength(1);
  });

  it('reports a refused POST as not sent once the retries are spent', async () => {
    const h = harness();
    h.pool
      .intercept({ path: '/api/v1/events', method: 'POST' })
      .replyWithError(connectionError('ECONNREFUSED'))
      .persist();
    const err = await failure(h.view('syncguard').post('/events', { body: {} }));
    expect(err).toBeInstanceOf(NetworkError);
    expect(err).toMatchObject({ kind: 'connection', mayHaveReached: false, message: 'ECONNREFUSED' });
    expect(h.calls()).toHaveLength(3);
  });
});

describe('timeouts, cancellation and the deadline', () => {
  it('times an attempt out after attemptTimeoutMs: NetworkError kind timeout', async () => {
    const h = harness({ policy: { attemptTimeoutMs: 20, maxRetries: 0 } });
    h.pool.intercept({ path: '/api/v1/agents', method: 'GET' }).reply(200, []).delay(2_000);
    const err = await failure(h.view('synapse').get('/agents'));
    expect(err).toBeInstanceOf(NetworkError);
    expect(err).toMatchObject({ kind: 'timeout', method: 'GET' });
  });

  it('retries a GET that timed out and returns the next answer', async () => {
    const h = harness({ policy: { attemptTimeoutMs: 20 } });
    h.pool
      .intercept({ path: '/api/v1/agents', method: 'GET' })
      .reply(200, [{ id: 'slow' }])
      .delay(2_000);
    h.pool.intercept({ path: '/api/v1/agents', method: 'GET' }).reply(200, [{ id: 'fast' }]);
    await expect(h.view('synapse').get('/agents')).resolves.toEqual([{ id: 'fast' }]);
    expect(h.calls()).toHaveLength(2);
  });

  it('rejects with CancelledError when the caller aborts during the request', async () => {
    const h = harness();
    h.pool.intercept({ path: '/api/v1/agents', method: 'GET' }).reply(200, []).delay(2_000);
    const ac = new AbortController();
    const pending = h.view('synapse').request({ method: 'GET', path: '/agents', signal: ac.signal });
    ac.abort();
    await expect(pending).rejects.toBeInstanceOf(CancelledError);
    expect(h.calls().length).toBeLessThanOrEqual(1);
  });

  it('sends nothing when the signal is already aborted', async () => {
    const h = harness();
    h.pool.intercept({ path: '/api/v1/agents', method: 'GET' }).reply(200, []);
    const ac = new AbortController();
    ac.abort();
    await expect(h.view('synapse').get('/agents', { signal: ac.signal })).rejects.toBeInstanceOf(
      CancelledError,
    );
    expect(h.calls()).toHaveLength(0);
  });

  it('stops retrying when the caller cancels during the backoff', async () => {
    const ac = new AbortController();
    const h = harness({ onSleep: () => ac.abort() });
    h.pool.intercept({ path: '/api/v1/agents', method: 'GET' }).reply(503, '').persist();
    await expect(h.view('synapse').get('/agents', { signal: ac.signal })).rejects.toBeInstanceOf(
      CancelledError,
    );
    expect(h.calls()).toHaveLength(1);
  });

  it('passes the caller signal to sleep so a real sleep can be interrupted', async () => {
    const seen: (AbortSignal | undefined)[] = [];
    const agent = new MockAgent({ enableCallHistory: true });
    agent.disableNetConnect();
    agents.push(agent);
    const client = new HttpClient({
      dispatcher: agent,
      now: () => T0,
      sleep: async (_ms, signal) => {
        seen.push(signal);
      },
    });
    agent.get(ORIGIN).intercept({ path: '/api/v1/agents', method: 'GET' }).reply(503, '');
    agent.get(ORIGIN).intercept({ path: '/api/v1/agents', method: 'GET' }).reply(200, []);
    const ac = new AbortController();
    await client.view(endpoint('synapse')).get('/agents', { signal: ac.signal });
    expect(seen).toEqual([ac.signal]);
  });

  it('refuses to start an attempt once the deadline has passed', async () => {
    const h = harness();
    h.pool.intercept({ path: '/api/v1/agents', method: 'GET' }).reply(200, []);
    const err = await failure(
      h.view('synapse').request({ method: 'GET', path: '/agents', deadline: T0 - 1 }),
    );
    expect(err).toBeInstanceOf(NetworkError);
    expect(err).toMatchObject({ kind: 'deadline', mayHaveReached: false });
    expect(h.calls()).toHaveLength(0);
  });

  it('does not start a backoff that would end past the deadline: the last error surfaces', async () => {
    // random 0.999999 → backoffs 500 ms then 1000 ms; the deadline leaves room for the first only.
    const h = harness({ random: 0.999999 });
    h.pool.intercept({ path: '/api/v1/agents', method: 'GET' }).reply(503, { detail: 'busy' }).persist();
    const err = await failure(
      h.view('synapse').request({ method: 'GET', path: '/agents', deadline: T0 + 1200 }),
    );
    expect(err).toBeInstanceOf(ServerError);
    expect(h.sleeps).toEqual([500]);
    expect(h.calls()).toHaveLength(2);
  });

  it('uses callDeadlineMs from the policy when the caller gives no deadline', async () => {
    const h = harness({ random: 0.999999, policy: { callDeadlineMs: 700 } });
    h.pool.intercept({ path: '/api/v1/agents', method: 'GET' }).reply(500, '').persist();
    await expect(h.view('synapse').get('/agents')).rejects.toBeInstanceOf(ServerError);
    expect(h.sleeps).toEqual([500]);
    expect(h.calls()).toHaveLength(2);
  });
});

describe('authentication', () => {
  it('sends SyncGuard X-Api-Key raw, with no Authorization header', async () => {
    const h = harness();
    h.pool.intercept({ path: '/api/v1/incidents', method: 'GET' }).reply(200, { isSuccess: true, data: [] });
    await h.view('syncguard').get('/incidents');
    const call = h.calls()[0];
    expect(header(call, 'x-api-key')).toBe('sg_0123456789abcdef');
    expect(header(call, 'authorization')).toBeUndefined();
  });

  it('sends the SyncGuard JWT as Bearer when the request names that credential', async () => {
    const h = harness();
    h.pool
      .intercept({ path: '/api/v1/workspaces', method: 'POST' })
      .reply(200, { isSuccess: true, data: {} });
    await h.view('syncguard').post('/workspaces', { credential: 'jwt', body: { name: 'w' } });
    const call = h.calls()[0];
    expect(header(call, 'authorization')).toBe('Bearer eyJhbGciOi.jwt-payload.sig');
    expect(header(call, 'x-api-key')).toBeUndefined();
  });

  it('sends Bearer with the Synqly token the request names', async () => {
    const h = harness();
    h.pool.intercept({ path: '/v1/accounts', method: 'GET' }).reply(200, { result: [] });
    h.pool.intercept({ path: '/v1/siem/events', method: 'GET' }).reply(200, { result: [], cursor: '' });
    const view = h.view('synqly');
    await view.get('/v1/accounts');
    await view.get('/v1/siem/events', { credential: 'integration' });
    const [management, connector] = h.calls();
    expect(header(management, 'authorization')).toBe('Bearer org-token-123456');
    expect(header(connector, 'authorization')).toBe('Bearer integration-token-654321');
  });

  it.each(['synapse', 'synap', 'synchronex'] as const)('sends %s its key as Bearer', async (service) => {
    const h = harness();
    const ep = endpoint(service);
    const path = `${new URL(ep.baseUrl).pathname.replace(/\/$/, '')}/ping`;
    h.pool.intercept({ path, method: 'GET' }).reply(200, {});
    await h.view(service).get('/ping');
    expect(header(h.calls()[0], 'authorization')).toBe(`Bearer ${ep.credentials.apiKey?.secret}`);
  });

  it('uses the bearer override instead of the configured credential and names its env in a 401', async () => {
    const h = harness();
    h.pool.intercept({ path: '/v1/siem/events', method: 'GET' }).reply(200, { result: [] });
    h.pool
      .intercept({ path: '/v1/siem/events', method: 'GET' })
      .reply(401, { status: 401, message: 'token expired' }, { headers: JSON_HEADERS });
    const view = h.view('synqly');
    const minted = { secret: 'minted-adhoc-token', env: 'SYNQLY_ORG_TOKEN' };
    await view.get('/v1/siem/events', { bearer: minted, credential: 'integration' });
    expect(header(h.calls()[0], 'authorization')).toBe('Bearer minted-adhoc-token');
    const err = await failure(view.get('/v1/siem/events', { bearer: minted }));
    expect(err).toBeInstanceOf(AuthError);
    expect(err).toMatchObject({ credentialEnv: 'SYNQLY_ORG_TOKEN', apiMessage: 'token expired' });
  });

  it('throws NotConfiguredError naming the env var when the credential is missing, and sends nothing', async () => {
    const h = harness();
    h.pool.intercept({ path: '/v1/siem/events', method: 'GET' }).reply(200, {});
    const ep = endpoint('synqly');
    const view = h.view('synqly', { credentials: { org: ep.credentials.org } });
    const err = await failure(view.get('/v1/siem/events', { credential: 'integration' }));
    expect(err).toBeInstanceOf(NotConfiguredError);
    expect(err).toMatchObject({ service: 'synqly', envVar: 'SYNQLY_ORG_TOKEN' });

    const empty = h.view('synapse', {
      credentials: { apiKey: bearer('SYNAPSE_API_KEY', '') },
    });
    const err2 = await failure(empty.get('/agents'));
    expect(err2).toBeInstanceOf(NotConfiguredError);
    expect(err2).toMatchObject({ envVar: 'SYNAPSE_API_KEY' });
    expect((err2 as Error).message).toContain('SYNAPSE_API_KEY');
    expect(h.calls()).toHaveLength(0);
  });

  it('names the credential env of the request in an AuthError (Synqly integration token)', async () => {
    const h = harness();
    h.pool
      .intercept({ path: '/v1/ticketing/tickets', method: 'GET' })
      .reply(403, { status: 403, message: 'wrong token kind' }, { headers: JSON_HEADERS });
    const err = await failure(h.view('synqly').get('/v1/ticketing/tickets', { credential: 'integration' }));
    expect(err).toBeInstanceOf(AuthError);
    expect(err).toMatchObject({ status: 403, credentialEnv: 'SYNQLY_INTEGRATION_TOKEN' });
  });
});

describe('request building and response reading', () => {
  it('encodes the query: arrays repeat the key, undefined and null are dropped, values are escaped', async () => {
    const h = harness();
    let seenPath = '';
    h.pool.intercept({ path: (p) => p.startsWith('/v1/accounts'), method: 'GET' }).reply((opts) => {
      seenPath = opts.path;
      return { statusCode: 200, data: { result: [] } };
    });
    await h.view('synqly').get('/v1/accounts', {
      query: {
        limit: 10,
        order: ['name[desc]', 'id'],
        filter: ['name[eq]a&b', 'x y'],
        total: true,
        start_after: undefined,
        skip: null,
      },
    });
    const url = new URL(seenPath, ORIGIN);
    expect(url.pathname).toBe('/v1/accounts');
    expect(url.searchParams.getAll('order')).toEqual(['name[desc]', 'id']);
    expect(url.searchParams.getAll('filter')).toEqual(['name[eq]a&b', 'x y']);
    expect(url.searchParams.get('limit')).toBe('10');
    expect(url.searchParams.get('total')).toBe('true');
    expect(url.searchParams.has('start_after')).toBe(false);
    expect(url.searchParams.has('skip')).toBe(false);
    expect(seenPath).not.toContain('undefined');
    expect(seenPath).toContain('filter=name%5Beq%5Da%26b');
  });

  it('sends a JSON body with content-type application/json and accepts JSON', async () => {
    const h = harness();
    h.pool
      .intercept({ path: '/api/v1/events', method: 'POST', body: (b) => JSON.parse(b).tenantId === 't-1' })
      .reply(200, { isSuccess: true, data: { eventId: 'e' } });
    await h.view('syncguard').post('/events', {
      body: { integrationKey: 'stripe', eventType: 'webhook.failed', tenantId: 't-1' },
    });
    const call = h.calls()[0];
    expect(call?.body).toBe('{"integrationKey":"stripe","eventType":"webhook.failed","tenantId":"t-1"}');
    expect(header(call, 'content-type')).toBe('application/json');
    expect(header(call, 'accept')).toBe('application/json');
  });

  it('sends no body and no content-type when there is no body', async () => {
    const h = harness();
    h.pool
      .intercept({ path: '/api/v1/incidents/i1/resolve', method: 'POST' })
      .reply(200, { isSuccess: true });
    await h.view('syncguard').post('/incidents/i1/resolve');
    const call = h.calls()[0];
    expect(call?.body == null || call.body === '').toBe(true);
    expect(header(call, 'content-type')).toBeUndefined();
  });

  it('refuses a response body larger than maxResponseBytes', async () => {
    const h = harness({ policy: { maxResponseBytes: 100 } });
    h.pool
      .intercept({ path: '/api/v1/agents', method: 'GET' })
      .reply(200, JSON.stringify([{ id: 'x'.repeat(500) }]), { headers: JSON_HEADERS });
    h.pool
      .intercept({ path: '/api/v1/orchestrations', method: 'GET' })
      .reply(200, JSON.stringify([{ id: 'ok' }]));
    const err = await failure(h.view('synapse').get('/agents'));
    expect(err).toBeInstanceOf(NetworkError);
    expect(err).toMatchObject({ kind: 'malformed' });
    expect((err as Error).message).toMatch(/too large/);
    await expect(h.view('synapse').get('/orchestrations')).resolves.toEqual([{ id: 'ok' }]);
  });

  it('turns malformed JSON on a 200 into NetworkError malformed (JSON content type or none)', async () => {
    const h = harness();
    h.pool
      .intercept({ path: '/api/v1/agents', method: 'GET' })
      .reply(200, '{"id": "trunc', { headers: JSON_HEADERS });
    h.pool.intercept({ path: '/api/v1/orchestrations', method: 'GET' }).reply(200, '<html>oops</html>');
    const err = await failure(h.view('synapse').get('/agents'));
    expect(err).toBeInstanceOf(NetworkError);
    expect(err).toMatchObject({ kind: 'malformed', method: 'GET' });
    const err2 = await failure(h.view('synapse').get('/orchestrations'));
    expect(err2).toMatchObject({ name: 'NetworkError', kind: 'malformed' });
    expect(h.calls()).toHaveLength(2);
  });

  it('returns a non-JSON text body as text when the content type says so', async () => {
    const h = harness();
    h.pool
      .intercept({ path: '/v1/storage/files/a.txt', method: 'GET' })
      .reply(200, 'plain file', { headers: { 'content-type': 'text/plain' } });
    await expect(
      h.view('synqly').get('/v1/storage/files/a.txt', { credential: 'integration' }),
    ).resolves.toBe('plain file');
  });

  it('picks the request id from x-request-id, else x-correlation-id (success and error)', async () => {
    const h = harness();
    h.pool
      .intercept({ path: '/api/v1/agents', method: 'GET' })
      .reply(200, [], { headers: { 'x-request-id': 'req-1' } });
    h.pool
      .intercept({ path: '/api/v1/memories/m1', method: 'GET' })
      .reply(200, {}, { headers: { 'x-correlation-id': 'corr-2' } });
    h.pool
      .intercept({ path: '/api/v1/memories/m2', method: 'GET' })
      .reply(404, { detail: 'Memory not found' }, { headers: { 'X-Correlation-Id': 'corr-3' } });
    h.pool
      .intercept({ path: '/api/v1/orchestrations', method: 'GET' })
      .reply(400, { detail: 'bad' }, { headers: { 'x-request-id': 'req-4', 'x-correlation-id': 'corr-4' } });
    const synapse = h.view('synapse');
    const synap = h.view('synap');
    await expect(synapse.request({ method: 'GET', path: '/agents' })).resolves.toMatchObject({
      requestId: 'req-1',
    });
    await expect(synap.request({ method: 'GET', path: '/api/v1/memories/m1' })).resolves.toMatchObject({
      requestId: 'corr-2',
    });
    const err = await failure(synap.get('/api/v1/memories/m2'));
    expect(err).toBeInstanceOf(NotFoundError);
    expect(err).toMatchObject({ requestId: 'corr-3' });
    await expect(synapse.get('/orchestrations')).rejects.toMatchObject({ requestId: 'req-4' });
  });

  it('exposes the status and headers of a successful response', async () => {
    const h = harness();
    h.pool
      .intercept({ path: '/api/v1/memory/decisions', method: 'POST' })
      .reply(201, { id: 'd1' }, { headers: { 'X-RateLimit-Remaining': '9' } });
    const res = await h.view('synchronex').request({ method: 'POST', path: '/memory/decisions', body: {} });
    expect(res).toMatchObject({ status: 201, data: { id: 'd1' } });
    expect(res.headers['x-ratelimit-remaining']).toBe('9');
  });
});

describe('SyncGuard envelope', () => {
  it('unwraps data from {isSuccess, errorCode, message, data}', async () => {
    const h = harness();
    const data = { eventId: 'e1', incidentId: 'i1', isNewIncident: true };
    h.pool
      .intercept({ path: '/api/v1/events', method: 'POST' })
      .reply(200, { isSuccess: true, errorCode: 0, message: null, data });
    await expect(h.view('syncguard').post('/events', { body: {} })).resolves.toEqual(data);
  });

  it('treats isSuccess:false inside a 200 as an error', async () => {
    const h = harness();
    h.pool.intercept({ path: '/api/v1/incidents/i1/resolve', method: 'POST' }).reply(
      200,
      { isSuccess: false, errorCode: 9, message: 'Incident is already closed.' },
      {
        headers: { 'x-request-id': 'sg-req' },
      },
    );
    const err = await failure(h.view('syncguard').post('/incidents/i1/resolve'));
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err).toMatchObject({
      apiMessage: 'Incident is already closed.',
      code: '9',
      requestId: 'sg-req',
      service: 'syncguard',
    });
    expect((err as UpstreamError).status).toBeGreaterThanOrEqual(400);
  });

  it('maps errorCode 4 (ValidationError) inside a 200 to BadRequestError naming the field', async () => {
    const h = harness();
    h.pool
      .intercept({ path: '/api/v1/events', method: 'POST' })
      .reply(200, { isSuccess: false, errorCode: 4, message: 'integrationKey is required.', data: null });
    const err = await failure(h.view('syncguard').post('/events', { body: {} }));
    expect(err).toBeInstanceOf(BadRequestError);
    expect(err).toMatchObject({ status: 400, code: '4', apiMessage: 'integrationKey is required.' });
    expect((err as BadRequestError).fieldErrors).toEqual([
      { path: 'integrationKey', message: 'integrationKey is required.' },
    ]);
  });

  it('maps a 400 with errorCode 4 to BadRequestError naming the field', async () => {
    const h = harness();
    h.pool
      .intercept({ path: '/api/v1/events', method: 'POST' })
      .reply(400, { isSuccess: false, errorCode: 4, message: 'tenantId must not be empty.' });
    const err = await failure(h.view('syncguard').post('/events', { body: {} }));
    expect(err).toBeInstanceOf(BadRequestError);
    expect((err as BadRequestError).fieldErrors.map((f) => f.path)).toEqual(['tenantId']);
  });

  it('reads the 429 shape {isSuccess:false, statusCode:429, message} with Retry-After', async () => {
    const h = harness();
    h.pool
      .intercept({ path: '/api/v1/incidents', method: 'GET' })
      .reply(
        429,
        { isSuccess: false, statusCode: 429, message: 'Rate limit exceeded. Try again later.' },
        { headers: { 'retry-after': '90', 'x-request-id': 'rl-1' } },
      )
      .persist();
    const err = await failure(h.view('syncguard').get('/incidents'));
    expect(err).toBeInstanceOf(RateLimitError);
    expect(err).toMatchObject({
      status: 429,
      apiMessage: 'Rate limit exceeded. Try again later.',
      retryAfterSeconds: 90,
      requestId: 'rl-1',
      service: 'syncguard',
    });
    expect(h.sleeps).toEqual([]);
  });

  it('maps 401 to AuthError naming SYNCGUARD_API_KEY and 404 to NotFoundError', async () => {
    const h = harness();
    h.pool
      .intercept({ path: '/api/v1/incidents/nope', method: 'GET' })
      .reply(404, { isSuccess: false, errorCode: 3, message: 'Incident not found.' });
    h.pool
      .intercept({ path: '/api/v1/incidents', method: 'GET' })
      .reply(401, { isSuccess: false, errorCode: 2, message: 'Invalid API key.' });
    const view = h.view('syncguard');
    const notFound = await failure(view.get('/incidents/nope'));
    expect(notFound).toBeInstanceOf(NotFoundError);
    expect(notFound).toMatchObject({ status: 404, apiMessage: 'Incident not found.' });
    const auth = await failure(view.get('/incidents'));
    expect(auth).toBeInstanceOf(AuthError);
    expect(auth).toMatchObject({
      status: 401,
      apiMessage: 'Invalid API key.',
      credentialEnv: 'SYNCGUARD_API_KEY',
    });
  });
});

describe('Synqly envelope', () => {
  it('returns {result, cursor} bodies as they are', async () => {
    const h = harness();
    const body = { result: [{ id: 'ev' }], cursor: 'c2', status: 'COMPLETE' };
    h.pool.intercept({ path: '/v1/siem/events', method: 'GET' }).reply(200, body);
    await expect(h.view('synqly').get('/v1/siem/events', { credential: 'integration' })).resolves.toEqual(
      body,
    );
  });

  it('reads a Problem with remediation and cause', async () => {
    const h = harness();
    h.pool.intercept({ path: '/v1/integrations/acc', method: 'POST' }).reply(
      400,
      {
        status: 400,
        type: 'https://docs.synqly.com/errors/bad-request',
        message: 'invalid provider_config',
        detail: 'url must be https',
        occurred_at: '2026-01-15T12:00:00Z',
        instance: 'inst-1',
        cause: [
          {
            type: 'validation',
            message: 'provider_config.url',
            detail: 'scheme http is not allowed',
            remediation: 'use an https URL',
          },
        ],
      },
      { headers: JSON_HEADERS },
    );
    const err = await failure(h.view('synqly').post('/v1/integrations/acc', { body: {} }));
    expect(err).toBeInstanceOf(BadRequestError);
    const e = err as BadRequestError;
    expect(e.status).toBe(400);
    expect(e.apiMessage).toContain('invalid provider_config');
    expect(e.apiMessage).toContain('url must be https');
    expect(e.apiMessage).toContain('provider_config.url');
    expect(e.apiMessage).toContain('scheme http is not allowed');
    expect(e.remediation).toBe('use an https URL');
    expect(e.code).toBe('https://docs.synqly.com/errors/bad-request');
  });

  it('prefers the top-level remediation and maps 409 to ConflictError', async () => {
    const h = harness();
    h.pool
      .intercept({ path: '/v1/accounts', method: 'POST' })
      .reply(409, { status: 409, message: 'account name taken', remediation: 'choose another name' });
    const err = await failure(h.view('synqly').post('/v1/accounts', { body: { name: 'a' } }));
    expect(err).toBeInstanceOf(ConflictError);
    expect(err).toMatchObject({
      status: 409,
      apiMessage: 'account name taken',
      remediation: 'choose another name',
    });
  });

  it('maps a 401 Problem to AuthError naming the org token', async () => {
    const h = harness();
    h.pool
      .intercept({ path: '/v1/accounts', method: 'GET' })
      .reply(401, { status: 401, message: 'unauthorized' });
    const err = await failure(h.view('synqly').get('/v1/accounts'));
    expect(err).toBeInstanceOf(AuthError);
    expect(err).toMatchObject({ credentialEnv: 'SYNQLY_ORG_TOKEN', apiMessage: 'unauthorized' });
  });
});

describe('Synap envelope', () => {
  it('reads {error, code, details}', async () => {
    const h = harness();
    h.pool.intercept({ path: '/api/v1/memories/create', method: 'POST' }).reply(400, {
      error: 'user_id requires customer_id for B2B',
      code: 'INVALID_INPUT',
      details: { fields: { customer_id: ['required when user_id is set'] } },
    });
    const err = await failure(h.view('synap').post('/api/v1/memories/create', { body: { document: 'x' } }));
    expect(err).toBeInstanceOf(BadRequestError);
    expect(err).toMatchObject({
      status: 400,
      apiMessage: 'user_id requires customer_id for B2B',
      code: 'INVALID_INPUT',
      fieldErrors: [{ path: 'customer_id', message: 'required when user_id is set' }],
      credentialEnv: 'SYNAP_API_KEY',
    });
  });

  it('reads {error, code} for 401 and 409', async () => {
    const h = harness();
    h.pool
      .intercept({ path: '/api/v1/memories/create', method: 'POST' })
      .reply(401, { error: 'Invalid API key', code: 'UNAUTHORIZED', details: {} });
    h.pool
      .intercept({ path: '/api/v1/memories/create', method: 'POST' })
      .reply(409, { error: 'document_id already exists', code: 'CONFLICT', details: {} });
    const view = h.view('synap');
    const auth = await failure(view.post('/api/v1/memories/create', { body: {} }));
    expect(auth).toBeInstanceOf(AuthError);
    expect(auth).toMatchObject({ code: 'UNAUTHORIZED', credentialEnv: 'SYNAP_API_KEY' });
    const conflict = await failure(view.post('/api/v1/memories/create', { body: {} }));
    expect(conflict).toBeInstanceOf(ConflictError);
    expect(conflict).toMatchObject({ apiMessage: 'document_id already exists', code: 'CONFLICT' });
  });

  it('reads FastAPI {detail} as a string and as an object', async () => {
    const h = harness();
    h.pool
      .intercept({ path: '/api/v1/memories/status/x', method: 'GET' })
      .reply(404, { detail: 'Ingestion not found' });
    h.pool
      .intercept({ path: '/v1/context/user/fetch', method: 'POST' })
      .reply(402, { detail: { message: 'Insufficient credits', code: 'INSUFFICIENT_CREDITS' } });
    const view = h.view('synap');
    const nf = await failure(view.get('/api/v1/memories/status/x'));
    expect(nf).toBeInstanceOf(NotFoundError);
    expect(nf).toMatchObject({ apiMessage: 'Ingestion not found' });
    const credits = await failure(view.post('/v1/context/user/fetch', { body: {} }));
    expect(credits).toBeInstanceOf(UpstreamError);
    expect(credits).toMatchObject({
      status: 402,
      apiMessage: 'Insufficient credits',
      code: 'INSUFFICIENT_CREDITS',
      account: 'credits',
    });
  });

  it('returns {data, page, page_size, total, total_pages} bodies whole', async () => {
    const h = harness();
    const body = { data: [{ id: 1 }], page: 1, page_size: 20, total: 1, total_pages: 1 };
    h.pool.intercept({ path: '/v1/credits/ledger?page=1', method: 'GET' }).reply(200, body);
    await expect(h.view('synap').get('/v1/credits/ledger', { query: { page: 1 } })).resolves.toEqual(body);
  });
});

describe('Synchronex envelope', () => {
  it('reads {error:{code,message}}', async () => {
    const h = harness();
    h.pool
      .intercept({ path: '/api/v1/memory/decisions/d1', method: 'DELETE' })
      .reply(404, { error: { code: 'NOT_FOUND', message: 'Decision not found' } });
    h.pool
      .intercept({ path: '/api/v1/byok', method: 'POST' })
      .reply(403, { error: { code: 'TIER_REQUIRED', message: 'Pro tier required' } });
    const view = h.view('synchronex');
    const nf = await failure(view.request({ method: 'DELETE', path: '/memory/decisions/d1' }));
    expect(nf).toBeInstanceOf(NotFoundError);
    expect(nf).toMatchObject({ code: 'NOT_FOUND', apiMessage: 'Decision not found' });
    const tier = await failure(view.post('/byok', { body: {} }));
    expect(tier).toBeInstanceOf(AuthError);
    expect(tier).toMatchObject({
      status: 403,
      code: 'TIER_REQUIRED',
      apiMessage: 'Pro tier required',
      credentialEnv: 'SYNCHRONEX_API_KEY',
      account: 'plan',
    });
    expect(nf).toMatchObject({ account: undefined });
  });

  it('maps VALIDATION_ERROR to BadRequestError', async () => {
    const h = harness();
    h.pool
      .intercept({ path: '/api/v1/memory/decisions', method: 'POST' })
      .reply(400, { error: { code: 'VALIDATION_ERROR', message: 'decision is required' } });
    const err = await failure(h.view('synchronex').post('/memory/decisions', { body: {} }));
    expect(err).toBeInstanceOf(BadRequestError);
    expect(err).toMatchObject({ code: 'VALIDATION_ERROR', apiMessage: 'decision is required' });
  });

  it('reads the flat 429 {error:"rate_limit_exceeded", retry_after, limit, remaining, reset_at}', async () => {
    const h = harness();
    h.pool
      .intercept({ path: '/api/v1/memory/identity', method: 'GET' })
      .reply(429, {
        error: 'rate_limit_exceeded',
        retry_after: 3600,
        limit: 500,
        remaining: 0,
        reset_at: '2026-01-16T00:00:00Z',
      })
      .persist();
    const err = await failure(h.view('synchronex').get('/memory/identity'));
    expect(err).toBeInstanceOf(RateLimitError);
    const e = err as RateLimitError;
    expect(e.retryAfterSeconds).toBe(3600);
    expect(e.code).toBe('rate_limit_exceeded');
    expect(e.apiMessage).toContain('rate_limit_exceeded');
    expect(e.apiMessage).toContain('2026-01-16T00:00:00Z');
    expect(h.sleeps).toEqual([]);
    expect(h.calls()).toHaveLength(1);
  });

  it('waits the body retry_after of the flat 429 when there is no Retry-After header and it fits', async () => {
    const h = harness();
    h.pool
      .intercept({ path: '/api/v1/memory/identity', method: 'GET' })
      .reply(429, { error: 'rate_limit_exceeded', retry_after: 2, limit: 500, remaining: 0, reset_at: 'x' });
    h.pool
      .intercept({ path: '/api/v1/memory/identity', method: 'GET' })
      .reply(200, { identity: { name: 'n' } });
    await expect(h.view('synchronex').get('/memory/identity')).resolves.toEqual({ identity: { name: 'n' } });
    expect(h.sleeps).toEqual([2000]);
  });

  it('prefers the Retry-After header over the body retry_after', async () => {
    const h = harness();
    h.pool
      .intercept({ path: '/api/v1/memory/identity', method: 'GET' })
      .reply(429, { error: 'rate_limit_exceeded', retry_after: 9 }, { headers: { 'retry-after': '4' } });
    h.pool.intercept({ path: '/api/v1/memory/identity', method: 'GET' }).reply(200, {});
    await h.view('synchronex').get('/memory/identity');
    expect(h.sleeps).toEqual([4000]);
  });
});

describe('Synapse envelope', () => {
  it('reads {detail: string}', async () => {
    const h = harness();
    h.pool
      .intercept({ path: '/api/v1/orchestrations/o1/run', method: 'POST' })
      .reply(404, { detail: "Orchestration 'o1' not found" });
    h.pool
      .intercept({ path: '/api/v1/agents', method: 'GET' })
      .reply(401, { detail: 'Invalid or revoked API key' }, { headers: { 'www-authenticate': 'Bearer' } });
    h.pool.intercept({ path: '/api/v1/chat', method: 'POST' }).reply(500, {
      detail: 'The agent encountered an error processing your request.',
    });
    const view = h.view('synapse');
    const nf = await failure(view.post('/orchestrations/o1/run', { body: {} }));
    expect(nf).toBeInstanceOf(NotFoundError);
    expect(nf).toMatchObject({ status: 404, apiMessage: "Orchestration 'o1' not found" });
    const auth = await failure(view.get('/agents'));
    expect(auth).toBeInstanceOf(AuthError);
    expect(auth).toMatchObject({
      apiMessage: 'Invalid or revoked API key',
      credentialEnv: 'SYNAPSE_API_KEY',
    });
    const server = await failure(view.post('/chat', { body: { message: 'hi' } }));
    expect(server).toBeInstanceOf(ServerError);
    expect(server).toMatchObject({ status: 500, method: 'POST' });
    expect(h.calls()).toHaveLength(3);
  });

  it('reads the 422 {detail:[{loc,msg,type}]} into field errors', async () => {
    const h = harness();
    h.pool.intercept({ path: '/api/v1/chat', method: 'POST' }).reply(422, {
      detail: [
        { type: 'missing', loc: ['body', 'message'], msg: 'Field required', input: {} },
        { type: 'string_type', loc: ['body', 'images', 0], msg: 'Input should be a valid string' },
      ],
    });
    const err = await failure(h.view('synapse').post('/chat', { body: {} }));
    expect(err).toBeInstanceOf(BadRequestError);
    expect(err).toMatchObject({ status: 422 });
    expect((err as BadRequestError).fieldErrors).toEqual([
      { path: 'message', message: 'Field required' },
      { path: 'images.0', message: 'Input should be a valid string' },
    ]);
  });

  it('keeps a non-JSON error body as the message', async () => {
    const h = harness();
    h.pool
      .intercept({ path: '/api/v1/agents', method: 'GET' })
      .reply(502, '<html>Bad Gateway</html>', { headers: { 'content-type': 'text/html' } })
      .persist();
    const err = await failure(h.view('synapse').get('/agents'));
    expect(err).toBeInstanceOf(ServerError);
    expect(err).toMatchObject({ status: 502, apiMessage: '<html>Bad Gateway</html>' });
  });
});

describe('a response body that fails after the headers (loopback server: MockAgent cannot cut a body)', () => {
  /** Serves headers and half a JSON body, then stalls or resets; `served` resolves once a request was answered. */
  async function halfServer(
    mode: 'stall' | 'reset',
  ): Promise<{ server: Server; baseUrl: string; served: Promise<void>; hits: () => number }> {
    let hits = 0;
    let markServed: () => void = () => {};
    const served = new Promise<void>((resolve) => {
      markServed = resolve;
    });
    const server = createServer((_req, res) => {
      hits++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"partial":', () => {
        if (mode === 'reset') res.socket?.destroy();
        markServed();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return { server, baseUrl: `http://127.0.0.1:${port}`, served, hits: () => hits };
  }

  const clients: HttpClient[] = [];
  const servers: Server[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) await c.close();
    for (const s of servers.splice(0)) {
      s.closeAllConnections();
      await new Promise((resolve) => s.close(resolve));
    }
  });

  async function setup(mode: 'stall' | 'reset', policy: Partial<ClientPolicy> = {}) {
    const srv = await halfServer(mode);
    servers.push(srv.server);
    const client = new HttpClient({ policy, sleep: async () => {} });
    clients.push(client);
    return { ...srv, view: client.view({ ...endpoint('synapse'), baseUrl: srv.baseUrl }) };
  }

  it('a body that stops arriving within the attempt timeout is NetworkError timeout, not an internal error', async () => {
    const s = await setup('stall', { attemptTimeoutMs: 50 });
    const err = await failure(s.view.get('/agents'));
    expect(err).toBeInstanceOf(NetworkError);
    expect(err).toMatchObject({ kind: 'timeout', method: 'GET', mayHaveReached: true });
  });

  it('a connection reset in the middle of the body is NetworkError connection', async () => {
    const s = await setup('reset');
    const err = await failure(s.view.post('/chat', { body: { message: 'hi' } }));
    expect(err).toBeInstanceOf(NetworkError);
    expect(err).toMatchObject({ kind: 'connection', method: 'POST', mayHaveReached: true });
    expect(s.hits()).toBe(1);
  });

  it('a caller cancelling while the body is read gets CancelledError', async () => {
    const s = await setup('stall');
    const ac = new AbortController();
    // Abort once the first body chunk reached the client, i.e. after the response headers were handled.
    const onChunk = () => setImmediate(() => ac.abort());
    subscribe('undici:request:bodyChunkReceived', onChunk);
    try {
      const pending = s.view.get('/agents', { signal: ac.signal });
      await expect(pending).rejects.toBeInstanceOf(CancelledError);
      expect(ac.signal.aborted).toBe(true);
    } finally {
      unsubscribe('undici:request:bodyChunkReceived', onChunk);
    }
  });
});

describe('an event stream that fails mid-way (loopback server)', () => {
  let server: Server | undefined;
  let client: HttpClient | undefined;
  afterEach(async () => {
    await client?.close();
    if (server) {
      server.closeAllConnections();
      await new Promise((resolve) => server?.close(resolve));
    }
  });

  async function streamingServer(): Promise<string> {
    server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: {"type":"session"}\n\n', () => res.socket?.destroy());
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it('yields the events that arrived, then a typed NetworkError instead of a raw socket error', async () => {
    const baseUrl = await streamingServer();
    client = new HttpClient({ sleep: async () => {} });
    const view = client.view({ ...endpoint('synapse'), baseUrl });
    const stream = await view.stream({ method: 'POST', path: '/chat/stream', body: { message: 'hi' } });
    const seen: string[] = [];
    const err = await (async () => {
      try {
        for await (const ev of stream.events) seen.push(ev.data);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(seen).toEqual(['{"type":"session"}']);
    expect(err).toBeInstanceOf(NetworkError);
    expect(err).toMatchObject({ kind: 'connection', method: 'POST', mayHaveReached: true });
  });
});
