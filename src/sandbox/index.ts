import { APIS, type CredentialField } from '../apis.js';
import type { ServiceName } from '../errors.js';
import { createSynapEmulator } from './synap/index.js';
import { createSynapseEmulator } from './synapse/index.js';
import { createSyncGuardEmulator } from './syncguard/index.js';
import { createSynchronexEmulator } from './synchronex/index.js';
import { createSynqlyEmulator } from './synqly/index.js';

/** The running emulators and the environment that points syn-mcp at them. */
export interface Sandbox {
  /** Service variables (base URLs and sandbox credentials) that replace the real ones. */
  env: Record<string, string>;
  close(): Promise<void>;
}

/** An emulator as the sandbox mounts it: it listens, closes, and holds its credentials by configuration field. */
type Mountable = Partial<Record<CredentialField, string>> & {
  listen(): Promise<string>;
  close(): Promise<void>;
};

/** The emulator of each API. */
const EMULATORS: Readonly<Record<ServiceName, () => Mountable>> = {
  syncguard: createSyncGuardEmulator,
  synapse: createSynapseEmulator,
  synqly: createSynqlyEmulator,
  synap: createSynapEmulator,
  synchronex: createSynchronexEmulator,
};

/** Prefixes of the service variables `--sandbox` replaces, whatever the environment holds. */
export const SERVICE_ENV_PREFIXES: readonly string[] = APIS.map((a) => a.envPrefix);

/**
 * Starts every emulator on an ephemeral loopback port (the embedded default of `syn-mcp --sandbox`), and
 * mounts each where its API record says: its base URL variable, and each credential variable it holds.
 */
export async function startSandbox(): Promise<Sandbox> {
  const running = APIS.map((api) => ({ api, emulator: EMULATORS[api.name]() }));
  const urls = await Promise.all(running.map(({ emulator }) => emulator.listen()));
  const env: Record<string, string> = {};
  running.forEach(({ api, emulator }, i) => {
    env[api.baseUrlEnv] = urls[i] ?? '';
    for (const c of api.credentials) {
      const value = emulator[c.field];
      if (value !== undefined) env[c.env] = value;
    }
  });
  return {
    env,
    async close() {
      await Promise.all(running.map(({ emulator }) => emulator.close()));
    },
  };
}
