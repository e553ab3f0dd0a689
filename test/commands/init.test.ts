/**
 * `syn-mcp init`: the block for each client and OS, placeholders per service, and `--write` merging into a
 * configuration file (other servers and keys untouched, a timestamped backup first, nothing written on error).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseInitArgs } from '../../src/commands/init/args.js';
import { CLIENTS, type ClientId } from '../../src/commands/init/clients.js';
import { blockFor } from '../../src/commands/init/entry.js';
import { initCommand } from '../../src/commands/init.js';

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'syn-mcp-init-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const T1 = new Date('2026-05-07T10:11:12.345Z');
const T2 = new Date('2026-05-07T10:11:13.000Z');

function run(argv: string[], cwd = tmp, now = T1): { code: number; out: string } {
  let out = '';
  const code = initCommand(
    argv,
    { HOME: join(tmp, 'home'), APPDATA: join(tmp, 'appdata') },
    (t) => {
      out += t;
    },
    cwd,
    now,
  );
  return { code, out };
}

function json(argv: string[]): Record<string, unknown> {
  return JSON.parse(run([...argv, '--json']).out) as Record<string, unknown>;
}

describe('init: the block per client', () => {
  it('Claude Desktop on macOS: npx -y syn-mcp with a placeholder per credential of the services named', () => {
    expect(
      json(['--client', 'claude-desktop', '--services', 'syncguard,synchronex', '--platform', 'darwin']),
    ).toEqual({
      mcpServers: {
        'syn-mcp': {
          command: 'npx',
          args: ['-y', 'syn-mcp'],
          env: {
            SYNCGUARD_API_KEY: '<SyncGuard workspace API key (sg_…)>',
            SYNCHRONEX_API_KEY: '<Synchronex API key (sx_live_… or sxo_…)>',
          },
        },
      },
    });
  });

  it.each(['claude-desktop', 'claude-code', 'cursor', 'vscode'] as const)(
    '%s on Windows launches cmd /c npx',
    (client) => {
      const block = json(['--client', client, '--services', 'synap', '--platform', 'win32']);
      const servers = (block[CLIENTS[client].serversKey] ?? {}) as Record<
        string,
        { command: string; args: string[] }
      >;
      expect(servers['syn-mcp']?.command).toBe('cmd');
      expect(servers['syn-mcp']?.args).toEqual(['/c', 'npx', '-y', 'syn-mcp']);
    },
  );

  it('every service by default; each client writes its placeholders its own way', () => {
    const desktop = blockFor({ ...parseInitArgs(['--client', 'claude-desktop'], 'linux') });
    const env = (desktop.mcpServers as Record<string, { env: Record<string, string> }>)['syn-mcp']?.env ?? {};
    expect(Object.keys(env)).toEqual([
      'SYNCGUARD_API_KEY',
      'SYNAPSE_API_KEY',
      'SYNAPSE_BASE_URL',
      'SYNQLY_ORG_TOKEN',
      'SYNAP_API_KEY',
      'SYNCHRONEX_API_KEY',
    ]);
    expect(env.SYNAPSE_BASE_URL).toBe('http://localhost:8765/api/v1');

    expect(json(['--client', 'claude-code', '--services', 'synapse', '--platform', 'linux'])).toEqual({
      mcpServers: {
        'syn-mcp': {
          command: 'npx',
          args: ['-y', 'syn-mcp'],
          env: {
            SYNAPSE_API_KEY: `\${SYNAPSE_API_KEY}`,
            SYNAPSE_BASE_URL: `\${SYNAPSE_BASE_URL:-http://localhost:8765/api/v1}`,
          },
        },
      },
    });
    expect(json(['--client', 'vscode', '--services', 'synqly', '--platform', 'linux'])).toEqual({
      inputs: [
        {
          type: 'promptString',
          id: 'synqly-org-token',
          description: 'Synqly organization token',
          password: true,
        },
      ],
      servers: {
        'syn-mcp': {
          type: 'stdio',
          command: 'npx',
          args: ['-y', 'syn-mcp'],
          env: { SYNQLY_ORG_TOKEN: `\${input:synqly-org-token}` },
        },
      },
    });
    expect(json(['--client', 'cursor', '--services', 'synap', '--platform', 'darwin'])).toEqual({
      mcpServers: {
        'syn-mcp': { command: 'npx', args: ['-y', 'syn-mcp'], env: { SYNAP_API_KEY: '<Synap API key>' } },
      },
    });
  });

  it('--sandbox needs no credential; --toolsets and --read-only are passed on', () => {
    expect(
      json(['--client', 'cursor', '--sandbox', '--toolsets', 'all', '--read-only', '--platform', 'linux']),
    ).toEqual({
      mcpServers: {
        'syn-mcp': {
          command: 'npx',
          args: ['-y', 'syn-mcp', '--sandbox', '--toolsets', 'all', '--read-only'],
        },
      },
    });
  });

  it('prints the documented path for the OS asked for, the block and what to do next', () => {
    const mac = run(['--client', 'claude-desktop', '--services', 'syncguard', '--platform', 'darwin']).out;
    expect(mac).toContain('Add this to ~/Library/Application Support/Claude/claude_desktop_config.json\n');
    expect(mac).toContain('"SYNCGUARD_API_KEY": "<SyncGuard workspace API key (sg_…)>"');
    expect(mac).toMatch(/Replace each <…> placeholder/);
    expect(mac).toMatch(/npx -y syn-mcp doctor --client claude-desktop/);
    const win = run(['--client', 'claude-desktop', '--services', 'syncguard', '--platform', 'win32']).out;
    expect(win).toContain('Add this to %APPDATA%\\Claude\\claude_desktop_config.json\n');
    expect(run(['--client', 'vscode', '--platform', 'win32']).out).toContain(
      '%APPDATA%\\Code\\User\\mcp.json',
    );
    expect(run(['--client', 'cursor', '--platform', 'win32']).out).toContain(
      '%USERPROFILE%\\.cursor\\mcp.json',
    );
    const code = run(['--client', 'claude-code', '--services', 'syncguard', '--platform', 'linux']).out;
    expect(code).toContain(`Add this to ${join(tmp, '.mcp.json')}`);
    expect(code).toContain(
      'claude mcp add syn-mcp --scope user -e SYNCGUARD_API_KEY="$SYNCGUARD_API_KEY" -- npx -y syn-mcp',
    );
  });

  it('refuses an unknown client, service, platform or flag with one line naming it', () => {
    expect(() => run(['--client', 'emacs'])).toThrow(
      /--client must be one of claude-desktop, claude-code, cursor, vscode \(got "emacs"\)/,
    );
    expect(() => run(['--client', 'cursor', '--services', 'syncguard,jira'])).toThrow(
      /unknown service "jira"/,
    );
    expect(() => run(['--client', 'cursor', '--platform', 'beos'])).toThrow(
      /--platform must be one of win32, darwin, linux/,
    );
    expect(() => run(['--client', 'cursor', '--bogus'])).toThrow(/init: .*--bogus/);
    expect(() =>
      run(['--client', 'cursor', '--platform', process.platform === 'win32' ? 'darwin' : 'win32', '--write']),
    ).toThrow(/needs --config <file>/);
  });
});

describe('init --write', () => {
  it('merges into the file: other servers and keys kept, syn-mcp replaced, a timestamped backup of the old file', () => {
    const file = join(tmp, 'desktop', 'claude_desktop_config.json');
    const before = {
      globalShortcut: 'Ctrl+Space',
      mcpServers: {
        filesystem: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/tmp'] },
        'syn-mcp': { command: 'old', args: [] },
        github: {
          command: 'docker',
          args: ['run', 'ghcr.io/github/github-mcp-server'],
          env: { GITHUB_TOKEN: 'x' },
        },
      },
    };
    run(['--client', 'claude-desktop', '--sandbox', '--write', '--config', file], tmp, T1); // creates it
    writeFileSync(file, `${JSON.stringify(before, null, 2)}\n`);
    const beforeText = readFileSync(file, 'utf8');

    const { code, out } = run(
      [
        '--client',
        'claude-desktop',
        '--services',
        'syncguard',
        '--platform',
        'linux',
        '--write',
        '--config',
        file,
      ],
      tmp,
      T1,
    );
    expect(code).toBe(0);
    const backup = `${file}.2026-05-07T10-11-12Z.bak`;
    expect(out).toContain(`Wrote the "syn-mcp" server into ${file}`);
    expect(out).toContain(`Backup of the previous file: ${backup}`);
    expect(out).toContain('Other servers kept as they were: filesystem, github');
    expect(readFileSync(backup, 'utf8')).toBe(beforeText);
    const after = JSON.parse(readFileSync(file, 'utf8')) as typeof before;
    expect(after).toEqual({
      globalShortcut: 'Ctrl+Space',
      mcpServers: {
        filesystem: before.mcpServers.filesystem,
        'syn-mcp': {
          command: 'npx',
          args: ['-y', 'syn-mcp'],
          env: { SYNCGUARD_API_KEY: '<SyncGuard workspace API key (sg_…)>' },
        },
        github: before.mcpServers.github,
      },
    });

    // A second write in the same second gets its own backup; the first one is left alone.
    run(['--client', 'claude-desktop', '--sandbox', '--write', '--config', file], tmp, T1);
    expect(readFileSync(backup, 'utf8')).toBe(beforeText);
    expect(existsSync(`${file}.2026-05-07T10-11-12Z-1.bak`)).toBe(true);
  });

  it('creates a missing file (and its folder) without a backup', () => {
    const file = join(tmp, 'new', 'deeper', 'mcp.json');
    const { out } = run(['--client', 'cursor', '--services', 'synap', '--write', '--config', file]);
    expect(out).toContain('The file did not exist: created it.');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      mcpServers: {
        'syn-mcp': {
          command: process.platform === 'win32' ? 'cmd' : 'npx',
          args: expect.any(Array),
          env: { SYNAP_API_KEY: '<Synap API key>' },
        },
      },
    });
    expect(readdirSync(join(tmp, 'new', 'deeper'))).toEqual(['mcp.json']);
  });

  it('VS Code: inputs merged by id, other inputs and servers kept', () => {
    const file = join(tmp, 'vscode-mcp.json');
    writeFileSync(
      file,
      JSON.stringify({
        inputs: [
          { type: 'promptString', id: 'other-token', description: 'x', password: true },
          { type: 'promptString', id: 'synap-api-key', description: 'stale', password: true },
        ],
        servers: { other: { type: 'http', url: 'https://example.test/mcp' } },
      }),
    );
    run(
      ['--client', 'vscode', '--services', 'synap', '--platform', 'linux', '--write', '--config', file],
      tmp,
      T2,
    );
    const after = JSON.parse(readFileSync(file, 'utf8')) as {
      inputs: Array<{ id: string; description: string }>;
      servers: object;
    };
    expect(after.inputs.map((i) => [i.id, i.description])).toEqual([
      ['other-token', 'x'],
      ['synap-api-key', 'Synap API key'],
    ]);
    expect(Object.keys(after.servers)).toEqual(['other', 'syn-mcp']);
  });

  it('a file that is not plain JSON is left untouched, with no backup, and the error says why', () => {
    const file = join(tmp, 'broken.json');
    const text = '{\n  // a comment\n  "mcpServers": {}\n}\n';
    writeFileSync(file, text);
    expect(() => run(['--client', 'vscode', '--write', '--config', file])).toThrow(
      /is not plain JSON .*nothing was written/,
    );
    expect(readFileSync(file, 'utf8')).toBe(text);
    expect(readdirSync(tmp).filter((f) => f.startsWith('broken.json.'))).toEqual([]);
    writeFileSync(file, '{"mcpServers": []}');
    expect(() => run(['--client', 'cursor', '--write', '--config', file])).toThrow(
      /"mcpServers" .* is not an object/,
    );
  });

  it.each(['claude-desktop', 'claude-code', 'cursor', 'vscode'] as ClientId[])(
    '%s: the documented path when no --config is given',
    (client) => {
      const platform =
        process.platform === 'win32' || process.platform === 'darwin' ? process.platform : 'linux';
      const { out } = run(['--client', client, '--services', 'syncguard', '--write'], join(tmp, 'project'));
      const written = CLIENTS[client].configPath(
        platform,
        { HOME: join(tmp, 'home'), APPDATA: join(tmp, 'appdata') },
        join(tmp, 'project'),
      );
      expect(written.startsWith(tmp)).toBe(true);
      expect(out).toContain(`into ${written}`);
      expect(existsSync(written)).toBe(true);
    },
  );
});
