/**
 * The Synqly emulator's data: one organization with accounts, integrations, integration points and
 * tokens (Management API), and per integration the data its connectors act on (Connector API).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Clock } from '../common/clock.js';
import { badRequest } from './problem.js';

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

/** Fixed ids of the seeded sandbox objects, so docs and tests can name them. */
export const SANDBOX_IDS = {
  organization: '0b9b3c5e-5a1d-4c53-9d6f-000000000001',
  account: '6f1c1a8e-2b7d-4e0a-8c1f-000000000101',
  otherAccount: '6f1c1a8e-2b7d-4e0a-8c1f-000000000102',
  integrations: {
    siem: '9a2e4f60-7c3b-4d1e-a5b2-000000000201',
    ticketing: '9a2e4f60-7c3b-4d1e-a5b2-000000000202',
    identity: '9a2e4f60-7c3b-4d1e-a5b2-000000000203',
    storage: '9a2e4f60-7c3b-4d1e-a5b2-000000000204',
    notifications: '9a2e4f60-7c3b-4d1e-a5b2-000000000205',
  },
  integrationPoint: 'c4d8e2a1-3f5b-4a7c-9e0d-000000000301',
} as const;

/** The sandbox organization token (`SYNQLY_ORG_TOKEN` under `--sandbox`). */
export const DEFAULT_ORG_TOKEN = 'synqly-sandbox-org-3f9d2c7a8b1e4d6f9a0c5b2e7d1f4a8c';
/** The sandbox integration token of the SIEM integration (`SYNQLY_INTEGRATION_TOKEN` under `--sandbox`). */
export const DEFAULT_INTEGRATION_TOKEN = 'synqly-sandbox-int-8c4e1a7d2f9b3c6e0a5d8f1b4c7e2a9d';

/** Default lifetime of an adhoc integration token (api-notes §1a: 10 minutes). */
export const DEFAULT_ADHOC_TTL_MS = 10 * 60_000;
const YEAR_MS = 365 * 24 * 3_600_000;
const DAY_MS = 24 * 3_600_000;

/** A random token secret. */
export function newSecret(prefix: string): string {
  return `${prefix}${randomBytes(24).toString('base64url')}`;
}

/** ISO timestamp of epoch ms. */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

const UNIT_MS: Readonly<Record<string, number>> = { h: 3_600_000, m: 60_000, s: 1_000, ms: 1 };

/** Parses a Go-style duration ("1h", "30m", "10s", "1h30m"); throws a 400 Problem when it is not one. */
export function parseTtl(value: unknown, field = 'token_ttl'): number {
  const bad = () =>
    badRequest(
      `Invalid ${field}`,
      { id: field, location: 'body', value },
      {
        detail: `${field} must be a duration such as "1h", "30m" or "10s".`,
        remediation: `Send ${field} as a duration string, e.g. "15m".`,
      },
    );
  if (typeof value !== 'string' || !/^(\d+(\.\d+)?(h|ms|m|s))+$/.test(value)) throw bad();
  let total = 0;
  for (const m of value.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s)/g)) {
    total += Number(m[1]) * (UNIT_MS[m[2] ?? ''] ?? 0);
  }
  if (!(total > 0)) throw bad();
  return Math.round(total);
}

/** A duration as Go prints it ("10m0s"). */
export function formatTtl(ms: number): string {
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  return `${h > 0 ? `${h}h` : ''}${h > 0 || m > 0 ? `${m}m` : ''}${s}s`;
}

/** Creates a refresh token record with a fresh access secret and registers the access token. */
export function issueToken(
  state: SynqlyState,
  init: {
    name?: string;
    owner: { type: 'organization' } | { type: 'integration'; accountId: string; integrationId: string };
    tokenType: RefreshTokenRecord['token_type'];
    ttlMs: number;
    secret?: string;
  },
): RefreshTokenRecord {
  const now = state.clock.now();
  const id = randomUUID();
  const kind = init.owner.type;
  const access: AccessToken = {
    secret: init.secret ?? newSecret(kind === 'organization' ? 'synqly-org-' : 'synqly-int-'),
    kind,
    expires: now + init.ttlMs,
    refreshTokenId: id,
    ...(init.owner.type === 'integration'
      ? { accountId: init.owner.accountId, integrationId: init.owner.integrationId }
      : {}),
  };
  const record: RefreshTokenRecord = {
    id,
    name: init.name ?? id,
    fullname: init.name ?? id,
    owner_id: init.owner.type === 'integration' ? init.owner.integrationId : state.organizationId,
    owner_type: kind,
    token_type: init.tokenType,
    token_ttl: formatTtl(init.ttlMs),
    expires: now + init.ttlMs,
    created_at: iso(now),
    updated_at: iso(now),
    access,
    refresh: { secret: newSecret('synqly-ref-'), expires: now + 30 * DAY_MS },
  };
  state.refreshTokens.set(id, record);
  state.tokens.set(access.secret, access);
  return record;
}

