/**
 * The configuration's entry: `loadConfig` reads argv and the environment into one frozen Config. Each part is
 * read in src/config/ (flags, environment and secrets, per-API services, HTTP and access, the other settings,
 * the help text); this file puts them together in the order their errors are reported, and names the
 * exports the rest of the code imports.
 */
import { readFileSync } from 'node:fs';
import { accessFrom } from './config/access.js';
import { intOption, list, type OnProblem, type ReadFile } from './config/env.js';
import { readServeFlags } from './config/flags.js';
import { hostFrom, httpFrom } from './config/http.js';
import { proxyFrom } from './config/proxy.js';
import { servicesFrom } from './config/services.js';
import {
  byokKeysFrom,
  confirmModeFrom,
  logLevelFrom,
  rateLimitsFrom,
  redisUrlFrom,
  schemaProfileFrom,
  stateKeyFrom,
} from './config/settings.js';
import type { Command, Config, Env } from './config/types.js';

export { synapseBaseUrlWarning } from './apis.js';
export { tokenBits } from './config/access.js';
export type { OnProblem } from './config/env.js';
export { type Flags, readFlags } from './config/flags.js';
export { HELP } from './config/help.js';
export { isLoopbackHost } from './config/http.js';
export { secretsOf } from './config/secrets.js';
export { DEFAULT_BASE_URLS, servicesFrom } from './config/services.js';
export type * from './config/types.js';

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/**
 * Reads argv and env into one frozen Config; throws ConfigError with one clear line naming the culprit. With
 * `onProblem` (doctor), an unusable API variable is reported and treated as unset instead.
 */
export function loadConfig(
  argv: readonly string[],
  env: Env,
  readFile: ReadFile = (p) => readFileSync(p, 'utf8'),
  onProblem?: OnProblem,
): Config {
  const flags = readServeFlags(argv);
  const { flag, opt } = flags;
  const command: Command = flag('help') ? 'help' : flag('version') ? 'version' : 'serve';
  const { services, notices } = servicesFrom(env, readFile, onProblem);
  const transport = flag('http') ? 'http' : 'stdio';
  const { token, principals, oauth } = accessFrom(
    { host: hostFrom(flags), transport, oauthIssuer: opt('oauth-issuer'), resource: opt('resource') },
    env,
    readFile,
    onProblem,
  );
  const logLevel = logLevelFrom(opt('log-level') ?? env.SYN_MCP_LOG_LEVEL);
  const byokKeys = byokKeysFrom(env, readFile, onProblem);
  const schemaProfile = schemaProfileFrom(opt('schema-profile'));

  const config: Config = {
    command,
    services,
    notices,
    transport,
    http: httpFrom(flags, env, token, onProblem),
    toolsets: list(opt('toolsets')),
    tools: list(opt('tools')),
    readOnly: flag('read-only'),
    sandbox: flag('sandbox'),
    apps: !flag('no-apps'),
    logLevel,
    byokKeys,
    schemaProfile,
    maxResultChars: intOption('--max-result-chars', opt('max-result-chars'), 20_000, 2_000, 10_000_000),
    auditLog: env.SYN_MCP_AUDIT_LOG?.trim() || undefined,
    proxy: proxyFrom(env, onProblem),
    redisUrl: redisUrlFrom(env, readFile, onProblem),
    rateLimits: rateLimitsFrom(opt('rate-limit') ?? env.SYN_MCP_RATE_LIMIT),
    confirm: confirmModeFrom(opt('confirm')),
    stateKey: stateKeyFrom(env, readFile, onProblem),
    principals,
    oauth,
  };
  return deepFreeze(config);
}
