/**
 * `syn-mcp init --client claude-desktop|claude-code|cursor|vscode`: prints the configuration block that
 * launches syn-mcp from that client, with a placeholder for each credential of the services named, and with
 * `--write` merges it into the client's configuration file (a timestamped backup first; other servers kept).
 * A command, not the MCP server: it prints to stdout.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { APIS, byApi } from '../apis.js';
import { type Env, readFlags } from '../config.js';
import { ConfigError, SERVICE_LABEL, type ServiceName } from '../errors.js';

/** The clients `init` knows. */
export type ClientId = 'claude-desktop' | 'claude-code' | 'cursor' | 'vscode';
/** Operating systems with their own paths and launch command. */
export type Platform = 'win32' | 'darwin' | 'linux';

/** The key of syn-mcp's entry in a client's server map. */
export const SERVER_NAME = 'syn-mcp';
const SERVICES = Object.keys(SERVICE_LABEL) as ServiceName[];
const CLIENT_IDS: readonly ClientId[] = ['claude-desktop', 'claude-code', 'cursor', 'vscode'];
const PLATFORMS: readonly Platform[] = ['win32', 'darwin', 'linux'];

/** One variable `init` puts in a configuration. */
interface VarSpec {
  name: string;
  /** What to put there, in words (the placeholder text and the VS Code prompt). */
  what: string;
  secret: boolean;
  /** The documented default, written as is for a variable that is not secret. */
  value?: string;
}

/** The variables of each service, as DESIGN.md §6 names them (the optional ones are left out). */
export const SERVICE_VARS: Readonly<Record<ServiceName, readonly VarSpec[]>> = byApi((api): VarSpec[] => [
  ...api.credentials.flatMap((c) => (c.init ? [{ name: c.env, what: c.init, secret: true }] : [])),
  ...(api.selfHosted
    ? [{ name: api.baseUrlEnv, what: `${api.label} base URL`, secret: false, value: api.defaultBaseUrl }]
    : []),
]);

/** A launch entry as the clients store it. */
export interface ServerEntry {
  type?: 'stdio';
  command: string;
  args: string[];
  env?: Record<string, string>;
}

/** A VS Code input (the prompt that supplies a `${input:id}` value, kept in VS Code's secret storage). */
interface VsCodeInput {
  type: 'promptString';
  id: string;
  description: string;
  password: boolean;
}

/** How one client stores MCP servers. */
interface ClientSpec {
  label: string;
  /** The top-level key holding the server map. */
  serversKey: 'mcpServers' | 'servers';
  /** The documented configuration file for this OS. */
  configPath(platform: Platform, env: Env, cwd: string): string;
  /** How to open the file from the client, or what it is for. */
  hint: string;
  /** The value written for one variable. */
  value(v: VarSpec): string;
  /** What to do after the block is in place. */
  next: string;
}

function home(platform: Platform, env: Env): string {
  const h = platform === 'win32' ? (env.USERPROFILE ?? env.HOME) : env.HOME;
  if (!h) throw new ConfigError('init: cannot tell the home folder (HOME is not set); pass --config <file>.');
  return h;
}

function appData(env: Env): string {
  return env.APPDATA ?? path.win32.join(home('win32', env), 'AppData', 'Roaming');
}

function join(platform: Platform, ...parts: string[]): string {
  return (platform === 'win32' ? path.win32 : path.posix).join(...parts);
}

function placeholder(v: VarSpec): string {
  return v.secret || v.value === undefined ? `<${v.what}>` : v.value;
}

/** The clients: file locations from each client's documentation. */
export const CLIENTS: Readonly<Record<ClientId, ClientSpec>> = {
  'claude-desktop': {
    label: 'Claude Desktop',
    serversKey: 'mcpServers',
    configPath(platform, env) {
      if (platform === 'darwin') {
        return join(
          platform,
          home(platform, env),
          'Library/Application Support/Claude/claude_desktop_config.json',
        );
      }
      if (platform === 'win32') return join(platform, appData(env), 'Claude', 'claude_desktop_config.json');
      return join(
        platform,
        env.XDG_CONFIG_HOME ?? join(platform, home(platform, env), '.config'),
        'Claude',
        'claude_desktop_config.json',
      );
    },
    hint: 'Claude Desktop → Settings → Developer → Edit Config opens it',
    value: placeholder,
    next: 'Quit and reopen Claude Desktop (closing the window is not enough); syn-mcp then appears under Settings → Developer.',
  },
  'claude-code': {
    label: 'Claude Code',
    serversKey: 'mcpServers',
    configPath: (platform, _env, cwd) => join(platform, cwd, '.mcp.json'),
    hint: 'project scope, fit to commit: it refers to environment variables and holds no secret',
    // Claude Code expands ${VAR} and ${VAR:-default} from the environment it runs in.
    value: (v) => (v.secret || v.value === undefined ? `\${${v.name}}` : `\${${v.name}:-${v.value}}`),
    next: 'Export the variables in the shell that starts claude, then run claude and approve the project server; /mcp shows its status.',
  },
  cursor: {
    label: 'Cursor',
    serversKey: 'mcpServers',
    configPath: (platform, env) => join(platform, home(platform, env), '.cursor', 'mcp.json'),
    hint: 'for every project; .cursor/mcp.json inside a project is for that project only',
    value: placeholder,
    next: 'Open Cursor Settings → MCP (Tools & Integrations) and switch syn-mcp on; it restarts the server when the file changes.',
  },
  vscode: {
    label: 'VS Code',
    serversKey: 'servers',
    configPath(platform, env) {
      if (platform === 'darwin') {
        return join(platform, home(platform, env), 'Library/Application Support/Code/User/mcp.json');
      }
      if (platform === 'win32') return join(platform, appData(env), 'Code', 'User', 'mcp.json');
      return join(
        platform,
        env.XDG_CONFIG_HOME ?? join(platform, home(platform, env), '.config'),
        'Code',
        'User',
        'mcp.json',
      );
    },
    hint: 'the user configuration, opened by the command "MCP: Open User Configuration"; .vscode/mcp.json is for one workspace',
    // VS Code asks once for each ${input:…} and keeps the answer in its secret storage.
    value: (v) => (v.secret || v.value === undefined ? `\${input:${inputId(v.name)}}` : v.value),
    next: 'In VS Code run "MCP: List Servers", start syn-mcp and enter the keys it asks for; use the tools from Copilot Chat in agent mode.',
  },
};

