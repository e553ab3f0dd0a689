import { MockAgent } from 'undici';
import { it } from 'vitest';
import { HttpClient } from '../../src/http/client.js';

it('probe', async () => {
  const agent = new MockAgent({ enableCallHistory: true });
  agent.disableNetConnect();
  const pool = agent.get('https://api.test');
  pool.intercept({ path: '/x?a=1&a=2', method: 'POST' }).reply(200, { ok: 1 }, { headers: { 'x-request-id': 'r1', 'content-type': 'application/json' } });
  const e = new Error('refused') as Error & { code: string }; e.code = 'ECONNREFUSED';
  pool.intercept({ path: '/y', method: 'POST' }).replyWithError(e);
  pool.intercept({ path: '/z', method: 'POST' }).reply(200, 'x').delay(300);
  const client = new HttpClient({ dispatcher: agent, sleep: async () => {}, policy: { attemptTimeoutMs: 20 } });
  const v = client.view({ service: 'synapse', baseUrl: 'https://api.test', credentials: { apiKey: { env: 'E', header: 'Authorization', scheme: 'bearer', secret: 's3cret' } }, defaultCredential: 'apiKey', missingEnv: 'E' });
  const r = await v.request({ method: 'POST', path: '/x', query: { a: [1, 2], b: undefined }, body: { q: 1 } });
  console.log(r);
  const c = agent.getCallHistory()?.calls() ?? [];
  console.log(c.map((l) => [l.method, l.path, l.fullUrl, l.headers, l.body]));
  try { await v.request({ method: 'POST', path: '/y' }); } catch (err) { console.log('y', err); }
  const t0 = Date.now();
  try { await v.request({ method: 'POST', path: '/z' }); } catch (err) { console.log('z', err, Date.now() - t0); }
  console.log(agent.getCallHistory()?.calls().length);
});