/** The `Token` object of an access token (api-notes §1a). */
export function tokenObject(access: { secret: string; expires: number }, permissions: Obj | null): Obj {
  return { secret: access.secret, expires: iso(access.expires), permissions };
}

/** Permissions of an integration token. */
export function integrationPermissions(accountId: string, integrationId: string): Obj {
  return {
    permission_set: 'connector',
    resources: { accounts: { ids: [accountId] }, integrations: { ids: [integrationId] } },
  };
}

/** The API view of a refresh token (with its secrets, as the real API lists them). */
export function refreshTokenView(r: RefreshTokenRecord): Obj {
  const permissions =
    r.owner_type === 'integration' && r.access.accountId && r.access.integrationId
      ? integrationPermissions(r.access.accountId, r.access.integrationId)
      : { permission_set: 'administrator' };
  return {
    id: r.id,
    name: r.name,
    fullname: r.fullname,
    owner_id: r.owner_id,
    owner_type: r.owner_type,
    token_type: r.token_type,
    token_ttl: r.token_ttl,
    expires: iso(r.expires),
    created_at: r.created_at,
    updated_at: r.updated_at,
    primary: { access: tokenObject(r.access, permissions), refresh: tokenObject(r.refresh, permissions) },
  };
}

/** Removes an integration's tokens (deletion revokes them). */
export function revokeIntegrationTokens(state: SynqlyState, integrationId: string): void {
  for (const [id, r] of state.refreshTokens) {
    if (r.owner_type === 'integration' && r.owner_id === integrationId) {
      state.refreshTokens.delete(id);
      state.tokens.delete(r.access.secret);
    }
  }
}

/** Title-cases a provider type: `ticketing_jira` → `Ticketing Jira`. */
export function providerFullname(type: string): string {
  return type
    .split('_')
    .map((w) => (w ? `${w[0]?.toUpperCase()}${w.slice(1)}` : w))
    .join(' ');
}

function seedData(now: number): ConnectorData {
  const at = (minutesAgo: number) => iso(now - minutesAgo * 60_000);
  const users = [
    ['u-1001', 'alice', 'Alice Martin'],
    ['u-1002', 'bob', 'Bob Chen'],
    ['u-1003', 'carol', 'Carol Diaz'],
    ['u-1004', 'dave', 'Dave Okafor'],
  ].map(([uid, name, full]) => ({
    uid,
    name,
    full_name: full,
    email_addr: `${name}@example.com`,
    type: 'User',
    type_id: 1,
    status: 'ACTIVE',
  }));
  const ips = ['203.0.113.7', '198.51.100.23', '203.0.113.7', '192.0.2.44', '203.0.113.7', '198.51.100.9'];
  const siemEvents = ips.map((ip, i) => ({
    class_name: 'Authentication',
    class_uid: 3002,
    activity_name: 'Logon',
    activity_id: 1,
    time: at(60 - i * 7),
    severity: i % 3 === 0 ? 'Medium' : 'Informational',
    status: i % 2 === 0 ? 'Failure' : 'Success',
    user: { name: users[i % users.length]?.name, uid: users[i % users.length]?.uid },
    src_endpoint: { ip },
    metadata: { uid: `evt-${1000 + i}`, product: { name: 'Splunk', vendor_name: 'Splunk' } },
  }));
  const audit = [
    ['Account Change', 'Password Reset', 'alice'],
    ['Authentication', 'Logon', 'bob'],
    ['Group Management', 'Add User', 'carol'],
    ['Account Change', 'MFA Enable', 'dave'],
  ].map(([cls, activity, user], i) => ({
    class_name: cls,
    activity_name: activity,
    time: at(120 - i * 20),
    user: { name: user },
    metadata: { uid: `audit-${2000 + i}`, product: { name: 'Okta', vendor_name: 'Okta' } },
  }));
  const tickets = [
    {
      id: 'SBX-1',
      name: 'Investigate repeated failed logins',
      summary: 'Failed logins from 203.0.113.7',
      description: 'Three failed logins for alice from 203.0.113.7 within an hour.',
      status: 'To Do',
      priority: 'HIGH',
      project: 'SBX',
      issue_type: 'Task',
      tags: ['security', 'auth'],
      created_at: at(90),
      updated_at: at(90),
    },
    {
      id: 'SBX-2',
      name: 'Rotate the Splunk HEC token',
      summary: 'Quarterly rotation',
      status: 'In Progress',
      priority: 'MEDIUM',
      project: 'SBX',
      issue_type: 'Task',
      assignee: 'bob@example.com',
      tags: ['maintenance'],
      created_at: at(300),
      updated_at: at(30),
    },
  ];
  const files = new Map<string, StoredFile>([
    [
      'reports/summary.txt',
      {
        bytes: Buffer.from('Weekly security summary\n3 failed logins, 0 incidents.\n', 'utf8'),
        contentType: 'text/plain; charset=utf-8',
      },
    ],
    [
      'reports/2024/logo.png',
      {
        bytes: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]),
        contentType: 'image/png',
      },
    ],
  ]);
  return {
    siemEvents,
    audit,
    users,
    tickets,
    ticketSeq: tickets.length,
    files,
    notifications: [],
    siemQueries: new Map(),
  };
}

