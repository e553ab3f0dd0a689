import { MockAgent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { NetworkError, NotFoundError } from '../../src/errors.js';
import { HttpClient } from '../../src/http/client.js';
import type { ApiView } from '../../src/http/view.js';

const ORIGIN = 'https://api.test';
const agents: MockAgent[] = [];
afterEach(async () => {
  for (const a of agents.splice(0)) await a.close();
});

function setup(): { agent: MockAgent; view: ApiView } {
  const agent = new MockAgent({ enableCallHistory: true });
  agent.disableNetConnect();
  agents.push(agent);
  const client = new HttpClient({ dispatcher: agent, sleep: async () => {} });
  const view = client.view({
    service: 'synqly',
    baseUrl: ORIGIN,
    credentials: {
      integration: {
        env: 'SYNQLY_INTEGRATION_TOKEN',
        header: 'Authorization',
        scheme: 'bearer',
        secret: 'integration-token-654321',
      },
    },
    defaultCredential: 'integration',
    missingEnv: 'SYNQLY_INTEGRATION_TOKEN',
  });
  return { agent, view };
}

describe("request({ responseType: 'bytes' })", () => {
  it('returns the 2xx body as the exact bytes, unread by the envelope, with the headers', async () => {
    const { agent, view } = setup();
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff, 0xfe, 0x7b]);
    agent
      .get(ORIGIN)
      .intercept({ path: '/v1/storage/files/a/b.png', method: 'GET' })
      .reply(200, bytes, { headers: { 'content-type': 'image/png', 'x-request-id': 'req-9' } });
    const res = await view.request<Buffer>({
      method: 'GET',
      path: '/v1/storage/files/a/b.png',
      responseType: 'bytes',
    });
    expect(Buffer.isBuffer(res.data)).toBe(true);
    expect(res.data.equals(bytes)).toBe(true);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.requestId).toBe('req-9');
    const call = agent.getCallHistory()?.firstCall();
    expect(call?.headers?.accept).toBe('*/*');
    expect(call?.headers?.authorization).toBe('Bearer integration-token-654321');
  });

  it('returns a JSON-looking 2xx body as bytes too (no envelope unwrapping)', async () => {
    const { agent, view } = setup();
    agent
      .get(ORIGIN)
      .intercept({ path: '/f', method: 'GET' })
      .reply(200, '{"result":1}', { headers: { 'content-type': 'application/json' } });
    const res = await view.request<Buffer>({ method: 'GET', path: '/f', responseType: 'bytes' });
    expect(res.data.toString('utf8')).toBe('{"result":1}');
  });

  it('still parses an error status through the envelope (typed error, problem message)', async () => {
    const { agent, view } = setup();
    agent
      .get(ORIGIN)
      .intercept({ path: '/v1/storage/files/missing.txt', method: 'GET' })
      .reply(
        404,
        { message: 'File not found', status: 404, remediation: 'List files first.' },
        { headers: { 'content-type': 'application/json' } },
      );
    const err = await view
      .request({ method: 'GET', path: '/v1/storage/files/missing.txt', responseType: 'bytes' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotFoundError);
    expect(err).toMatchObject({ apiMessage: 'File not found', remediation: 'List files first.' });
  });

  it('refuses a body larger than maxBytes with a malformed NetworkError naming the cap', async () => {
    const { agent, view } = setup();
    agent
      .get(ORIGIN)
      .intercept({ path: '/big', method: 'GET' })
      .reply(200, Buffer.alloc(2048, 1), { headers: { 'content-type': 'application/octet-stream' } });
    const err = await view
      .request({ method: 'GET', path: '/big', responseType: 'bytes', maxBytes: 1024 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetworkError);
    expect(err).toMatchObject({ kind: 'malformed', message: 'response body exceeds 1024 bytes' });
  });

  it("leaves the default ('json') behaviour unchanged", async () => {
    const { agent, view } = setup();
    agent
      .get(ORIGIN)
      .intercept({ path: '/j', method: 'GET' })
      .reply(200, { result: [1] }, { headers: { 'content-type': 'application/json' } });
    const res = await view.request({ method: 'GET', path: '/j' });
    expect(res.data).toEqual({ result: [1] });
    expect(agent.getCallHistory()?.firstCall()?.headers?.accept).toBe('application/json');
  });
});
