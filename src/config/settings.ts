/**
 * The settings read and checked one by one: log level, schema profile, BYOK keys, confirmation mode, rate
 * limit overrides, the Redis URL and the state key. Each throws a ConfigError naming its flag or variable.
 */
import { APIS } from '../apis.js';
import { parseStateKey } from '../confirm/key.js';
import { CONFIRM_MODES, type ConfirmMode } from '../confirm/policy.js';
import { ConfigError, type ServiceName } from '../errors.js';
import { parseRateRule } from '../http/ratelimit.js';
import type { LogLevel } from '../log.js';
import { PROFILES, type SchemaProfile } from '../profiles.js';
import type { RateRule } from '../state/rates.js';
import { list, type OnProblem, type ReadFile, readSecret, tolerate } from './env.js';
import type { Env } from './types.js';

const SERVICES: readonly ServiceName[] = APIS.map((a) => a.name);
const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

/** `--log-level` or SYN_MCP_LOG_LEVEL (the flag wins); info by default. */
export function logLevelFrom(value: string | undefined): LogLevel {
  const logLevel = (value ?? 'info').toLowerCase() as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(`--log-level: "${logLevel}" is not one of ${LOG_LEVELS.join(', ')}.`);
  }
  return logLevel;
}

/** `--schema-profile`: auto (default) or a profile name. */
export function schemaProfileFrom(value: string | undefined): SchemaProfile | 'auto' {
  const profile = (value ?? 'auto').toLowerCase();
  if (profile !== 'auto' && !PROFILES.includes(profile as SchemaProfile)) {
    throw new ConfigError(`--schema-profile: "${profile}" is not one of auto, ${PROFILES.join(', ')}.`);
  }
  return profile as SchemaProfile | 'auto';
}

/** The provider keys SYN_MCP_BYOK_ENV_ALLOWLIST names, those present, by variable name. */
export function byokKeysFrom(
  env: Env,
  readFile: ReadFile,
  onProblem: OnProblem | undefined,
): Record<string, string> {
  const read = () => {
    const keys: Record<string, string> = {};
    const names = list(env.SYN_MCP_BYOK_ENV_ALLOWLIST) ?? [];
    const bad = names.find((name) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name));
    if (bad !== undefined) {
      throw new ConfigError(`SYN_MCP_BYOK_ENV_ALLOWLIST: "${bad}" is not an environment variable name.`);
    }
    for (const name of names) {
      const value = readSecret(env, name, readFile, onProblem);
      if (value) keys[name] = value;
    }
    return keys;
  };
  return tolerate('SYN_MCP_BYOK_ENV_ALLOWLIST', read, {}, onProblem);
}

/** `--confirm`: destructive (default), writes or off. */
export function confirmModeFrom(value: string | undefined): ConfirmMode {
  const mode = (value ?? 'destructive').trim().toLowerCase();
  if (!(CONFIRM_MODES as readonly string[]).includes(mode)) {
    throw new ConfigError(`--confirm: "${value}" is not one of ${CONFIRM_MODES.join(', ')}.`);
  }
  return mode as ConfirmMode;
}

/** `api=N/W[:B]` entries, comma separated. */
export function rateLimitsFrom(text: string | undefined): Partial<Record<ServiceName, RateRule>> {
  const out: Partial<Record<ServiceName, RateRule>> = {};
  for (const entry of list(text) ?? []) {
    const eq = entry.indexOf('=');
    const api = entry.slice(0, eq).trim().toLowerCase() as ServiceName;
    if (eq === -1 || !SERVICES.includes(api)) {
      throw new ConfigError(
        `--rate-limit: "${entry}" must be api=N/W[:B] with api one of ${SERVICES.join(', ')} (example: synap=600/1m:50).`,
      );
    }
    const rule = parseRateRule(entry.slice(eq + 1));
    if (!rule) {
      throw new ConfigError(
        `--rate-limit: "${entry}": give N requests per window W, e.g. ${api}=60/1m or ${api}=500/1d ` +
          '(units ms, s, m, h, d; an optional :B caps back-to-back requests).',
      );
    }
    out[api] = rule;
  }
  return out;
}

/** A secret that must also pass `check`; with `onProblem`, a failing one is reported under `name` and unset. */
function checkedSecret(
  env: Env,
  name: string,
  readFile: ReadFile,
  onProblem: OnProblem | undefined,
  check: (raw: string | undefined) => string | undefined,
): string | undefined {
  return tolerate(name, () => check(readSecret(env, name, readFile, onProblem)), undefined, onProblem);
}

/** SYN_MCP_REDIS_URL (or _FILE), checked; the value is never echoed (it may hold a password). */
export function redisUrlFrom(
  env: Env,
  readFile: ReadFile,
  onProblem: OnProblem | undefined,
): string | undefined {
  return checkedSecret(env, 'SYN_MCP_REDIS_URL', readFile, onProblem, (raw) => {
    if (raw === undefined) return undefined;
    let ok = false;
    try {
      const u = new URL(raw);
      ok = (u.protocol === 'redis:' || u.protocol === 'rediss:') && u.hostname !== '';
    } catch {
      ok = false;
    }
    if (!ok) {
      throw new ConfigError(
        'SYN_MCP_REDIS_URL: not a Redis URL (example: redis://:password@redis.internal:6379/0, or rediss:// for TLS).',
      );
    }
    return raw;
  });
}

/** SYN_MCP_STATE_KEY (or _FILE), checked; the value is never echoed. */
export function stateKeyFrom(
  env: Env,
  readFile: ReadFile,
  onProblem: OnProblem | undefined,
): string | undefined {
  return checkedSecret(env, 'SYN_MCP_STATE_KEY', readFile, onProblem, (raw) => {
    if (raw === undefined) return undefined;
    try {
      parseStateKey(raw);
    } catch (err) {
      throw new ConfigError(`SYN_MCP_STATE_KEY: ${(err as Error).message}`);
    }
    return raw;
  });
}
