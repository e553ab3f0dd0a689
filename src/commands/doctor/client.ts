/** The client's configuration file: syn-mcp's entry in it, and the environment it gives the server. */
import type { Env } from '../../config.js';
import { CLIENTS, type ClientId, SERVER_NAME } from '../init/clients.js';
import { readClientFile } from '../init/file.js';
import { type Check, fail, ok, type Section, skip } from './report.js';

/** Resolves one value of a client's env block the way the client would, when it can be known here. */
export function resolveClientValue(client: ClientId, value: string, env: Env): string | undefined {
  if (client === 'claude-code') {
    return value.replace(
      /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g,
      (_m, name: string, dflt?: string) => env[name] ?? dflt ?? '',
    );
  }
  if (client === 'cursor')
    return value.replace(/\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g, (_m, name: string) => env[name] ?? '');
  if (client === 'vscode' && /\$\{input:/.test(value)) return undefined;
  return value;
}

/** Reads syn-mcp's entry from a client's configuration: the env it gives the server, and checks of the entry. */
export function clientSection(
  client: ClientId,
  file: string,
  env: Env,
  platform: string,
): { section: Section; env: Record<string, string>; prompted: string[] } {
  const spec = CLIENTS[client];
  const checks: Check[] = [];
  const prompted: string[] = [];
  const out: Record<string, string> = {};
  const section: Section = { id: 'client', title: `${spec.label} configuration`, checks };
  let data: Record<string, unknown>;
  try {
    const read = readClientFile(file);
    if (!read.exists) {
      checks.push(
        fail(file, 'does not exist', `create it with: npx -y syn-mcp init --client ${client} --write`),
      );
      return { section, env: out, prompted };
    }
    data = read.data;
  } catch (err) {
    checks.push(
      fail(
        file,
        err instanceof Error ? err.message : String(err),
        'fix the JSON (a missing comma or brace?)',
      ),
    );
    return { section, env: out, prompted };
  }
  const servers = data[spec.serversKey];
  const entry =
    typeof servers === 'object' && servers !== null
      ? (servers as Record<string, unknown>)[SERVER_NAME]
      : undefined;
  if (typeof entry !== 'object' || entry === null) {
    checks.push(
      fail(
        file,
        `has no "${SERVER_NAME}" entry under "${spec.serversKey}"`,
        `add it with: npx -y syn-mcp init --client ${client} --write`,
      ),
    );
    return { section, env: out, prompted };
  }
  const e = entry as { command?: unknown; args?: unknown; env?: unknown };
  const command = typeof e.command === 'string' ? e.command : '';
  const args = Array.isArray(e.args) ? e.args.filter((a): a is string => typeof a === 'string') : [];
  if (platform === 'win32' && /^npx(\.cmd)?$/i.test(command)) {
    checks.push(
      fail(
        'command',
        `"${command}" cannot be spawned directly on Windows (spawn npx ENOENT)`,
        'use "command": "cmd", "args": ["/c", "npx", "-y", "syn-mcp"] (syn-mcp init does this)',
      ),
    );
  } else {
    checks.push(ok('command', [command, ...args].join(' ')));
  }
  if (typeof e.env === 'object' && e.env !== null) {
    for (const [name, raw] of Object.entries(e.env as Record<string, unknown>)) {
      if (typeof raw !== 'string') continue;
      const value = resolveClientValue(client, raw, env);
      if (value === undefined) {
        // VS Code prompts for it and keeps it to itself: the value in this shell, if any, stands in for it.
        const fromShell = env[name]?.trim();
        if (fromShell) {
          checks.push(ok(name, `${spec.label} asks for it (${raw}); checking the value set in this shell`));
          out[name] = fromShell;
        } else {
          checks.push(
            skip(name, `${spec.label} asks for it (${raw}); set ${name} in this shell too to check it`),
          );
          prompted.push(name);
        }
        continue;
      }
      out[name] = value;
    }
  }
  checks.push(ok(file, `read; ${Object.keys(out).length} variable(s) taken from its "${SERVER_NAME}" entry`));
  return { section, env: out, prompted };
}
