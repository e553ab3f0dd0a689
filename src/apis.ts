/**
 * One record per upstream API: everything syn-mcp knows about an API outside its tools and its emulator.
 * Configuration, services, doctor, init, `tools`, errors, the server's instructions and the sandbox read it;
 * adding an API means adding one record here (plus its tools, its envelope reader and its emulator). Nearly a
 * leaf: at run time it imports only the envelope readers (src/http/envelopes.ts, which import nothing of
 * syn-mcp's but json.ts), so every layer may read it. It is one table (the record type and five records), kept
 * in one file so the APIs read side by side; that is why it runs a little past ~300 lines.
 */
import {
  type Envelope,
  synapEnvelope,
  synapseEnvelope,
  syncguardEnvelope,
  synchronexEnvelope,
  synqlyEnvelope,
} from './http/envelopes.js';
import type { RateRule } from './state/rates.js';

/** The upstream APIs syn-mcp speaks to: a new API's name goes here, and its record in RECORDS below. */
export type ServiceName = 'syncguard' | 'synapse' | 'synqly' | 'synap' | 'synchronex';

/** The field of a service's configuration that holds a credential. */
export type CredentialField = 'apiKey' | 'jwt' | 'orgToken' | 'integrationToken';

/** One credential variable: where it goes in the configuration and on the wire, and what it looks like. */
export interface CredentialSpec {
  /** Environment variable (each secret also as `<env>_FILE`, read from a file). */
  env: string;
  /** Field of the service's configuration. */
  field: CredentialField;
  /** Name of the credential in the HTTP client's endpoint (what a tool asks for). */
  id: string;
  /** Header and scheme it is sent with. */
  header: 'X-Api-Key' | 'Authorization';
  scheme: 'raw' | 'bearer';
  /** True when this variable alone makes the API configured; false for an extra one (SyncGuard's JWT). */
  enables: boolean;
  /** What to put there, in words (`init`'s placeholder and VS Code prompt); absent: `init` leaves it out. */
  init?: string;
  /** The only tool(s) that need it, for an extra credential (SyncGuard's JWT: create_workspace). */
  usedBy?: string;
  /** The documented shape of the value, for doctor; absent when the API decides (Synqly's tokens). */
  shape?: KeyShape;
}

/** What a key must look like (api-notes), and where to get one. */
export interface KeyShape {
  test: RegExp;
  /** The prefix in words, e.g. `sg_…`. */
  text: string;
  get: string;
  /** False when the documents disagree on the prefix: an unknown one is a warning, not a failure. */
  strict: boolean;
}

/** The cheap authenticated read doctor makes, and what of its answer is worth showing. */
export interface ProbeSpec {
  path: string;
  query?: Record<string, number>;
  /** A short note on the answer (` (3 agents)`), or ''. */
  detail?: (data: unknown) => string;
}

/** Everything about one API that is not a tool. */
export interface ApiRecord {
  name: ServiceName;
  /** Display name in messages. */
  label: string;
  /** Prefix of every one of its environment variables (what `--sandbox` replaces). */
  envPrefix: string;
  /** Self-hosted: no public default, so `init` writes the base URL too and doctor says to start it. */
  selfHosted?: boolean;
  /** True when the API answers a wrong key with 403 as well as 401 (Synapse), so doctor says "wrong key". */
  forbiddenIsBadKey?: boolean;
  /** Variable that overrides the base URL. */
  baseUrlEnv: string;
  /** The documented base URL; for an API with regions, the default region's. */
  defaultBaseUrl: string;
  /** Hosts per region (`<envPrefix>REGION`), the first the default; absent when the API has none. */
  regions?: Readonly<Record<string, string>>;
  /** How the base URL should end, for doctor's shape warning. */
  baseShape: { test: RegExp; want: string };
  /** A warning about a base URL that is valid but wrong for this API (Synapse's /api/v1). */
  baseUrlWarning?: (url: string) => string | undefined;
  credentials: readonly CredentialSpec[];
  /** The credential a call uses unless it asks for another. */
  defaultCredential: string;
  /**
   * Rate limiting: the documented rule applied from the first request, and the window X-RateLimit-Limit
   * counts in; `{}` learns from answers only; absent: the API is not limited (self-hosted Synapse).
   */
  rateLimit?: { rule?: RateRule; learnWindowMs?: number };
  probe: ProbeSpec;
  /** Reads its bodies: unwraps a success, turns an error body into a problem (src/http/envelopes.ts). */
  envelope: Envelope;
  /** One line for the server's instructions on how its tools fit together. */
  guide: string;
}

const SYNAPSE_DEFAULT = 'http://localhost:8765/api/v1';

