import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const CLIENT = fileURLToPath(new URL('../../dist/src/http/client.js', import.meta.url));

/**
 * A body that stalls after the headers must time out even when the garbage collector runs meanwhile:
 * AbortSignal.any() holds its sources weakly, so an unreferenced AbortSignal.timeout() could be collected
 * and never fire. A child with --expose-gc forces collections every 10 ms while the body stalls.
 */
const SCRIPT = `
import { createServer } from 'node:http';
const { HttpClient } = await import(process.argv[1]);
const server = createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': '20' });
  res.write('{"a":');
  const t = setTimeout(() => res.end('1            }'), 4000);
  res.on('close', () => clearTimeout(t));
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const client = new HttpClient({ policy: { attemptTimeoutMs: 200, maxRetries: 0 } });
const view = client.view({ service: 'synapse', baseUrl: 'http://127.0.0.1:' + server.address().port,
  defaultCredential: 'k', missingEnv: 'K', credentials: { k: { env: 'K', header: 'Authorization', scheme: 'bearer', secret: 'abcdefgh' } } });
const gcs = setInterval(() => globalThis.gc(), 10);
let outcome;
try { await view.get('/x', { signal: new AbortController().signal }); outcome = 'success'; }
catch (e) { outcome = e.name + ':' + e.kind; }
clearInterval(gcs); server.closeAllConnections(); server.close(); await client.close();
process.stdout.write(outcome);
`;

describe('per-attempt timeout while a body stalls', () => {
  it('fires even when the garbage collector runs (the timeout signal is kept alive)', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--expose-gc', '--input-type=module', '-e', SCRIPT, CLIENT],
      { timeout: 15_000 },
    );
    expect(stdout).toBe('NetworkError:timeout');
  });
});
