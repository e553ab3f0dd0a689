/** The configuration as the server would load it, each unusable variable a failed check instead of a stop. */
import { apiOfVar, regionEnv } from '../../apis.js';
import { type Config, type Env, loadConfig } from '../../config.js';
import { ConfigError, type ServiceName } from '../../errors.js';
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
 * Loads the configuration once, as the server would: each unusable API variable (named by the API records,
 * reported by the loader) becomes a failed check and is treated as unset, so the rest can still be checked;
 * an API whose base URL is unusable is `blocked` from network checks. A bad non-API setting stops the loader
 * (it has no API record to fall back on): that variable is reported, left out, and the load repeated.
 */
export function lenientConfig(
  argv: readonly string[],
  env: Env,
): { config: Config; problems: Map<string, Check[]>; blocked: Set<ServiceName> } {
  const settings: Check[] = [];
  const work: Record<string, string | undefined> = { ...env };
  for (let left = Object.keys(work).length; left >= 0; left--) {
    const problems = new Map<string, Check[]>(settings.length ? [['settings', [...settings]]] : []);
    const blocked = new Set<ServiceName>();
    const onProblem = (name: string, err: ConfigError) => {
      const api = apiOfVar(name);
      const key = api?.name ?? 'settings';
      problems.set(key, [...(problems.get(key) ?? []), problemCheck(name, err, work[name])]);
      if (api && name === api.baseUrlEnv) blocked.add(api.name);
    };
    try {
      return { config: loadConfig(argv, work, undefined, onProblem), problems, blocked };
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      // A setting's message starts with its variable's name (SYN_MCP_LOG_LEVEL: …); anything else is fatal.
      const name = /^([A-Z][A-Z0-9_]*):/.exec(err.message)?.[1];
      if (!name || !(name in work)) throw err;
      settings.push(problemCheck(name, err, work[name]));
      delete work[name];
    }
  }
  throw new ConfigError('doctor: the configuration could not be loaded');
}
