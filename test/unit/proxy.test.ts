/**
 * HTTPS_PROXY / HTTP_PROXY / NO_PROXY: read by config.ts, honoured by the shared client (undici's
 * EnvHttpProxyAgent), loopback always direct, a proxy password treated as a secret. The proxy here is a small
 * loopback server that tunnels CONNECT (and forwards absolute-form requests) to the emulator, whatever host was
 * asked for: a request to a name that does not resolve succeeds only if it really went through the proxy.
 */
import { createServer as createHttpServer, request as httpRequest, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { proxyFor } from '../../src/commands/doctor.js';
import { loadConfig, secretsOf } from '../../src/config.js';
import { NetworkError } from '../../src/errors.js';
import { HttpClient } from '../../src/http/client.js';
import { createSyncGuardEmulator, type SyncGuardEmulator } from '../../src/sandbox/syncguard/index.js';
import { createApiViews } from '../../src/services.js';
import { callTool, childEnv, cleanup, textOf, withStdio } from '../e2e/spawn.js';

let emulator: SyncGuardEmulator;
let emulatorPort: number;
let proxy: Server;
let proxyUrl: string;
const seen: string[] = [];
const sockets = new Set<Socket>();

beforeAll(async () => {
  emulator = createSyncGuardEmulator();
  emulatorPort = Number(new URL(await emulator.listen()).port);
  proxy = createHttpServer((req, res) => {
    // Absolute-form request (plain HTTP through a proxy).
    seen.push(`${req.method} ${req.url}`);
    const target = new URL(req.url ?? '/');
    const upstream = httpRequest(
      {
        host: '127.0.0.1',
        port: emulatorPort,
        method: req.method,
        path: target.pathname + target.search,
        headers: req.headers,
      },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    req.pipe(upstream);
  });
  proxy.on('connect', (req, client: Socket, head: Buffer) => {
    seen.push(`CONNECT ${req.url}`);
    const upstream = connect(emulatorPort, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => s.destroy());
    }
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const address = proxy.address();
  proxyUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});
afterAll(async () => {
  await cleanup();
  for (const s of sockets) s.destroy();
  await new Promise<void>((resolve) => proxy.close(() => resolve()));
  await emulator.close();
});

async function listIncidents(env: Record<string, string>) {
  const config = loadConfig([], { SYNCGUARD_API_KEY: emulator.apiKey, ...env });
  const http = new HttpClient({ proxy: config.proxy, policy: { maxRetries: 0, attemptTimeoutMs: 5_000 } });
  try {
    const { configured } = createApiViews(http, config);
    return await configured.syncguard?.get<unknown>('/incidents');
  } finally {
    await http.close();
  }
}

describe('outbound proxy', () => {
  it('sends upstream requests through HTTP_PROXY (a host only the proxy can reach)', async () => {
    seen.length = 0;
    const host = `api.proxied.invalid:${emulatorPort}`;
    const data = await listIncidents({ SYNCGUARD_BASE_URL: `http://${host}/api/v1`, HTTP_PROXY: proxyUrl });
    expect(data).toBeDefined();
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatch(new RegExp(`^(CONNECT ${host}|GET http://${host}/api/v1/incidents)$`));
    expect(emulator.requests.at(-1)?.headers['x-api-key']).toBe(emulator.apiKey);
  });

  it('NO_PROXY and loopback go direct', async () => {
    seen.length = 0;
    await expect(
      listIncidents({
        SYNCGUARD_BASE_URL: `http://api.proxied.invalid:${emulatorPort}/api/v1`,
        HTTP_PROXY: proxyUrl,
        NO_PROXY: '.invalid',
      }),
    ).rejects.toBeInstanceOf(NetworkError);
    await listIncidents({
      SYNCGUARD_BASE_URL: `http://127.0.0.1:${emulatorPort}/api/v1`,
      http_proxy: proxyUrl,
    });
    expect(seen).toEqual([]);
  });

  it('config: lowercase wins, a scheme is added, loopback always bypassed, a password is a secret, a bad URL names the variable only', () => {
    const config = loadConfig([], {
      HTTPS_PROXY: 'http://upper:1',
      https_proxy: 'corp-proxy:3128',
      HTTP_PROXY: 'http://user:p%40ss-w0rd@proxy.local:8080',
      NO_PROXY: 'internal.example',
    });
    expect(config.proxy).toEqual({
      httpsProxy: 'http://corp-proxy:3128',
      httpProxy: 'http://user:p%40ss-w0rd@proxy.local:8080',
      noProxy: 'internal.example,localhost,127.0.0.1,::1',
    });
    expect(secretsOf(config)).toContain('p@ss-w0rd');
    expect(loadConfig([], {}).proxy).toBeUndefined();
    expect(() => loadConfig([], { HTTPS_PROXY: 'http://user:secretpass@ bad host' })).toThrow(
      /^HTTPS_PROXY: not a proxy URL \(example: http:\/\/proxy\.example\.com:8080\)\.$/,
    );
  });

  it('doctor picks the same proxy the client uses', () => {
    const proxyConfig = {
      httpProxy: 'http://h:1',
      httpsProxy: 'http://s:2',
      noProxy: 'corp.example,*.internal,localhost',
    };
    expect(proxyFor(new URL('https://api.synqly.com/v1'), proxyConfig)?.host).toBe('s:2');
    expect(proxyFor(new URL('http://api.test/x'), proxyConfig)?.host).toBe('h:1');
    expect(proxyFor(new URL('https://api.corp.example/x'), proxyConfig)).toBeUndefined();
    expect(proxyFor(new URL('https://a.b.internal/x'), proxyConfig)).toBeUndefined();
    expect(proxyFor(new URL('http://localhost:8000/api/v1'), proxyConfig)).toBeUndefined();
    expect(
      proxyFor(new URL('https://x.test'), { httpProxy: undefined, httpsProxy: undefined, noProxy: '' }),
    ).toBeUndefined();
  });
});

describe('outbound proxy in the built server', () => {
  it('the shipped bin routes tool calls through HTTP_PROXY too', async () => {
    seen.length = 0;
    const host = `api.proxied.invalid:${emulatorPort}`;
    const env = childEnv({
      SYNCGUARD_API_KEY: emulator.apiKey,
      SYNCGUARD_BASE_URL: `http://${host}/api/v1`,
      HTTP_PROXY: proxyUrl,
    });
    await withStdio(['--tools', 'list_incidents'], env, async (s) => {
      const result = await callTool(s.client, 'list_incidents', {});
      expect(result.isError, textOf(result)).toBeFalsy();
    });
    expect(seen.length).toBeGreaterThanOrEqual(1);
    expect(seen[0]).toMatch(new RegExp(`^(CONNECT ${host}|GET http://${host}/api/v1/incidents)$`));
  });
});
