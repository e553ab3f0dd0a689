// The catalog's size, as `syn-mcp tools --json` counts it: for reference, not a target.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { childEnv } from './measure.mjs';
import { BIN, log } from './options.mjs';

export async function benchCatalog() {
  try {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [BIN, 'tools', '--all-apis', '--toolsets', 'all', '--json'],
      { env: childEnv(), timeout: 60_000, maxBuffer: 16 * 1024 * 1024 },
    );
    const parsed = JSON.parse(stdout);
    return { tokens: parsed.total, count: parsed.count };
  } catch (err) {
    log(`catalog: \`syn-mcp tools --json\` failed (${err.message.split('\n')[0]})`);
    return undefined;
  }
}
