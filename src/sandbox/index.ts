import { APIS } from '../apis.js';
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

/** Prefixes of the service variables `--sandbox` replaces, whatever the environment holds. */
export const SERVICE_ENV_PREFIXES: readonly string[] = APIS.map((a) => a.envPrefix);

/** Starts every emulator on an ephemeral loopback port (the embedded default of `syn-mcp --sandbox`). */
export async function startSandbox(): Promise<Sandbox> {
  const syncguard = createSyncGuardEmulator();
  const synapse = createSynapseEmulator();
  const synap = createSynapEmulator();
  const synchronex = createSynchronexEmulator();
  const synqly = createSynqlyEmulator();
  const [syncguardUrl, synapseUrl, synapUrl, synchronexUrl, synqlyUrl] = await Promise.all([
    syncguard.listen(),
    synapse.listen(),
    synap.listen(),
    synchronex.listen(),
    synqly.listen(),
  ]);
  return {
    env: {
      SYNCGUARD_BASE_URL: syncguardUrl,
      SYNCGUARD_API_KEY: syncguard.apiKey,
      SYNCGUARD_JWT: syncguard.jwt,
      SYNAPSE_BASE_URL: synapseUrl,
      SYNAPSE_API_KEY: synapse.apiKey,
      SYNAP_BASE_URL: synapUrl,
      SYNAP_API_KEY: synap.apiKey,
      SYNCHRONEX_BASE_URL: synchronexUrl,
      SYNCHRONEX_API_KEY: synchronex.apiKey,
      SYNQLY_BASE_URL: synqlyUrl,
      SYNQLY_ORG_TOKEN: synqly.orgToken,
      SYNQLY_INTEGRATION_TOKEN: synqly.integrationToken,
    },
    async close() {
      await Promise.all([
        syncguard.close(),
        synapse.close(),
        synap.close(),
        synchronex.close(),
        synqly.close(),
      ]);
    },
  };
}
