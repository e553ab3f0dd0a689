/** `init`'s flags, read strictly, and its usage line. */
import { APIS } from '../../apis.js';
import { readFlags } from '../../config.js';
import { ConfigError, SERVICE_LABEL, type ServiceName } from '../../errors.js';
import { CLIENT_IDS, type ClientId, PLATFORMS, type Platform } from './clients.js';
import type { InitOptions } from './entry.js';

const SERVICES = Object.keys(SERVICE_LABEL) as ServiceName[];

function parseServices(value: string | undefined): ServiceName[] {
  if (value === undefined || value.trim() === '' || value.trim() === 'all') return [...SERVICES];
  const out: ServiceName[] = [];
  for (const raw of value.split(',')) {
    const name = raw.trim().toLowerCase();
    if (name === '') continue;
    if (!SERVICES.includes(name as ServiceName)) {
      throw new ConfigError(`--services: unknown service "${name}". Valid: ${SERVICES.join(', ')} (or all).`);
    }
    if (!out.includes(name as ServiceName)) out.push(name as ServiceName);
  }
  return out;
}

/** Reads `init`'s flags; throws ConfigError with one line naming the culprit. */
export function parseInitArgs(
  argv: readonly string[],
  currentPlatform: string = process.platform,
): InitOptions & { write: boolean; json: boolean; config: string | undefined } {
  const values = readFlags(
    argv,
    {
      client: { type: 'string' },
      services: { type: 'string' },
      platform: { type: 'string' },
      write: { type: 'boolean' },
      config: { type: 'string' },
      json: { type: 'boolean' },
      sandbox: { type: 'boolean' },
      'read-only': { type: 'boolean' },
      toolsets: { type: 'string' },
    },
    (message) => `init: ${message}. Usage: ${INIT_USAGE}`,
  );
  const client = values.client;
  if (typeof client !== 'string' || !CLIENT_IDS.includes(client as ClientId)) {
    throw new ConfigError(
      `init: --client must be one of ${CLIENT_IDS.join(', ')}${typeof client === 'string' ? ` (got "${client}")` : ''}.`,
    );
  }
  const fallback = PLATFORMS.includes(currentPlatform as Platform) ? (currentPlatform as Platform) : 'linux';
  const platform = typeof values.platform === 'string' ? values.platform : fallback;
  if (!PLATFORMS.includes(platform as Platform)) {
    throw new ConfigError(`init: --platform must be one of ${PLATFORMS.join(', ')} (got "${platform}").`);
  }
  const config = typeof values.config === 'string' ? values.config : undefined;
  if (values.write === true && platform !== fallback && config === undefined) {
    throw new ConfigError(
      `init: --write with --platform ${platform} on ${fallback} needs --config <file> (the ${platform} path does not exist here).`,
    );
  }
  return {
    client: client as ClientId,
    services: parseServices(typeof values.services === 'string' ? values.services : undefined),
    platform: platform as Platform,
    sandbox: values.sandbox === true,
    readOnly: values['read-only'] === true,
    toolsets: typeof values.toolsets === 'string' ? values.toolsets : undefined,
    write: values.write === true,
    json: values.json === true,
    config,
  };
}

/** One-line usage of `init`. */
export const INIT_USAGE =
  `syn-mcp init --client claude-desktop|claude-code|cursor|vscode [--services ${APIS.map((a) => a.name).join(',')}] ` +
  '[--sandbox] [--toolsets a,b] [--read-only] [--platform win32|darwin|linux] [--write [--config <file>]] [--json]';
