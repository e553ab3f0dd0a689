/**
 * The scale-out test bed itself (test/helpers/infra.ts): a real redis-server answers a real client, dies on
 * SIGKILL and comes back on the same port; a real nginx spreads requests round-robin over two node:http
 * upstreams, keeps upstream connections alive over HTTP/1.1 and forwards the client's Host.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  httpGet,
  killRedis,
  type NginxServer,
  type RedisServer,
  redisCommand,
  restartRedis,
  startNginx,
  startRedis,
  stopInfra,
} from '../helpers/infra.js';

afterAll(stopInfra);

describe('redis-server', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedis();
  });

  it('answers a real client, dies on SIGKILL and restarts empty on the same port', async () => {
    const client = new Redis(redis.url, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
    });
    client.on('error', () => {});
    try {
      await client.connect();
      expect(await client.ping()).toBe('PONG');
      await client.set('scaleout:probe', 'v1');
      expect(await client.get('scaleout:probe')).toBe('v1');
    } finally {
      client.disconnect();
    }

    await killRedis();
    expect(redis.running).toBe(false);
    await expect(redisCommand(redis.port, 'PING', 1_000)).rejects.toThrow(/ECONNREFUSED/);

    await restartRedis();
    expect(redis.running).toBe(true);
    expect(await redisCommand(redis.port, 'PING')).toBe('+PONG');
    // No persistence: the restarted server starts empty.
    expect(await redisCommand(redis.port, 'EXISTS scaleout:probe')).toBe(':0');
  });
});

/** A trivial upstream that names itself and records what it received. */
interface Upstream {
  name: string;
  server: Server;
  address: string;
  seen: Array<{ host: string | undefined; connection: string | undefined; version: string; socket: number }>;
}

async function startUpstream(name: string): Promise<Upstream> {
  const seen: Upstream['seen'] = [];
  const sockets = new WeakMap<object, number>();
  let nextSocket = 0;
  const server = createServer((req: IncomingMessage, res) => {
    if (!sockets.has(req.socket)) sockets.set(req.socket, nextSocket++);
    seen.push({
      host: req.headers.host,
      connection: req.headers.connection,
      version: req.httpVersion,
      socket: sockets.get(req.socket) ?? -1,
    });
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(name);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { name, server, address: `127.0.0.1:${port}`, seen };
}

describe('nginx', () => {
  let nginx: NginxServer;
  let a: Upstream;
  let b: Upstream;

  beforeAll(async () => {
    a = await startUpstream('a');
    b = await startUpstream('b');
    nginx = await startNginx([a.address, b.address]);
  });
  afterAll(async () => {
    await nginx?.stop();
    for (const u of [a, b]) {
      u?.server.closeAllConnections();
      await new Promise((resolve) => u?.server.close(resolve));
    }
  });

  it('spreads requests round-robin over both upstreams, over kept-alive HTTP/1.1, with the client Host', async () => {
    const names: string[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await httpGet(`${nginx.origin}/hello`, { host: `127.0.0.1:${nginx.port}` });
      expect(res.status).toBe(200);
      names.push(res.body);
    }
    expect(names.filter((n) => n === 'a')).toHaveLength(5);
    expect(names.filter((n) => n === 'b')).toHaveLength(5);
    for (const u of [a, b]) {
      expect(u.seen).toHaveLength(5);
      for (const s of u.seen) {
        expect(s).toMatchObject({ host: `127.0.0.1:${nginx.port}`, version: '1.1' });
        expect(s.connection).toBeUndefined();
      }
      // Sequential requests reuse nginx's upstream connection instead of opening one each.
      expect(new Set(u.seen.map((s) => s.socket)).size).toBe(1);
    }
  });
});
