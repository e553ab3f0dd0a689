/** The configuration as the server would load it, each unusable variable a failed check instead of a stop. */
import { apiOfVar, regionEnv } from '../../apis.js';
import { type Config, type Env, loadConfig } from '../../config.js';
import type { ConfigError, ServiceName } from '../../errors.js';
import { defaultBase } from './network.js';
import { type Check, fail } from './report.js';

/** The fix for an unusable variable `name` whose value is `value`. */
function fixFor(name: string, value: string | undefined): string {
  const api = apiOfVar(name);
  if (name.endsWith('_FILE')) {
    return `make ${value} readable and non-empty, or unset ${name} and set ${name.slice(0, -5)} itself`;
  }
  if (api && name === regionEnv(api)) {
    return `set ${name} to ${Object.keys(api.regions ?? {}).join(' or ')} (or unset it)`;
  }
  if (api && name === api.baseUrlEnv) {
    return `set ${name} to a full http(s) URL without query or fragment, e.g. the default ${defaultBase(api)}`;
  }
  return `fix ${name}`;
}

/** The failed check of an unusable variable. */
function problemCheck(name: string, err: ConfigError, value: string | undefined): Check {
  const detail = err.message.startsWith(`${name}:`) ? err.message.slice(name.length + 1).trim() : err.message;
  return fail(name, detail, fixFor(name, value));
}

/**
 * Loads the configuration once, as the server would, except that each unusable variable (reported by the
 * loader under its name, an API's variables as its record names them) becomes a failed check and is treated as
 * unset, so the rest can still be checked. An API whose base URL is unusable is `blocked` from network checks.
 */
export function lenientConfig(
  argv: readonly string[],
  env: Env,
): { config: Config; problems: Map<string, Check[]>; blocked: Set<ServiceName> } {
  const problems = new Map<string, Check[]>();
  const blocked = new Set<ServiceName>();
  const config = loadConfig(argv, env, undefined, (name, err) => {
    const api = apiOfVar(name);
    const key = api?.name ?? 'settings';
    problems.set(key, [...(problems.get(key) ?? []), problemCheck(name, err, env[name])]);
    if (api && name === api.baseUrlEnv) blocked.add(api.name);
  });
  return { config, problems, blocked };
}
