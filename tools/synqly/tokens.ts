import { createHash } from 'node:crypto';
import { AuthError, InputError, NotConfiguredError, SynError } from '../../src/errors.js';
import type { ApiResponse, RequestOptions } from '../../src/http/client.js';
import { buildPath } from '../../src/http/path.js';
import type { ToolContext } from '../../src/tool.js';

/** The env var of each Synqly token kind, as named in messages. */
export const ORG_ENV = 'SYNQLY_ORG_TOKEN';
export const INTEGRATION_ENV = 'SYNQLY_INTEGRATION_TOKEN';
/** Named in auth errors of the mint call itself. */
export const MINT_ENV = `${ORG_ENV} (used to mint an integration token)`;

/** A Synqly credential the call needs is not configured; the message says which env var to set and why. */
export class SynqlyTokenMissingError extends NotConfiguredError {
  override name = 'SynqlyTokenMissingError';
  constructor(envVar: string, message: string) {
    super('synqly', envVar);
    this.message = message;
  }
}

/** Which integration a connector call acts on: the configured token's, or one named by id. */
export interface ConnectorTarget {
  accountId?: string | undefined;
  integrationId?: string | undefined;
}

/** Request options a Synqly tool gives; the token, signal and deadline are added here. */
export type SynqlyCall = Omit<RequestOptions, 'credential' | 'bearer' | 'signal' | 'deadline'>;

interface Minted {
  secret: string;
  /** Epoch ms after which the cached token is no longer used (shortly before it expires). */
  refreshAt: number;
}

/** Longest safety margin kept before a minted token's expiry. */
const MAX_MARGIN_MS = 60_000;
/** How long a token whose `expires` cannot be read is reused. */
const UNKNOWN_EXPIRY_MS = 60_000;

/**
 * The per-process cache of integration tokens syn-mcp minted itself (`POST /v1/tokens/{accountId}/
 * {integrationId}` with the organization token), keyed by base URL, organization token and
 * account + integration. A token is reused until shortly before its `expires`; concurrent calls share
 * one mint. Tokens never leave this module except as the bearer of a request.
 */
class MintedTokenCache {
  private readonly tokens = new Map<string, Minted>();
  private readonly pending = new Map<string, Promise<Minted>>();
  /** The clock deciding expiry; tests replace it to share the emulator's clock. */
  now: () => number = Date.now;

  /** Forgets every cached token. */
  clear(): void {
    this.tokens.clear();
    this.pending.clear();
  }

  /** Number of tokens held. */
  get size(): number {
    return this.tokens.size;
  }

  fresh(key: string): Minted | undefined {
    const hit = this.tokens.get(key);
    if (hit && this.now() < hit.refreshAt) return hit;
    if (hit) this.tokens.delete(key);
    return undefined;
  }

  drop(key: string, secret: string): void {
    if (this.tokens.get(key)?.secret === secret) this.tokens.delete(key);
  }

  async get(key: string, mint: () => Promise<{ secret: string; expires: number | undefined }>) {
    const hit = this.fresh(key);
    if (hit) return { token: hit, minted: false };
    let flight = this.pending.get(key);
    if (!flight) {
      const started = this.now();
      flight = mint()
        .then(({ secret, expires }) => {
          const lifetime = expires !== undefined ? expires - started : UNKNOWN_EXPIRY_MS;
          const margin = Math.min(MAX_MARGIN_MS, Math.max(0, lifetime) / 5);
          const until = expires !== undefined ? expires : started + UNKNOWN_EXPIRY_MS;
          const entry = { secret, refreshAt: until - margin };
          this.tokens.set(key, entry);
          return entry;
        })
        .finally(() => this.pending.delete(key));
      this.pending.set(key, flight);
    }
    return { token: await flight, minted: true };
  }
}

/** The process-wide cache of minted integration tokens. */
export const mintedTokens = new MintedTokenCache();