/** Fills `state` with the sandbox organization (called on creation and on reset). */
export function seed(state: SynqlyState, orgToken: string, integrationToken: string): void {
  const now = state.clock.now();
  state.accounts.clear();
  state.integrations.clear();
  state.points.clear();
  state.refreshTokens.clear();
  state.tokens.clear();
  state.data.clear();
  state.minted.length = 0;
  const stamp = iso(now);
  const account = (id: string, name: string, fullname: string, environment: 'test' | 'prod'): Account => ({
    id,
    name,
    fullname,
    organization_id: state.organizationId,
    environment,
    labels: ['sandbox'],
    created_at: stamp,
    updated_at: stamp,
  });
  state.accounts.set(SANDBOX_IDS.account, account(SANDBOX_IDS.account, 'sandbox', 'Sandbox Account', 'test'));
  state.accounts.set(
    SANDBOX_IDS.otherAccount,
    account(SANDBOX_IDS.otherAccount, 'acme', 'Acme Corp', 'prod'),
  );
  issueToken(state, {
    name: 'sandbox-org',
    owner: { type: 'organization' },
    tokenType: 'default',
    ttlMs: YEAR_MS,
    secret: orgToken,
  });
  state.points.set(SANDBOX_IDS.integrationPoint, {
    id: SANDBOX_IDS.integrationPoint,
    name: 'siem-events',
    fullname: 'SIEM events',
    description: 'Where customers connect their SIEM.',
    connector: 'siem',
    environments: { test: ['siem_splunk'], prod: ['siem_splunk'] },
    created_at: stamp,
    updated_at: stamp,
  });
  const providers = [
    ['siem', 'splunk', 'siem_splunk', { url: 'https://splunk.example.com:8089' }],
    ['ticketing', 'jira', 'ticketing_jira', { url: 'https://example.atlassian.net', default_project: 'SBX' }],
    ['identity', 'okta', 'identity_okta', { url: 'https://example.okta.com' }],
    ['storage', 's3', 'storage_aws_s3', { bucket: 'sandbox-bucket', region: 'us-east-1' }],
    ['notifications', 'slack', 'notifications_slack', { channel: '#security' }],
  ] as const;
  for (const [category, name, type, extra] of providers) {
    const id = SANDBOX_IDS.integrations[category];
    const token = issueToken(state, {
      owner: { type: 'integration', accountId: SANDBOX_IDS.account, integrationId: id },
      tokenType: 'default',
      ttlMs: YEAR_MS,
      ...(category === 'siem' ? { secret: integrationToken } : {}),
    });
    state.integrations.set(id, {
      id,
      name,
      fullname: providerFullname(type),
      refresh_token_id: token.id,
      account_id: SANDBOX_IDS.account,
      category,
      provider_config: {
        type,
        ...extra,
        credential: { type: 'token', secret: `sandbox-${name}-provider-secret` },
      },
      provider_fullname: providerFullname(type),
      provider_type: type,
      ...(category === 'siem' ? { integration_point_id: SANDBOX_IDS.integrationPoint } : {}),
      created_at: stamp,
      updated_at: stamp,
    });
    state.data.set(id, seedData(now));
  }
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