function inputId(varName: string): string {
  return varName.toLowerCase().replace(/_/g, '-');
}

/** What `init` was asked for. */
export interface InitOptions {
  client: ClientId;
  services: readonly ServiceName[];
  platform: Platform;
  sandbox: boolean;
  readOnly: boolean;
  toolsets: string | undefined;
}

/** The launch entry and, for VS Code, the inputs it refers to. */
export function entryFor(opts: InitOptions): { entry: ServerEntry; inputs: VsCodeInput[] } {
  const spec = CLIENTS[opts.client];
  const serverArgs = ['-y', 'syn-mcp'];
  if (opts.sandbox) serverArgs.push('--sandbox');
  if (opts.toolsets) serverArgs.push('--toolsets', opts.toolsets);
  if (opts.readOnly) serverArgs.push('--read-only');
  // On Windows npx is npx.cmd, which a client cannot spawn without a shell: `spawn npx ENOENT`.
  const launch =
    opts.platform === 'win32'
      ? { command: 'cmd', args: ['/c', 'npx', ...serverArgs] }
      : { command: 'npx', args: serverArgs };
  const vars = opts.sandbox ? [] : opts.services.flatMap((s) => SERVICE_VARS[s]);
  const env = Object.fromEntries(vars.map((v) => [v.name, spec.value(v)]));
  const entry: ServerEntry = {
    ...(opts.client === 'vscode' ? { type: 'stdio' as const } : {}),
    ...launch,
    ...(vars.length > 0 ? { env } : {}),
  };
  const inputs =
    opts.client === 'vscode'
      ? vars
          .filter((v) => v.secret)
          .map((v) => ({
            type: 'promptString' as const,
            id: inputId(v.name),
            description: v.what,
            password: true,
          }))
      : [];
  return { entry, inputs };
}

/** The block to paste: the client's whole file shape with syn-mcp as its only server. */
export function blockFor(opts: InitOptions): Record<string, unknown> {
  const { entry, inputs } = entryFor(opts);
  const block: Record<string, unknown> = {};
  if (inputs.length > 0) block.inputs = inputs;
  block[CLIENTS[opts.client].serversKey] = { [SERVER_NAME]: entry };
  return block;
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Reads a client configuration file: `{}` when absent; ConfigError when it is not a JSON object. */
export function readClientFile(file: string): { exists: boolean; data: Json } {
  if (!existsSync(file)) return { exists: false, data: {} };
  const text = readFileSync(file, 'utf8');
  if (text.trim() === '') return { exists: true, data: {} };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(
      `${file} is not plain JSON (${(err as Error).message}); comments and trailing commas are not supported. ` +
        'Fix the file or add the block by hand; nothing was written.',
    );
  }
  if (!isObject(data)) throw new ConfigError(`${file} does not hold a JSON object; nothing was written.`);
  return { exists: true, data };
}

/** The file with syn-mcp's entry set (other servers and keys untouched) and VS Code inputs merged by id. */
export function mergeInto(data: Json, opts: InitOptions): { merged: Json; otherServers: string[] } {
  const key = CLIENTS[opts.client].serversKey;
  const current = data[key] ?? {};
  if (!isObject(current))
    throw new ConfigError(`"${key}" in the configuration file is not an object; nothing was written.`);
  const { entry, inputs } = entryFor(opts);
  const merged: Json = { ...data, [key]: { ...current, [SERVER_NAME]: entry } };
  if (inputs.length > 0) {
    const existing = Array.isArray(data.inputs) ? (data.inputs as unknown[]) : [];
    const ids = new Set(inputs.map((i) => i.id));
    const kept = existing.filter((i) => !(isObject(i) && typeof i.id === 'string' && ids.has(i.id)));
    merged.inputs = [...kept, ...inputs];
  }
  return { merged, otherServers: Object.keys(current).filter((k) => k !== SERVER_NAME) };
}

