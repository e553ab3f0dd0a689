/** The launch entry `init` writes for a client: the command, its flags and each variable's value. */
import type { ServiceName } from '../../apis.js';
import { CLIENTS, type ClientId, inputId, type Platform, SERVER_NAME } from './clients.js';
import { SERVICE_VARS } from './vars.js';

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

/** The `claude mcp add` command that adds the same server for every project (user scope). */
export function claudeCodeCommand(opts: InitOptions): string {
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
