/**
 * Connection hygiene of the HTTP transport (issue 20), on the built server over loopback: stalled bodies and
 * idle unauthenticated sockets are dropped, the connection cap holds, refused requests close their
 * connection, and failed authentications are slowed per source address. Every flood is bounded; every wait
 * is on an event (a socket closing, a log line), never on the clock.
 */
import { createConnection, type Socket } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import {
  childEnv,
  cleanup,
  initializeParams,
  logLine,
  logMatching,
  mcpHeaders,
  rawHttp,
  runCli,
  startHttp,
  WAIT_MS,
  within,
} from './spawn.js';

afterAll(cleanup);

const TOKEN = 'hygiene-token-7c41d9e2b8a34f65a0d1';
const initBody = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: initializeParams() });

interface RawSocket {
  socket: Socket;
  /** Everything the server sent. */
  received(): string;
  /** Resolves once the server (or the test) closed the socket. */
  closed: Promise<void>;
}

/** A raw TCP connection to the server's port, resolved once connected. */
async function connect(url: string): Promise<RawSocket> {
  const u = new URL(url);
  const socket = createConnection({ host: u.hostname, port: Number(u.port) });
  let text = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    text += chunk;
  });
  socket.on('error', () => {});
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  await within(
    new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('close', () => reject(new Error('closed before connecting')));
    }),
    WAIT_MS,
    'connect',
  );
  return { socket, received: () => text, closed };
}

