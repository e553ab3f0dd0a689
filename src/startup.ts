import { readFileSync } from 'node:fs';
import { APIS } from './apis.js';
import { type Config, type Env, loadConfig } from './config.js';

/** The package version, from package.json (two levels above both dist/src/ and dist/bin/). */
export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/** Prefixes of the service variables --sandbox replaces (src/sandbox's SERVICE_ENV_PREFIXES). */
const SERVICE_PREFIXES = APIS.map((a) => a.envPrefix);

/**
 * With --sandbox every service variable is replaced, so they are not checked first; the rest stays (the
 * variables a principals file refers to among them).
 */
function ownVariables(env: Env): Env {
  return Object.fromEntries(
    Object.entries(env).filter(([k]) => !SERVICE_PREFIXES.some((prefix) => k.startsWith(prefix))),
  );
}

/**
 * The configuration the server starts from (before --sandbox points the services at the emulators): what
 * the CLI checks first. Throws ConfigError.
 */
export function startupConfig(argv: readonly string[], env: Env): Config {
  return loadConfig(argv, argv.includes('--sandbox') ? ownVariables(env) : env);
}
