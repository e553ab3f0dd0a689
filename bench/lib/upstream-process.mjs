// The upstream both servers call, started once per run, and the environment that gives syn-mcp all five
// APIs (its largest catalog) for the cold start.
import { spawn } from 'node:child_process';
import { childEnv, within } from './measure.mjs';
import { UPSTREAM } from './options.mjs';

/** The SyncGuard emulator in a process of its own (bench/lib/upstream.mjs), seeded with a few incidents. */
export async function startUpstream() {
  const child = spawn(process.execPath, [UPSTREAM], { env: childEnv(), stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.setEncoding('utf8');
  const ready = new Promise((resolve, reject) => {
    child.stdout.on('data', (c) => {
      out += c;
      if (out.includes('\n')) resolve(JSON.parse(out.slice(0, out.indexOf('\n'))));
    });
    child.once('exit', (code) => reject(new Error(`upstream exited (${code})`)));
  });
  const { baseUrl, apiKey } = await within(ready, 20_000, 'upstream start');
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return {
    baseUrl,
    pid: child.pid,
    env: { SYNCGUARD_BASE_URL: baseUrl, SYNCGUARD_API_KEY: apiKey },
    async close() {
      child.stdin.end();
      await within(exited, 5_000, 'upstream exit').catch(() => child.kill('SIGKILL'));
    },
  };
}

/**
 * syn-mcp configured for all five APIs, as a user with every key set starts it: SyncGuard is the bench's
 * upstream; the other four point at a closed loopback port (nothing is called before a tool runs).
 */
export function allApisEnv(upstream) {
  const closed = 'http://127.0.0.1:9';
  return childEnv({
    ...upstream.env,
    SYNCGUARD_JWT: 'bench-syncguard-jwt',
    SYNAPSE_API_KEY: 'bench-synapse-key',
    SYNAPSE_BASE_URL: `${closed}/api/v1`,
    SYNQLY_ORG_TOKEN: 'bench-synqly-org-token',
    SYNQLY_INTEGRATION_TOKEN: 'bench-synqly-integration-token',
    SYNQLY_BASE_URL: closed,
    SYNAP_API_KEY: 'bench-synap-key',
    SYNAP_BASE_URL: closed,
    SYNCHRONEX_API_KEY: 'bench-synchronex-key',
    SYNCHRONEX_BASE_URL: `${closed}/api/v1`,
  });
}
