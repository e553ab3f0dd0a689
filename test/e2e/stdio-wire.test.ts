/**
 * The stdio wire of the BUILT server as a process (issue 17 §3): every request written before stdin closes
 * is answered whole before the process exits; a client that does not read its answers holds the server's
 * memory bounded (the server stops reading and says so on stderr), and gets every answer once it reads;
 * nothing but JSON-RPC frames ever reaches stdout.
 */
import { spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CLI,
  childEnv,
  cleanup,
  initializeParams,
  logMatching,
  Output,
  type RpcMessage,
  spawnServer,
  startEmulator,
  WAIT_MS,
  within,
} from './spawn.js';

afterAll(cleanup);

const line = (id: number, method: string, params: Record<string, unknown> = {}) =>
  `${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`;

describe('stdio wire of the built server', { timeout: 60_000 }, () => {
  it('41 requests written at once, then stdin closed: 41 whole answers, then exit 0', async () => {
    const { emulator, baseUrl } = await startEmulator();
    // Slow upstream answers, so that calls are still in flight when stdin reaches its end.
    emulator.inject({ fault: { kind: 'delay', ms: 200 }, times: 40 });
    const proc = spawnServer(
      [],
      childEnv({ SYNCGUARD_API_KEY: emulator.apiKey, SYNCGUARD_BASE_URL: baseUrl }),
    );
    let input = line(1, 'initialize', initializeParams());
    input += `${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`;
    for (let id = 2; id <= 41; id++) {
      input +=
        id % 2 === 0
          ? line(id, 'tools/call', { name: 'list_incidents', arguments: {} })
          : line(id, 'tools/call', { name: 'get_incident', arguments: { id: `inc-${id}` } });
    }
    proc.child.stdin?.end(input);
    expect(await proc.exit(30_000)).toEqual({ code: 0, signal: null });
    const out = proc.stdout.text;
    expect(out.endsWith('\n')).toBe(true);
    const messages = out
      .slice(0, -1)
      .split('\n')
      .map((l) => JSON.parse(l) as RpcMessage);
    expect(messages).toHaveLength(41);
    expect(messages.map((m) => m.id).sort((a, b) => Number(a) - Number(b))).toEqual(
      Array.from({ length: 41 }, (_, i) => i + 1),
    );
    for (const m of messages.filter((x) => x.id !== 1)) {
      expect(m.error, JSON.stringify(m)).toBeUndefined();
      expect(m.result?.content).toBeDefined();
    }
    expect(emulator.requests.length).toBe(40);
  });

  it('a client that does not read: the server stops reading, every answer comes once it reads', async () => {
    // 400 tools/list of ~100 KB each (40 MB of answers), each request padded to ~4 KB so that the input
    // (1.6 MB) is more than the pipe and the server's read buffer hold.
    const requests = 400;
    const pad = { _meta: { pad: 'x'.repeat(4000) } };
    const child = spawn(process.execPath, [CLI, '--sandbox', '--toolsets', 'all', '--log-level', 'debug'], {
      env: childEnv(),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
    try {
      child.stdin.on('error', () => {});
      const stderr = new Output(child.stderr, 'stderr');
      let input = line(0, 'initialize', initializeParams());
      for (let id = 1; id <= requests; id++) input += line(id, 'tools/list', pad);
      child.stdin.write(input);
      // stdout is not read: the server must stall on its own answers, and say so.
      await stderr.waitFor(logMatching(/^stdio: the client is not reading its answers; reading paused$/));
      // The server took only part of the input (it holds a bounded number of answers owed, MAX_OWED): the
      // rest still waits on this side of the pipe. Its memory meanwhile: `npm run bench -- --only stall`.
      expect(child.stdin.writableLength).toBeGreaterThan(0);

      // Now read (lines counted as they come: 40 MB is too much to re-split on every chunk).
      const ids: unknown[] = [];
      let partial = '';
      const all = new Promise<void>((resolve) => {
        child.stdout.setEncoding('utf8');
        child.stdout.on('data', (chunk: string) => {
          const parts = (partial + chunk).split('\n');
          partial = parts.pop() ?? '';
          for (const l of parts) ids.push((JSON.parse(l) as RpcMessage).id);
          if (ids.length === requests + 1) resolve();
        });
      });
      await within(all, 30_000, 'every answer');
      child.stdin.end();
      expect(await within(exited, WAIT_MS, 'exit')).toBe(0);
      expect(partial).toBe('');
      expect(ids).toHaveLength(requests + 1);
      expect(new Set(ids).size).toBe(requests + 1);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
