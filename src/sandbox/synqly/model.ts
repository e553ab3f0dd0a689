/**
 * The Synqly emulator's data: one organization with accounts, integrations, integration points and
 * tokens (Management API), and per integration the data its connectors act on (Connector API).
 */
import type { Clock } from '../common/clock.js';

/** A JSON object. */
export type Obj = Record<string, unknown>;

/** An account (api-notes §1a `Account`). */
export interface Account {
  id: string;
  name: string;
  fullname: string;
  organization_id: string;
  environment: 'test' | 'prod';
  labels?: string[];
  created_at: string;
  updated_at: string;
}

/** An integration (api-notes §1a `Integration`), as stored. */
export interface Integration {
  id: string;
  name: string;
  fullname: string;
  refresh_token_id: string;
  account_id: string;
  category: string;
  provider_config: Obj;
  provider_fullname: string;
  provider_type: string;
  integration_point_id?: string;
  bridge_selector?: Obj;
  webhook_config?: Obj;
  mappings?: unknown[];
  additional_mappings?: unknown[];
  created_at: string;
  updated_at: string;
}

/** An integration point. */
export interface IntegrationPoint {
  id: string;
  name: string;
  fullname?: string;
  description?: string;
  connector: string;
  environments: { test?: string[]; prod?: string[] };
  mappings?: unknown[];
  additional_mappings?: unknown[];
  scheduled_operations?: unknown[];
  created_at: string;
  updated_at: string;
}

/** A bearer secret the emulator accepts, and what it opens. */
export interface AccessToken {
  secret: string;
  kind: 'organization' | 'integration';
  /** Epoch ms. */
  expires: number;
  refreshTokenId: string;
  accountId?: string;
  integrationId?: string;
}

/** A refresh token record (api-notes §1a `RefreshToken`); `primary` holds the access and refresh secrets. */
export interface RefreshTokenRecord {
  id: string;
  name: string;
  fullname: string;
  owner_id: string;
  owner_type: 'organization' | 'integration';
  token_type: 'adhoc' | 'logon' | 'default';
  token_ttl: string;
  expires: number;
  created_at: string;
  updated_at: string;
  access: AccessToken;
  refresh: { secret: string; expires: number };
}

/** A stored file. */
export interface StoredFile {
  bytes: Buffer;
  contentType: string;
}

/** A SIEM query still running (answers PENDING while `pendingLeft` > 0). */
export interface SiemQuery {
  pendingLeft: number;
  filter: string[];
  order: string[];
}

/** What one integration's connectors act on. */
export interface ConnectorData {
  siemEvents: Obj[];
  audit: Obj[];
  users: Obj[];
  tickets: Obj[];
  ticketSeq: number;
  files: Map<string, StoredFile>;
  notifications: Obj[];
  siemQueries: Map<string, SiemQuery>;
}

/** The whole emulator state. */
export interface SynqlyState {
  readonly clock: Clock;
  readonly organizationId: string;
  accounts: Map<string, Account>;
  integrations: Map<string, Integration>;
  points: Map<string, IntegrationPoint>;
  refreshTokens: Map<string, RefreshTokenRecord>;
  /** Access tokens by secret. */
  tokens: Map<string, AccessToken>;
  data: Map<string, ConnectorData>;
  /** PENDING answers a new SIEM query gives before it completes. */
  siemPendingPolls: number;
  /** When true, Management lists also carry `cursor` (seed 000); the SDK types have none (default). */
  managementCursor: boolean;
  /** Secrets minted by `POST /v1/tokens/{accountId}/{integrationId}`, in order. */
  minted: string[];
}

/** ISO timestamp of epoch ms. */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** Title-cases a provider type: `ticketing_jira` → `Ticketing Jira`. */
export function providerFullname(type: string): string {
  return type
    .split('_')
    .map((w) => (w ? `${w[0]?.toUpperCase()}${w.slice(1)}` : w))
    .join(' ');
}

/** The connector data of an integration (created empty on first use). */
export function dataOf(state: SynqlyState, integrationId: string): ConnectorData {
  let data = state.data.get(integrationId);
  if (!data) {
    data = {
      siemEvents: [],
      audit: [],
      users: [],
      tickets: [],
      ticketSeq: 0,
      files: new Map(),
      notifications: [],
      siemQueries: new Map(),
    };
    state.data.set(integrationId, data);
  }
  return data;
}