function cacheKey(ctx: ToolContext, orgSecret: string, accountId: string, integrationId: string): string {
  const org = createHash('sha256').update(orgSecret).digest('hex').slice(0, 16);
  return [ctx.api.synqly.endpoint.baseUrl, org, accountId, integrationId].join('\n');
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Calls `POST /v1/tokens/{accountId}/{integrationId}` with the organization token (body `{}`: defaults). */
async function mintToken(
  ctx: ToolContext,
  orgSecret: string,
  accountId: string,
  integrationId: string,
): Promise<{ secret: string; expires: number | undefined }> {
  const data = await ctx.api.synqly.post(
    buildPath('/v1/tokens/{accountId}/{integrationId}', { accountId, integrationId }),
    {
      body: {},
      bearer: { secret: orgSecret, env: MINT_ENV },
      signal: ctx.signal,
      deadline: ctx.deadline,
    },
  );
  const result = isObj(data) ? data.result : undefined;
  const secret = isObj(result) ? result.secret : undefined;
  if (typeof secret !== 'string' || secret === '') {
    throw new SynError(
      'Synqly minted an integration token but its answer holds no token secret; nothing was sent to the connector.',
    );
  }
  const expiresAt = isObj(result) && typeof result.expires === 'string' ? Date.parse(result.expires) : NaN;
  return { secret, expires: Number.isNaN(expiresAt) ? undefined : expiresAt };
}

function orgSecretOf(ctx: ToolContext): string | undefined {
  const api = ctx.api.synqly;
  return api.has('org') ? api.endpoint.credentials.org?.secret : undefined;
}

/** Throws unless the organization token is configured (Management tools). */
export function requireOrgToken(ctx: ToolContext): void {
  if (!ctx.api.synqly.has('org')) {
    throw new SynqlyTokenMissingError(
      ORG_ENV,
      `Synqly Management tools need the organization token: set ${ORG_ENV}. ` +
        `(${INTEGRATION_ENV} only works for connector tools such as query_tickets.)`,
    );
  }
}

/**
 * Sends a Connector API request with the right token: with `accountId` + `integrationId`, an integration
 * token syn-mcp mints with the organization token (cached until shortly before it expires, redacted
 * everywhere, never shown); without them, SYNQLY_INTEGRATION_TOKEN. A cached minted token refused with
 * 401 (revoked, expired early) is replaced once.
 */
export async function connectorRequest<T = unknown>(
  ctx: ToolContext,
  target: ConnectorTarget,
  req: SynqlyCall,
): Promise<ApiResponse<T>> {
  const api = ctx.api.synqly;
  const { accountId, integrationId } = target;
  const base = { ...req, signal: ctx.signal, deadline: ctx.deadline };
  if (accountId === undefined && integrationId === undefined) {
    if (!api.has('integration')) {
      throw new SynqlyTokenMissingError(
        INTEGRATION_ENV,
        api.has('org')
          ? `Synqly connector tools need an integration token: pass accountId and integrationId (list them ` +
              `with list_integrations) so syn-mcp mints one with ${ORG_ENV}, or set ${INTEGRATION_ENV}.`
          : `Synqly connector tools need an integration token: set ${INTEGRATION_ENV} (or set ${ORG_ENV} ` +
              'and pass accountId and integrationId).',
      );
    }
    return api.request<T>({ ...base, credential: 'integration' });
  }
  if (accountId === undefined || integrationId === undefined) {
    const missing = accountId === undefined ? 'accountId' : 'integrationId';
    throw new InputError(
      'Give both accountId and integrationId, or neither (to use SYNQLY_INTEGRATION_TOKEN).',
      [{ path: missing, message: 'required together with the other id' }],
    );
  }
  const orgSecret = orgSecretOf(ctx);
  if (orgSecret === undefined) {
    throw new SynqlyTokenMissingError(
      ORG_ENV,
      `Acting on account ${accountId} / integration ${integrationId} needs ${ORG_ENV}, which syn-mcp uses to ` +
        `mint an integration token: set ${ORG_ENV}, or omit accountId and integrationId to use ${INTEGRATION_ENV}.`,
    );
  }
  const key = cacheKey(ctx, orgSecret, accountId, integrationId);
  const env = `the integration token minted with ${ORG_ENV} for account ${accountId}, integration ${integrationId}`;
  const mint = () => mintToken(ctx, orgSecret, accountId, integrationId);
  const first = await mintedTokens.get(key, mint);
  ctx.secret(first.token.secret, { showOnce: false });
  try {
    return await api.request<T>({ ...base, bearer: { secret: first.token.secret, env } });
  } catch (err) {
    if (!(err instanceof AuthError && err.status === 401 && !first.minted)) throw err;
    mintedTokens.drop(key, first.token.secret);
    const again = await mintedTokens.get(key, mint);
    ctx.secret(again.token.secret, { showOnce: false });
    return api.request<T>({ ...base, bearer: { secret: again.token.secret, env } });
  }
}

/** Sends a Management API request with the organization token (never the integration token). */
export async function managementRequest<T = unknown>(ctx: ToolContext, req: SynqlyCall): Promise<T> {
  requireOrgToken(ctx);
  const res = await ctx.api.synqly.request<T>({
    ...req,
    credential: 'org',
    signal: ctx.signal,
    deadline: ctx.deadline,
  });
  return res.data;
}
