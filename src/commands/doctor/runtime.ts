/** The runtime's checks: the Node version. */
import { type Check, fail, ok } from './report.js';

/** The lowest Node version the package runs on (undici 7's `engines`). */
export const MIN_NODE = [20, 18, 1] as const;

/** Is this Node new enough. */
export function nodeCheck(): Check {
  const [maj = 0, min = 0, pat = 0] = process.versions.node.split('.').map(Number);
  const need = MIN_NODE.join('.');
  const good =
    maj !== MIN_NODE[0] ? maj > MIN_NODE[0] : min !== MIN_NODE[1] ? min > MIN_NODE[1] : pat >= MIN_NODE[2];
  const detail = `${process.versions.node} at ${process.execPath}`;
  return good
    ? ok('Node.js', `${detail} (syn-mcp needs ≥ ${need})`)
    : fail(
        'Node.js',
        `${detail} is older than ${need}`,
        `install Node ${need} or newer; with nvm: nvm install 22 && nvm alias default 22. A client launched from the desktop may find an older Node than your shell: see Troubleshooting → nvm`,
      );
}
