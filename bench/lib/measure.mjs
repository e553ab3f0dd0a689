// Small helpers of the benchmark: statistics, /proc readings and a raw newline-delimited JSON-RPC client
// over a spawned server's stdio. Every wait is bounded.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Milliseconds since an arbitrary origin, sub-millisecond. */
export const now = () => performance.now();

/** The q-quantile (0..1) of numbers, nearest rank. */
export function quantile(values, q) {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank];
}

/** Median, min and max of numbers. */
export function summary(values) {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN, n: 0 };
  return {
    median: quantile(finite, 0.5),
    min: Math.min(...finite),
    max: Math.max(...finite),
    n: finite.length,
  };
}

/** The 1-minute load average. */
export function loadavg() {
  return Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
}

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ: 100 on Linux). */
const USER_HZ = 100;

/** CPU time (user + system) a process has used so far, in ms. */
export function cpuMs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1000) / USER_HZ;
}

/** Resident set size now and its peak (VmHWM), in MB, from /proc/<pid>/status. */
export function rssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
}

/** Rejects with `what` when `promise` has not settled within `ms`. */
export async function within(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A child environment: PATH and exactly what the bench sets, never the parent's whole environment. */
export function childEnv(extra = {}) {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', ...extra };
}

/** The revisions the bench speaks: a 2025 client opens with `initialize`, a 2026 one has no handshake. */
export const LEGACY = '2025-11-25';
export const MODERN = '2026-07-28';

const CLIENT_INFO = { name: 'syn-mcp-bench', version: '1.0.0' };

/** The `initialize` params of a 2025-11-25 client. */
export const INITIALIZE = { protocolVersion: LEGACY, capabilities: {}, clientInfo: CLIENT_INFO };

/** `params` of a 2026-07-28 request: the per-request `_meta` envelope that replaces the handshake. */
export function modern(params = {}) {
  return {
    ...params,
    _meta: {
      'io.modelcontextprotocol/protocolVersion': MODERN,
      'io.modelcontextprotocol/clientCapabilities': {},
      'io.modelcontextprotocol/clientInfo': CLIENT_INFO,
    },
  };
}

/**
 * A spawned server spoken to in raw newline-delimited JSON-RPC: requests are written as lines and answers
 * matched by id, with the time each arrived. `t0` is taken just before spawn().
 */
export class RawStdio {
  constructor(args, env) {
    this.t0 = now();
    this.child = spawn(process.execPath, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    this.stderr = '';
    this.next = 1;
    this.waiting = new Map();
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    let buf = '';
    this.child.stdout.setEncoding('utf8');
    this.child.stdout.on('data', (chunk) => {
      const at = now();
      buf += chunk;
      for (let nl = buf.indexOf('\n'); nl !== -1; nl = buf.indexOf('\n')) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        let msg;
        try {
          msg = JSON.parse(line);
        } catch {
          continue;
        }
        const w = this.waiting.get(msg.id);
        if (w) {
          this.waiting.delete(msg.id);
          w.resolve({ msg, at, bytes: Buffer.byteLength(line) });
        }
      }
    });
    this.child.stderr.setEncoding('utf8');
    this.child.stderr.on('data', (c) => {
      if (this.stderr.length < 20_000) this.stderr += c;
    });
    this.child.stdin.on('error', () => {});
    this.child.once('exit', () => {
      for (const w of this.waiting.values()) w.reject(new Error(`server exited; stderr:\n${this.stderr}`));
      this.waiting.clear();
    });
  }

  get pid() {
    return this.child.pid;
  }

  /** Writes a request; resolves to { msg, at, bytes } when its answer arrives (bounded by `ms`). */
  request(method, params = {}, ms = 30_000) {
    const id = this.next++;
    const answer = new Promise((resolve, reject) => this.waiting.set(id, { resolve, reject }));
    this.child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
    return within(answer, ms, `${method}; stderr:\n${this.stderr}`);
  }

  notify(method, params = {}) {
    this.child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method, params })}\n`);
  }

  /** Closes stdin, then kills the process if it has not exited within `ms`. */
  async close(ms = 5_000) {
    this.child.stdin.end();
    try {
      await within(this.exited, ms, 'exit');
    } catch {
      this.child.kill('SIGKILL');
      await this.exited;
    }
  }
}

/** Spawns `node args` and resolves once stderr shows `listening on <url>`; returns the child and the URL. */
export async function spawnHttp(args, env) {
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  const url = new Promise((resolve, reject) => {
    child.stderr.on('data', (c) => {
      stderr += c;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+\/mcp)/.exec(stderr);
      if (m) resolve(m[1]);
    });
    child.once('exit', () => reject(new Error(`server exited; stderr:\n${stderr}`)));
  });
  const exited = new Promise((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    url: await within(url, 20_000, `HTTP server start; stderr:\n${stderr}`),
    async stop() {
      child.kill('SIGTERM');
      try {
        await within(exited, 5_000, 'exit');
      } catch {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}

/** Formats a summary as `median (min–max)` with `digits` decimals. */
export function fmt(s, digits = 1) {
  if (!s || !Number.isFinite(s.median)) return 'n/a';
  const f = (v) => v.toFixed(digits);
  return s.min === s.max ? f(s.median) : `${f(s.median)} (${f(s.min)}–${f(s.max)})`;
}
