import { readFileSync } from 'node:fs';
import { type Config, type Env, loadConfig } from './config.js';

/** The package version, from package.json (two levels above both dist/src/ and dist/bin/). */
export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/** syn-mcp's own variables: with --sandbox every service variable is replaced, so only these are checked first. */
function ownVariables(env: Env): Env {
  return Object.fromEntries(Object.entries(env).filter(([k]) => k.startsWith('SYN_MCP_')));
}

/**
 * The configuration the server starts from (before --sandbox points the services at the emulators): what
 * the CLI checks first. Throws ConfigError.
 */
export function startupConfig(argv: readonly string[], env: Env): Config {
  return loadConfig(argv, argv.includes('--sandbox') ? ownVariables(env) : env);
}