describe('timeouts: stalled bodies and idle connections are dropped', () => {
  it('a flood of stalled bodies is answered 408 and closed; the server still answers others', async () => {
    const { proc, url } = await startHttp(
      [],
      childEnv({ SYN_MCP_HTTP_TOKEN: TOKEN, SYN_MCP_BODY_TIMEOUT: '1', SYN_MCP_HEADERS_TIMEOUT: '5' }),
    );
    const path = new URL(url).pathname;
    const host = new URL(url).host;
    const sockets = await Promise.all(Array.from({ length: 40 }, () => connect(url)));
    for (const s of sockets) {
      // Headers complete, 1 MB announced, a few bytes sent, then nothing.
      s.socket.write(
        `POST ${path} HTTP/1.1\r\nHost: ${host}\r\nAuthorization: Bearer ${TOKEN}\r\n` +
          'Content-Type: application/json\r\nAccept: application/json, text/event-stream\r\n' +
          'Content-Length: 1000000\r\n\r\n{"jsonrpc":',
      );
    }
    await within(Promise.all(sockets.map((s) => s.closed)), WAIT_MS, 'stalled bodies closed');
    for (const s of sockets) {
      expect(s.received()).toMatch(/^HTTP\/1\.1 408 /);
      expect(s.received()).toMatch(/\r\nconnection: close\r\n/i);
    }
    await proc.stderr.waitFor(logMatching(/^request body too slow/, 'warn'));
    const ok = await rawHttp(url, {
      method: 'POST',
      headers: mcpHeaders({ authorization: `Bearer ${TOKEN}` }),
      body: initBody,
    });
    expect(ok.status).toBe(200);
  });

  it('idle sockets that never send a request are closed once their headers are late', async () => {
    const { url } = await startHttp(
      [],
      childEnv({ SYN_MCP_HTTP_TOKEN: TOKEN, SYN_MCP_HEADERS_TIMEOUT: '1' }),
    );
    const idle = await Promise.all(Array.from({ length: 60 }, () => connect(url)));
    // Half send a partial request line and stop (slowloris), half send nothing at all.
    for (const s of idle.slice(0, 30)) s.socket.write('POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    await within(Promise.all(idle.map((s) => s.closed)), WAIT_MS, 'idle sockets closed by the server');
    const health = await rawHttp(url.replace('/mcp', '/healthz'));
    expect(health.status).toBe(200);
  });
});

describe('the connection cap', () => {
  it('connections beyond SYN_MCP_MAX_CONNECTIONS are closed at once; capacity returns when they go', async () => {
    const { url } = await startHttp(
      [],
      childEnv({ SYN_MCP_HTTP_TOKEN: TOKEN, SYN_MCP_MAX_CONNECTIONS: '4' }),
    );
    const held = await Promise.all(Array.from({ length: 4 }, () => connect(url)));
    const over = await connect(url).catch(() => undefined);
    if (over) {
      over.socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
      await within(over.closed, WAIT_MS, 'the connection over the cap closed');
      expect(over.received()).toBe('');
    }
    for (const s of held) s.socket.destroy();
    await Promise.all(held.map((s) => s.closed));
    // The server sees the closes on its own schedule: ask again until a request gets through (bounded).
    let status = 0;
    for (let attempt = 0; attempt < 50 && status !== 200; attempt++) {
      status = await rawHttp(url.replace('/mcp', '/healthz')).then(
        (r) => r.status,
        () => 0,
      );
    }
    expect(status).toBe(200);
  });
});

describe('refusals close the connection, and failed logins are slowed per source', () => {
  it('401 and 403 answer with Connection: close and the server closes the socket', async () => {
    const { url } = await startHttp([], childEnv({ SYN_MCP_HTTP_TOKEN: TOKEN }));
    const u = new URL(url);
    for (const extra of [
      'Authorization: Bearer wrong-token\r\n',
      `Authorization: Bearer ${TOKEN}\r\nOrigin: https://evil.example\r\n`,
    ]) {
      const s = await connect(url);
      s.socket.write(
        `POST /mcp HTTP/1.1\r\nHost: ${u.host}\r\n${extra}Content-Type: application/json\r\n` +
          `Accept: application/json, text/event-stream\r\nContent-Length: ${initBody.length}\r\n\r\n${initBody}`,
      );
      await within(s.closed, WAIT_MS, 'refused connection closed by the server');
      expect(s.received()).toMatch(/^HTTP\/1\.1 40[13] /);
      expect(s.received()).toMatch(/\r\nconnection: close\r\n/i);
    }
  });

  it('after three failures from one address each 401 waits longer; every failure is logged, no token', async () => {
    const { proc, url } = await startHttp([], childEnv({ SYN_MCP_HTTP_TOKEN: TOKEN }));
    const guess = (i: number) =>
      rawHttp(url, {
        method: 'POST',
        headers: mcpHeaders({ authorization: `Bearer guess-${i}` }),
        body: initBody,
      });
    for (let i = 0; i < 5; i++) expect((await guess(i)).status).toBe(401);
    const order: string[] = [];
    const sixth = guess(5).then((res) => {
      order.push('sixth guess');
      return res;
    });
    // The sixth failure is logged when it is counted, before its 401 is held back.
    await proc.stderr.waitFor(
      (l) => logLine(l)?.msg === 'authentication failed' && logLine(l)?.failures === 6,
    );
    // The delay is real, and the right token is not held back by the address's failures: sent only now, it is
    // answered while the sixth 401 still waits.
    const ok = await rawHttp(url, {
      method: 'POST',
      headers: mcpHeaders({ authorization: `Bearer ${TOKEN}` }),
      body: initBody,
    });
    order.push('right token');
    expect(ok.status).toBe(200);
    expect((await sixth).status).toBe(401);
    expect(order).toEqual(['right token', 'sixth guess']);
    const lines = proc.stderr
      .lines()
      .map(logLine)
      .filter((l) => l?.msg === 'authentication failed');
    expect(lines.map((l) => l?.delayMs)).toEqual([0, 0, 0, 250, 500, 1000]);
    expect(lines.every((l) => l?.reason === 'unknown token' && l.level === 'warn')).toBe(true);
    expect(proc.stderr.text).not.toMatch(/guess-\d/);
  });
});

describe('parallel guessing from one address', () => {
  it('past 8 slowed 401s waiting, the address is refused 429 before its token is looked at', async () => {
    const { proc, url } = await startHttp([], childEnv({ SYN_MCP_HTTP_TOKEN: TOKEN }));
    const attempt = (token: string) =>
      rawHttp(url, {
        method: 'POST',
        headers: mcpHeaders({ authorization: `Bearer ${token}` }),
        body: initBody,
      });
    // Three free failures, answered at once.
    for (let i = 0; i < 3; i++) expect((await attempt(`guess-${i}`)).status).toBe(401);
    // Twelve at once: eight are slowed (250 ms to 8 s), the other four are refused without waiting.
    let refused = 0;
    let enough: () => void = () => {};
    const fourRefused = new Promise<void>((resolve) => {
      enough = resolve;
    });
    for (let i = 0; i < 12; i++) {
      attempt(`parallel-${i}`).then(
        (res) => {
          if (res.status === 429 && ++refused === 4) enough();
        },
        () => {},
      );
    }
    await within(fourRefused, WAIT_MS, 'four 429s');
    await proc.stderr.waitFor(logMatching(/^authentication refused: too many failed attempts/, 'warn'));
    const failures = proc.stderr
      .lines()
      .map(logLine)
      .filter((l) => l?.msg === 'authentication failed');
    // Only the free and the slowed ones were looked at (all eight slowed were, before the first 429 could be).
    expect(failures.length).toBe(11);
  });
});

describe('behind a reverse proxy', () => {
  it('with SYN_MCP_TRUSTED_PROXIES, failures are counted per X-Forwarded-For client, else per peer', async () => {
    const fail = (url: string, forwarded: string) =>
      rawHttp(url, {
        method: 'POST',
        headers: mcpHeaders({ authorization: 'Bearer wrong', 'x-forwarded-for': forwarded }),
        body: initBody,
      });
    const lines = (proc: { stderr: { lines(): string[] } }) =>
      proc.stderr
        .lines()
        .map(logLine)
        .filter((l) => l?.msg === 'authentication failed')
        .map((l) => `${String(l?.source)} ${String(l?.delayMs)}`);
    const behind = await startHttp(
      [],
      childEnv({ SYN_MCP_HTTP_TOKEN: TOKEN, SYN_MCP_TRUSTED_PROXIES: '127.0.0.1' }),
    );
    // The client wrote the left part itself; the proxy (trusted) appended the address it saw.
    for (let i = 0; i < 4; i++) expect((await fail(behind.url, '10.9.9.9, 203.0.113.5')).status).toBe(401);
    expect((await fail(behind.url, '198.51.100.7')).status).toBe(401);
    await behind.proc.stderr.waitFor((l) => l.includes('"source":"198.51.100.7"'));
    expect(lines(behind.proc)).toEqual([
      '203.0.113.5 0',
      '203.0.113.5 0',
      '203.0.113.5 0',
      '203.0.113.5 250',
      '198.51.100.7 0',
    ]);
    // Not trusted: the header is the client's word and is ignored.
    const direct = await startHttp([], childEnv({ SYN_MCP_HTTP_TOKEN: TOKEN }));
    expect((await fail(direct.url, '203.0.113.5')).status).toBe(401);
    await direct.proc.stderr.waitFor((l) => l.includes('"authentication failed"'));
    expect(lines(direct.proc)).toEqual(['127.0.0.1 0']);
  });
});

describe('a weak token on a non-loopback bind', () => {
  it('is refused at startup with one line and exit code 2, the token not echoed', async () => {
    for (const token of ['short-token-123', 'a'.repeat(48)]) {
      const r = await runCli(
        ['--http', '--host', '0.0.0.0', '--port', '0'],
        childEnv({ SYN_MCP_HTTP_TOKEN: token }),
      );
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(
        /^syn-mcp: --host 0\.0\.0\.0: SYN_MCP_HTTP_TOKEN is too weak .*openssl rand -hex 32\n$/,
      );
      expect(r.stderr).not.toContain(token);
    }
  });
});
