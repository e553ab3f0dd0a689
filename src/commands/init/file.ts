/**
 * A client's configuration file: read as plain JSON, syn-mcp's entry merged in (other servers and keys kept),
 * written back atomically after a timestamped backup.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../../errors.js';
import { CLIENTS, SERVER_NAME } from './clients.js';
import { entryFor, type InitOptions } from './entry.js';

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
