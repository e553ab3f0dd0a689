/**
 * Real infrastructure for the scale-out tests: `redis-server` and `nginx` from Debian's packages, run as child
 * processes of the test on free loopback ports, each in its own temporary directory (no daemonizing, no
 * system paths, nothing left behind). A missing binary fails the start with the command that installs it —
 * never a skip, and never an install from here: `.ci/run` installs the system packages the soak run needs.
 * Readiness is probed (Redis PING over TCP, an HTTP request to nginx), never waited for with a sleep.
 * Everything started here is stopped by `stopInfra()` (call it in afterAll).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { accessSync, chmodSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/** Bound of every start, stop and readiness wait here (ms). */
export const INFRA_WAIT_MS = 15_000;

/** Where sbin binaries live when PATH (e.g. a non-root one) leaves them out. */
const EXTRA_DIRS = ['/usr/local/sbin', '/usr/sbin', '/sbin', '/usr/local/bin', '/usr/bin', '/bin'];

/** The absolute path of `name` on PATH (or the usual sbin directories), or undefined. */
function findBinary(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter((d) => d !== ''), ...EXTRA_DIRS];
  for (const dir of dirs) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** The path of `binary`; throws an error naming the Debian `packages` that provide it when it is missing. */
function ensureBinary(binary: string, packages: readonly string[]): string {
  const found = findBinary(binary);
  if (found) return found;
  throw new Error(
    `${binary} is required by the soak tests (npm run test:soak) and is not installed. Install it: ` +
      `sudo apt-get install -y --no-install-recommends ${packages.join(' ')} (bash .ci/run does this).`,
  );
}

/** A TCP port on 127.0.0.1 that was free a moment ago (the OS picked it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no port assigned'))));
    });
  });
}

/** A child process with its output kept (the tail) for error messages. */
interface Managed {
  child: ChildProcess;
  output: () => string;
  exited: Promise<void>;
}

const running = new Set<ChildProcess>();
const tempDirs = new Set<string>();

function startChild(name: string, command: string, args: string[], cwd: string): Managed {
  const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let text = '';
  const keep = (chunk: Buffer) => {
    text = (text + chunk.toString('utf8')).slice(-8000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => {
    child.once('error', (err) => {
      text += `\n${name}: ${String(err)}`;
      running.delete(child);
      resolve();
    });
    child.once('close', () => {
      running.delete(child);
      resolve();
    });
  });
  return { child, output: () => text, exited };
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** Sends `signal` and waits (bounded) for the process to be gone. */
async function stopChild(m: Managed, signal: NodeJS.Signals, what: string): Promise<void> {
  if (!hasExited(m.child)) m.child.kill(signal);
  await bounded(m.exited, INFRA_WAIT_MS, `${what} to exit after ${signal}`);
}

async function bounded<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Calls `probe` until it resolves true; between failed probes it waits a little (a poll, not a sleep that
 * stands for readiness). Fails at once when `alive()` turns false, and after `ms`.
 */
export async function pollUntil(
  probe: () => Promise<boolean>,
  what: string,
  opts: { ms?: number; intervalMs?: number; alive?: () => string | undefined } = {},
): Promise<void> {
  const deadline = Date.now() + (opts.ms ?? INFRA_WAIT_MS);
  let last = '';
  for (;;) {
    const dead = opts.alive?.();
    if (dead !== undefined) throw new Error(`${what}: the process exited before it was ready:\n${dead}`);
    try {
      if (await probe()) return;
    } catch (err) {
      last = String(err);
    }
    if (Date.now() >= deadline)
      throw new Error(`${what}: not ready after ${opts.ms ?? INFRA_WAIT_MS} ms ${last}`);
    await new Promise((resolve) => setTimeout(resolve, opts.intervalMs ?? 25));
  }
}

/** Sends one inline Redis command over a fresh TCP connection and resolves to the first reply line. */
export function redisCommand(port: number, command: string, ms = 2_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let reply = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`redis on port ${port}: no answer to ${command} within ${ms} ms`));
    }, ms);
    const finish = (err?: Error) => {
      clearTimeout(timer);
      socket.destroy();
      if (err) reject(err);
      else resolve(reply.split('\r\n')[0] ?? '');
    };
    socket.once('connect', () => socket.write(`${command}\r\n`));
    socket.on('data', (chunk) => {
      reply += chunk.toString('utf8');
      if (reply.includes('\r\n')) finish();
    });
    socket.once('error', (err) => finish(err));
    socket.once('end', () => finish(new Error(`redis on port ${port} closed the connection`)));
  });
}

/** One GET through node:http; resolves to status and body (no agent: a fresh connection). */
export function httpGet(
  url: string,
  headers: Record<string, string> = {},
  ms = 5_000,
): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }> {
  return bounded(
    new Promise((resolve, reject) => {
      const req = request(url, { method: 'GET', headers, agent: false }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    }),
    ms,
    `GET ${url}`,
  );
}

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.add(dir);
  return dir;
}

/** A redis-server of the test's own. */
export interface RedisServer {
  readonly port: number;
  /** `redis://127.0.0.1:PORT`, what SYN_MCP_REDIS_URL gets. */
  readonly url: string;
  /** True while the process runs. */
  readonly running: boolean;
  /** SIGKILL: Redis vanishes mid-run, as in a crash; resolves once the process is gone. */
  kill(): Promise<void>;
  /** Starts a fresh (empty) redis-server on the same port and resolves once it answers PING. */
  restart(): Promise<void>;
  /** Stops it (SIGTERM) if it runs. */
  stop(): Promise<void>;
}

