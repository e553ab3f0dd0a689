// The stdio server's memory when its client stops reading: the test checks that it pauses, this the RSS.
import { spawn } from 'node:child_process';
import { childEnv, INITIALIZE, loadavg, rssMb, within } from './measure.mjs';
import { BIN, STALL_REQUESTS } from './options.mjs';

/** RSS of the stdio server once it has paused reading because its client does not read its answers. */
export async function benchStall() {
  const child = spawn(process.execPath, [BIN, '--sandbox', '--toolsets', 'all', '--log-level', 'debug'], {
    env: childEnv(),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const exited = new Promise((resolve) => child.once('close', resolve));
  try {
    child.stdin.on('error', () => {});
    let stderr = '';
    const paused = new Promise((resolve) =>
      child.stderr.setEncoding('utf8').on('data', (chunk) => {
        stderr += chunk;
        if (stderr.includes('the client is not reading its answers; reading paused')) resolve();
      }),
    );
    const line = (id, method, params) => `${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`;
    let input = line(0, 'initialize', INITIALIZE);
    const pad = { _meta: { pad: 'x'.repeat(4000) } };
    for (let id = 1; id <= STALL_REQUESTS; id++) input += line(id, 'tools/list', pad);
    child.stdin.write(input);
    await within(paused, 60_000, 'the server to pause reading');
    const { rss, hwm } = rssMb(child.pid);
    return { rss, hwm, load: loadavg() };
  } finally {
    child.kill('SIGKILL');
    await within(exited, 10_000, 'the stalled server to exit');
  }
}