/** `2026-05-07T10-11-12Z`: a timestamp fit for a file name on every OS. */
function stamp(now: Date): string {
  return now
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/:/g, '-');
}

/** Writes the merged file: a timestamped backup of the old one first, then an atomic replace. */
export function writeClientFile(
  file: string,
  opts: InitOptions,
  now: Date = new Date(),
): { backup: string | undefined; otherServers: string[] } {
  const { exists, data } = readClientFile(file);
  const { merged, otherServers } = mergeInto(data, opts);
  let backup: string | undefined;
  if (exists) {
    backup = `${file}.${stamp(now)}.bak`;
    for (let n = 1; existsSync(backup); n++) backup = `${file}.${stamp(now)}-${n}.bak`;
    copyFileSync(file, backup);
  } else {
    mkdirSync(path.dirname(file), { recursive: true });
  }
  const tmp = `${file}.syn-mcp-${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(merged, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, file);
  return { backup, otherServers };
}

function parseServices(value: string | undefined): ServiceName[] {
  if (value === undefined || value.trim() === '' || value.trim() === 'all') return [...SERVICES];
  const out: ServiceName[] = [];
  for (const raw of value.split(',')) {
    const name = raw.trim().toLowerCase();
    if (name === '') continue;
    if (!SERVICES.includes(name as ServiceName)) {
      throw new ConfigError(`--services: unknown service "${name}". Valid: ${SERVICES.join(', ')} (or all).`);
    }
    if (!out.includes(name as ServiceName)) out.push(name as ServiceName);
  }
  return out;
}

/** Reads `init`'s flags; throws ConfigError with one line naming the culprit. */
export function parseInitArgs(
  argv: readonly string[],
  currentPlatform: string = process.platform,
): InitOptions & { write: boolean; json: boolean; config: string | undefined } {
  const values = readFlags(
    argv,
    {
      client: { type: 'string' },
      services: { type: 'string' },
      platform: { type: 'string' },
      write: { type: 'boolean' },
      config: { type: 'string' },
      json: { type: 'boolean' },
      sandbox: { type: 'boolean' },
      'read-only': { type: 'boolean' },
      toolsets: { type: 'string' },
    },
    (message) => `init: ${message}. Usage: ${INIT_USAGE}`,
  );
  const client = values.client;
  if (typeof client !== 'string' || !CLIENT_IDS.includes(client as ClientId)) {
    throw new ConfigError(
      `init: --client must be one of ${CLIENT_IDS.join(', ')}${typeof client === 'string' ? ` (got "${client}")` : ''}.`,
    );
  }
  const fallback = PLATFORMS.includes(currentPlatform as Platform) ? (currentPlatform as Platform) : 'linux';
  const platform = typeof values.platform === 'string' ? values.platform : fallback;
  if (!PLATFORMS.includes(platform as Platform)) {
    throw new ConfigError(`init: --platform must be one of ${PLATFORMS.join(', ')} (got "${platform}").`);
  }
  const config = typeof values.config === 'string' ? values.config : undefined;
  if (values.write === true && platform !== fallback && config === undefined) {
    throw new ConfigError(
      `init: --write with --platform ${platform} on ${fallback} needs --config <file> (the ${platform} path does not exist here).`,
    );
  }
  return {
    client: client as ClientId,
    services: parseServices(typeof values.services === 'string' ? values.services : undefined),
    platform: platform as Platform,
    sandbox: values.sandbox === true,
    readOnly: values['read-only'] === true,
    toolsets: typeof values.toolsets === 'string' ? values.toolsets : undefined,
    write: values.write === true,
    json: values.json === true,
    config,
  };
}

/** One-line usage of `init`. */
export const INIT_USAGE =
  `syn-mcp init --client claude-desktop|claude-code|cursor|vscode [--services ${APIS.map((a) => a.name).join(',')}] ` +
  '[--sandbox] [--toolsets a,b] [--read-only] [--platform win32|darwin|linux] [--write [--config <file>]] [--json]';

function claudeCodeCommand(opts: InitOptions): string {
  const { entry } = entryFor(opts);
  // The key is read from this shell when the command runs (POSIX "$VAR", cmd.exe %VAR%), never typed in.
  const ref = (name: string) => (opts.platform === 'win32' ? `%${name}%` : `"$${name}"`);
  const vars = opts.sandbox ? [] : opts.services.flatMap((s) => SERVICE_VARS[s]);
  const envFlags = vars.map(
    (v) => `-e ${v.name}=${v.secret || v.value === undefined ? ref(v.name) : v.value}`,
  );
  return [
    'claude mcp add',
    SERVER_NAME,
    '--scope user',
    ...envFlags,
    '--',
    entry.command,
    ...entry.args,
  ].join(' ');
}

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
