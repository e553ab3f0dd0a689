/**
 * The clients `init` knows: where each keeps its MCP servers (from each client's documentation, per OS) and
 * how it writes a variable's value (placeholder, environment reference or VS Code input).
 */
import path from 'node:path';
import type { Env } from '../../config.js';
import { ConfigError } from '../../errors.js';
import type { VarSpec } from './vars.js';

/** The clients `init` knows. */
export type ClientId = 'claude-desktop' | 'claude-code' | 'cursor' | 'vscode';
/** Operating systems with their own paths and launch command. */
export type Platform = 'win32' | 'darwin' | 'linux';

/** The key of syn-mcp's entry in a client's server map. */
export const SERVER_NAME = 'syn-mcp';
/** Every client `init` can write for, as `--client` takes them. */
export const CLIENT_IDS: readonly ClientId[] = ['claude-desktop', 'claude-code', 'cursor', 'vscode'];
/** Every OS `--platform` takes. */
export const PLATFORMS: readonly Platform[] = ['win32', 'darwin', 'linux'];

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

/** The id of a variable's VS Code input, e.g. `syncguard-api-key`. */
export function inputId(varName: string): string {
  return varName.toLowerCase().replace(/_/g, '-');
}
