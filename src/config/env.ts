/**
 * Reading one environment variable: a secret (directly or from `<NAME>_FILE`), a list, a bounded integer, an
 * http(s) URL; and `tolerate`, which turns a bad value into a reported problem when the caller collects them.
 */
import { ConfigError } from '../errors.js';
import type { Env } from './types.js';

/** Reads a file's text (fs in production, an in-memory map in tests). */
export type ReadFile = (path: string) => string;

/** A variable's value that cannot be used, reported instead of thrown when the caller collects problems. */
export type OnProblem = (variable: string, error: ConfigError) => void;

/** Runs `read`; with `onProblem`, a ConfigError is reported under `variable` and `fallback` returned. */
export function tolerate<T>(
  variable: string,
  read: () => T,
  fallback: T,
  onProblem: OnProblem | undefined,
): T {
  if (!onProblem) return read();
  try {
    return read();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    onProblem(variable, err);
    return fallback;
  }
}

/** The secret `name`, from the variable itself or else from the file `<name>_FILE` names. */
export function secret(env: Env, name: string, readFile: ReadFile): string | undefined {
  const direct = env[name]?.trim();
  if (direct) return direct;
  const file = env[`${name}_FILE`]?.trim();
  if (!file) return undefined;
  let text: string;
  try {
    text = readFile(file);
  } catch (err) {
    const code = (err as { code?: string }).code ?? 'unreadable';
    throw new ConfigError(`${name}_FILE: cannot read ${file} (${code}).`);
  }
  const value = text.trim();
  if (!value) throw new ConfigError(`${name}_FILE: ${file} is empty.`);
  return value;
}

/** An http(s) URL with a host and no query or fragment: a base URL, or a proxy. */
export function isHttpUrl(v: string): boolean {
  try {
    const u = new URL(v);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '' && !u.search && !u.hash;
  } catch {
    return false;
  }
}

/** A comma-separated list, trimmed, without empty entries; undefined when the value is. */
export function list(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** An integer option from `min` to `max`; `fallback` when not given. */
export function intOption(
  name: string,
  value: string | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(`${name}: "${value}" must be an integer from ${min} to ${max}.`);
  }
  return n;
}

/** The secret `name` as `secret` reads it; with `onProblem`, an unreadable `<name>_FILE` is reported and unset. */
export function readSecret(
  env: Env,
  name: string,
  readFile: ReadFile,
  onProblem: OnProblem | undefined,
): string | undefined {
  return tolerate(`${name}_FILE`, () => secret(env, name, readFile), undefined, onProblem);
}
