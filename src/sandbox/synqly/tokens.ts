/**
 * Synqly's tokens in the emulator: the sandbox's fixed ones, TTL parsing and formatting, issuing an
 * integration token with its refresh token, and what the token routes show of them.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { type AccessToken, iso, type Obj, type RefreshTokenRecord, type SynqlyState } from './model.js';
import { badRequest } from './problem.js';

/** The sandbox organization token (`SYNQLY_ORG_TOKEN` under `--sandbox`). */
export const DEFAULT_ORG_TOKEN = 'synqly-sandbox-org-3f9d2c7a8b1e4d6f9a0c5b2e7d1f4a8c';

/** The sandbox integration token of the SIEM integration (`SYNQLY_INTEGRATION_TOKEN` under `--sandbox`). */
export const DEFAULT_INTEGRATION_TOKEN = 'synqly-sandbox-int-8c4e1a7d2f9b3c6e0a5d8f1b4c7e2a9d';

/** Default lifetime of an adhoc integration token (api-notes §1a: 10 minutes). */
export const DEFAULT_ADHOC_TTL_MS = 10 * 60_000;

/** A year in milliseconds, the lifetime of the seeded tokens. */
export const YEAR_MS = 365 * 24 * 3_600_000;

const DAY_MS = 24 * 3_600_000;

/** A random token secret. */
export function newSecret(prefix: string): string {
  return `${prefix}${randomBytes(24).toString('base64url')}`;
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
