/** The organization a fresh Synqly emulator holds (seed data): accounts, integrations, connector data. */
import {
  type Account,
  type ConnectorData,
  iso,
  providerFullname,
  type StoredFile,
  type SynqlyState,
} from './model.js';
import { issueToken, YEAR_MS } from './tokens.js';

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
