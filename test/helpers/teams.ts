/**
 * Fixtures of the HTTP-for-teams tests: a principals file (SYN_MCP_PRINCIPALS_FILE) in a temporary directory
 * of its own, and a SyncGuard emulator with a second workspace, so that two callers hold two real keys.
 * `removePrincipalsFiles()` deletes every file written here (call it in afterEach/afterAll).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SyncGuardEmulator } from '../../src/sandbox/syncguard/index.js';
import { startEmulator } from '../e2e/spawn.js';

/** The hex SHA-256 of a bearer token, as a principal's `tokenSha256` names it. */
export function sha256Hex(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

const dirs = new Set<string>();

/** Writes `{ principals }` to a fresh temporary file and returns its path. */
export function writePrincipalsFile(principals: readonly Record<string, unknown>[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'syn-principals-'));
  dirs.add(dir);
  const file = join(dir, 'principals.json');
  writeFileSync(file, JSON.stringify({ principals }));
  return file;
}

/** Deletes every principals file written by this module. */
export function removePrincipalsFiles(): void {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs.clear();
}

/**
 * A SyncGuard emulator (spawn.ts's `cleanup()` closes it) with a second workspace created through its API:
 * `emulator.apiKey` is the first workspace's key, `secondKey` the new one's.
 */
export async function startSyncGuardWithSecondWorkspace(
  name: string,
): Promise<{ emulator: SyncGuardEmulator; baseUrl: string; secondKey: string }> {
  const { emulator, baseUrl } = await startEmulator();
  const created = await fetch(`${baseUrl}/workspaces`, {
    method: 'POST',
    headers: { authorization: `Bearer ${emulator.jwt}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name }),
  });
  const secondKey = ((await created.json()) as { data: { apiKey: string } }).data.apiKey;
  return { emulator, baseUrl, secondKey };
}