/**
 * A warning when a Synapse base URL does not end in `/api/v1` (api-notes §2c: without it `/chat` reaches the
 * backend's unauthenticated UI route and "succeeds"; with `/api` only, an internal-token 403 looks like a key
 * problem). Undefined when the URL is fine.
 */
export function synapseBaseUrlWarning(url: string): string | undefined {
  let path: string;
  try {
    path = new URL(url).pathname.replace(/\/+$/, '');
  } catch {
    return undefined;
  }
  if (path.endsWith('/api/v1')) return undefined;
  return (
    `SYNAPSE_BASE_URL "${url}" does not end in /api/v1: Synapse's API lives under /api/v1 ` +
    `(e.g. ${SYNAPSE_DEFAULT}); other paths reach its web UI or internal routes and fail in misleading ways`
  );
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const V1 = { test: /\/api\/v1$/, want: 'end with /api/v1' };

/**
 * The five APIs as written, in the order they are listed everywhere. `as const` keeps each record's literal
 * types (its name, its credentials' fields and whether each enables the API), which the configuration types
 * are derived from (src/config/types.ts); `satisfies` checks each against ApiRecord.
 */
const RECORDS = [
  {
    name: 'syncguard',
    envelope: syncguardEnvelope,
    label: 'SyncGuard',
    envPrefix: 'SYNCGUARD_',
    baseUrlEnv: 'SYNCGUARD_BASE_URL',
    defaultBaseUrl: 'https://api.syncguard.io/api/v1',
    baseShape: V1,
    credentials: [
      {
        env: 'SYNCGUARD_API_KEY',
        field: 'apiKey',
        id: 'apiKey',
        header: 'X-Api-Key',
        scheme: 'raw',
        enables: true,
        init: 'SyncGuard workspace API key (sg_…)',
        shape: {
          test: /^sg_/,
          text: 'sg_…',
          get: 'the workspace API key shown when the workspace was created or its key rotated',
          strict: true,
        },
      },
      {
        env: 'SYNCGUARD_JWT',
        field: 'jwt',
        id: 'jwt',
        header: 'Authorization',
        scheme: 'bearer',
        enables: false,
        usedBy: 'create_workspace',
      },
    ],
    defaultCredential: 'apiKey',
    rateLimit: {},
    probe: {
      path: '/workspaces/me',
      detail: (data) => (isObject(data) && 'name' in data ? ` (workspace "${String(data.name)}")` : ''),
    },
    guide:
      'SyncGuard (integration incidents): send_event reports a failure; list_incidents → get_incident, ' +
      'get_incident_timeline, list_events to investigate; resolve_incident once fixed.',
  },
  {
    name: 'synapse',
    envelope: synapseEnvelope,
    label: 'Synapse',
    envPrefix: 'SYNAPSE_',
    baseUrlEnv: 'SYNAPSE_BASE_URL',
    selfHosted: true,
    forbiddenIsBadKey: true,
    defaultBaseUrl: SYNAPSE_DEFAULT,
    baseShape: V1,
    baseUrlWarning: synapseBaseUrlWarning,
    credentials: [
      {
        env: 'SYNAPSE_API_KEY',
        field: 'apiKey',
        id: 'apiKey',
        header: 'Authorization',
        scheme: 'bearer',
        enables: true,
        init: 'Synapse API key (sk-syn-…)',
        shape: {
          test: /^sk-syn-/,
          text: 'sk-syn-…',
          get: 'an API key created in your Synapse instance (Settings → API keys)',
          strict: true,
        },
      },
    ],
    defaultCredential: 'apiKey',
    probe: { path: '/agents', detail: (data) => (Array.isArray(data) ? ` (${data.length} agents)` : '') },
    guide:
      'Synapse (agents): list_agents/list_orchestrations for ids; chat or run_orchestration; a run with status ' +
      '"paused" needs the user\'s answers, then resume_orchestration_run.',
  },
  {
    name: 'synqly',
    envelope: synqlyEnvelope,
    label: 'Synqly',
    envPrefix: 'SYNQLY_',
    baseUrlEnv: 'SYNQLY_BASE_URL',
    defaultBaseUrl: 'https://api.synqly.com',
    regions: { na: 'https://api.synqly.com', eu: 'https://api-eu.synqly.com' },
    baseShape: { test: /^https?:\/\/[^/]+$/, want: 'be the host root (tool paths start with /v1)' },
    credentials: [
      {
        env: 'SYNQLY_ORG_TOKEN',
        field: 'orgToken',
        id: 'org',
        header: 'Authorization',
        scheme: 'bearer',
        enables: true,
        init: 'Synqly organization token',
      },
      {
        env: 'SYNQLY_INTEGRATION_TOKEN',
        field: 'integrationToken',
        id: 'integration',
        header: 'Authorization',
        scheme: 'bearer',
        enables: true,
      },
    ],
    defaultCredential: 'org',
    rateLimit: {},
    probe: { path: '/v1/accounts', query: { limit: 1 } },
    guide:
      'Synqly (security integrations): list_accounts → list_integrations for ids; connector tools (SIEM, ' +
      'tickets, identity, storage) take accountId + integrationId.',
  },
  {
    name: 'synap',
    envelope: synapEnvelope,
    label: 'Synap',
    envPrefix: 'SYNAP_',
    baseUrlEnv: 'SYNAP_BASE_URL',
    defaultBaseUrl: 'https://synap-cloud-prod.maximem.ai',
    baseShape: {
      test: /^https?:\/\/[^/]+$/,
      want: 'be the host root (tool paths start with /api/v1 or /v1)',
    },
    credentials: [
      {
        env: 'SYNAP_API_KEY',
        field: 'apiKey',
        id: 'apiKey',
        header: 'Authorization',
        scheme: 'bearer',
        enables: true,
        init: 'Synap API key',
        shape: {
          test: /^(synap_|sk_live_)/,
          text: 'synap_… (one docs example shows sk_live_…)',
          get: 'the instance API key from the Synap dashboard',
          strict: false,
        },
      },
    ],
    defaultCredential: 'apiKey',
    rateLimit: { rule: { limit: 60, windowMs: 60_000, burst: 10 }, learnWindowMs: 60_000 },
    probe: { path: '/api/v1/auth/whoami' },
    guide:
      'Synap (agent memory): search_memory to recall, add_memory to remember, fetch_context for a scope.',
  },
  {
    name: 'synchronex',
    envelope: synchronexEnvelope,
    label: 'Synchronex',
    envPrefix: 'SYNCHRONEX_',
    baseUrlEnv: 'SYNCHRONEX_BASE_URL',
    defaultBaseUrl: 'https://synchronex.ai/api/v1',
    baseShape: V1,
    credentials: [
      {
        env: 'SYNCHRONEX_API_KEY',
        field: 'apiKey',
        id: 'apiKey',
        header: 'Authorization',
        scheme: 'bearer',
        enables: true,
        init: 'Synchronex API key (sx_live_… or sxo_…)',
        shape: {
          test: /^(sx_live_|sxo_)/,
          text: 'sx_live_… (API key) or sxo_… (OAuth token)',
          get: 'a key from Synchronex → Settings → MCP API Keys',
          strict: true,
        },
      },
    ],
    defaultCredential: 'apiKey',
    rateLimit: {},
    probe: {
      path: '/scope',
      detail: (data) => (isObject(data) && 'scope' in data ? ` (scope ${String(data.scope)})` : ''),
    },
    guide:
      'Synchronex (identity kernel, decisions): get_identity_kernel and get_product_state at session start; ' +
      'search_decisions before deciding again; create_decision to record one.',
  },
] as const satisfies readonly ApiRecord[];

/** The records with their literal types, for the types derived from them. */
export type ApiRecordLiterals = typeof RECORDS;

/** The five APIs, in the order they are listed everywhere. */
export const APIS: readonly ApiRecord[] = RECORDS;

/** The record of each API by name. */
export const API: Readonly<Record<ServiceName, ApiRecord>> = Object.fromEntries(
  APIS.map((a) => [a.name, a]),
) as Record<ServiceName, ApiRecord>;

/** The API whose variable `name` is (by prefix), if any. */
export function apiOfVar(name: string): ApiRecord | undefined {
  return APIS.find((a) => name.startsWith(a.envPrefix));
}

/** The variables that turn an API on, in words (`SYNQLY_ORG_TOKEN and/or SYNQLY_INTEGRATION_TOKEN`). */
export function enablingVars(api: ApiRecord, joiner = ' and/or '): string {
  return api.credentials
    .filter((c) => c.enables)
    .map((c) => c.env)
    .join(joiner);
}

/** The variable that selects a region (`SYNQLY_REGION`), for an API with regions. */
export function regionEnv(api: ApiRecord): string | undefined {
  return api.regions ? `${api.envPrefix}REGION` : undefined;
}

/** Every credential variable of every API (the secrets; a principal may give each). */
export const CREDENTIAL_VARS: readonly string[] = APIS.flatMap((a) => a.credentials.map((c) => c.env));

/** A table with one entry per API, computed from its record. */
export function byApi<T>(pick: (api: ApiRecord) => T): Record<ServiceName, T> {
  return Object.fromEntries(APIS.map((a) => [a.name, pick(a)])) as Record<ServiceName, T>;
}
