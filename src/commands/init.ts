/**
 * `syn-mcp init --client claude-desktop|claude-code|cursor|vscode`: prints the configuration block that
 * launches syn-mcp from that client, with a placeholder for each credential of the services named, and with
 * `--write` merges it into the client's configuration file (a timestamped backup first; other servers kept).
 * A command, not the MCP server: it prints to stdout.
 */
import path from 'node:path';
import type { Env } from '../config.js';
import { SERVICE_LABEL } from '../errors.js';
import { parseInitArgs } from './init/args.js';
import { CLIENTS, PLATFORMS, type Platform, SERVER_NAME } from './init/clients.js';
import { blockFor, claudeCodeCommand } from './init/entry.js';
import { writeClientFile } from './init/file.js';

/** `syn-mcp init …`; returns the exit code. `env` gives HOME/APPDATA, `cwd` the project folder. */
export function initCommand(
  argv: readonly string[],
  env: Env,
  out: (text: string) => void = (t) => process.stdout.write(t),
  cwd: string = process.cwd(),
  now: Date = new Date(),
): number {
  const opts = parseInitArgs(argv);
  const spec = CLIENTS[opts.client];
  const block = blockFor(opts);
  if (opts.json && !opts.write) {
    out(`${JSON.stringify(block, null, 2)}\n`);
    return 0;
  }
  const here = PLATFORMS.includes(process.platform as Platform) ? process.platform : 'linux';
  // For another OS the path is shown as that OS writes it (~, %APPDATA%), not resolved on this machine.
  const symbolic: Env = { HOME: '~', USERPROFILE: '%USERPROFILE%', APPDATA: '%APPDATA%' };
  const local = opts.platform === here;
  const file = opts.config
    ? path.resolve(cwd, opts.config)
    : spec.configPath(opts.platform, local ? env : symbolic, local ? cwd : '.');
  const lines: string[] = [];
  const services = opts.sandbox
    ? 'the sandbox (no account needed)'
    : opts.services.map((s) => SERVICE_LABEL[s]).join(', ');
  lines.push(`syn-mcp for ${spec.label} (${opts.platform}) — ${services}`, '');
  if (opts.write) {
    const { backup, otherServers } = writeClientFile(file, opts, now);
    lines.push(`Wrote the "${SERVER_NAME}" server into ${file}`);
    lines.push(backup ? `Backup of the previous file: ${backup}` : 'The file did not exist: created it.');
    if (otherServers.length > 0) lines.push(`Other servers kept as they were: ${otherServers.join(', ')}`);
  } else {
    lines.push(
      `Add this to ${file}`,
      `  (${spec.hint})`,
      'or run again with --write to merge it in (other servers are kept; a backup is made first):',
      '',
    );
    lines.push(JSON.stringify(block, null, 2));
  }
  lines.push('', 'Next:');
  const hasPlaceholders = !opts.sandbox && opts.client !== 'claude-code' && opts.client !== 'vscode';
  if (hasPlaceholders)
    lines.push('  - Replace each <…> placeholder with the real value; remove the services you do not use.');
  if (opts.client === 'claude-code') lines.push(`  - Or, for every project: ${claudeCodeCommand(opts)}`);
  lines.push(`  - ${spec.next}`);
  lines.push(
    `  - Check it: npx -y syn-mcp doctor --client ${opts.client}${opts.config ? ` --config ${file}` : ''}`,
  );
  out(`${lines.join('\n')}\n`);
  return 0;
}