let lastRedis: RedisServer | undefined;

/** Starts redis-server on a free loopback port (no persistence, its own temp dir); resolves once PING answers. */
export async function startRedis(): Promise<RedisServer> {
  const binary = ensureBinary('redis-server', ['redis-server']);
  const port = await freePort();
  const dir = tempDir('syn-mcp-redis-');
  let current: Managed | undefined;

  const launch = async (): Promise<void> => {
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--daemonize', 'no', '--save', ''];
    args.push('--appendonly', 'no', '--dir', dir, '--logfile', '', '--protected-mode', 'yes');
    const m = startChild('redis-server', binary, args, dir);
    current = m;
    await pollUntil(
      async () => (await redisCommand(port, 'PING', 500)) === '+PONG',
      `redis-server :${port}`,
      {
        alive: () => (hasExited(m.child) ? m.output() : undefined),
      },
    );
  };
  await launch();

  const server: RedisServer = {
    port,
    url: `redis://127.0.0.1:${port}`,
    get running() {
      return current !== undefined && !hasExited(current.child);
    },
    async kill() {
      if (current) await stopChild(current, 'SIGKILL', 'redis-server');
    },
    async restart() {
      if (current && !hasExited(current.child)) throw new Error('restart(): redis-server is still running');
      await launch();
    },
    async stop() {
      if (current) await stopChild(current, 'SIGTERM', 'redis-server');
    },
  };
  lastRedis = server;
  return server;
}

/** SIGKILLs the Redis started last (see `RedisServer.kill`). */
export function killRedis(): Promise<void> {
  if (!lastRedis) throw new Error('killRedis(): no redis-server was started');
  return lastRedis.kill();
}

/** Starts the Redis started last again, on the same port (see `RedisServer.restart`). */
export function restartRedis(): Promise<void> {
  if (!lastRedis) throw new Error('restartRedis(): no redis-server was started');
  return lastRedis.restart();
}

/** An nginx of the test's own, load-balancing round-robin over `upstreams`. */
export interface NginxServer {
  readonly port: number;
  /** `http://127.0.0.1:PORT` */
  readonly origin: string;
  /** The configuration it runs with (for error messages). */
  readonly config: string;
  /** The tail of its error log. */
  errors(): string;
  /** Stops it (SIGTERM, fast shutdown) and waits for the master to exit. */
  stop(): Promise<void>;
}

/** Path nginx answers itself (readiness probe), whatever the upstreams' state. */
export const NGINX_READY_PATH = '/__nginx_ready';

/** The nginx.conf of a test proxy: upstream round-robin with keep-alive, HTTP/1.1, no buffering. */
export function nginxConfig(dir: string, port: number, upstreams: readonly string[]): string {
  const servers = upstreams.map((u) => `    server ${u} max_fails=0;`).join('\n');
  return `daemon off;
master_process on;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  upstream syn_mcp {
${servers}
    keepalive 64;
  }
  server {
    listen 127.0.0.1:${port};
    location = ${NGINX_READY_PATH} { return 204; }
    location / {
      proxy_pass http://syn_mcp;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_buffering off;
      proxy_request_buffering off;
      proxy_read_timeout 120s;
    }
  }
}
`;
}

/** Starts nginx (daemon off, everything in a temp dir) in front of `upstreams` (`host:port` each). */
export async function startNginx(upstreams: readonly string[]): Promise<NginxServer> {
  if (upstreams.length === 0) throw new Error('startNginx: give at least one upstream host:port');
  for (const u of upstreams) {
    if (!/^127\.0\.0\.1:\d+$/.test(u)) throw new Error(`startNginx: upstream ${u} is not 127.0.0.1:PORT`);
  }
  const binary = ensureBinary('nginx', ['nginx-light']);
  const port = await freePort();
  const dir = tempDir('syn-mcp-nginx-');
  // Workers drop to an unprivileged user when nginx starts as root: they must reach the temp paths.
  chmodSync(dir, 0o755);
  const config = nginxConfig(dir, port, upstreams);
  const file = join(dir, 'nginx.conf');
  writeFileSync(file, config);
  const m = startChild('nginx', binary, ['-p', dir, '-c', file, '-e', join(dir, 'error.log')], dir);
  const errors = () => {
    const log = spawnSync('tail', ['-c', '4000', join(dir, 'error.log')], { encoding: 'utf8' });
    return `${m.output()}${log.stdout ?? ''}`;
  };
  const origin = `http://127.0.0.1:${port}`;
  await pollUntil(
    async () => (await httpGet(`${origin}${NGINX_READY_PATH}`, {}, 1_000)).status === 204,
    `nginx :${port}`,
    {
      alive: () => (hasExited(m.child) ? errors() : undefined),
    },
  );
  return {
    port,
    origin,
    config,
    errors,
    stop: () => stopChild(m, 'SIGTERM', 'nginx'),
  };
}

/** Kills whatever this module started that still runs and removes its temp dirs. */
export async function stopInfra(): Promise<void> {
  const children = [...running];
  await Promise.allSettled(
    children.map(async (child) => {
      if (hasExited(child)) return;
      const gone = new Promise<void>((resolve) => child.once('close', () => resolve()));
      child.kill('SIGTERM');
      const forced = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await bounded(gone, INFRA_WAIT_MS, 'infra child exit');
      clearTimeout(forced);
    }),
  );
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
  lastRedis = undefined;
}

// A crashed test run must not leave redis-server or nginx behind.
process.once('exit', () => {
  for (const child of running) if (!hasExited(child)) child.kill('SIGKILL');
});
