import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { AuthError, CancelledError, InputError, NotConfiguredError, SynError } from '../../src/errors.js';
import { buildPath } from '../../src/http/path.js';
import type { ApiResponse, RequestOptions } from '../../src/http/request.js';
import { isRecord } from '../../src/json.js';
import type { SharedCache } from '../../src/state/redis.js';
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
  /** The sealed form held in the shared cache, when it came from or went to it (for compare-and-delete). */
  sealed?: string | undefined;
  /** Minted by this process's flight (not read from a cache): a 401 on it is not worth a second mint. */
  minted?: boolean | undefined;
}

/** Longest safety margin kept before a minted token's expiry. */
const MAX_MARGIN_MS = 60_000;
/** How long a token whose `expires` cannot be read is reused. */
const UNKNOWN_EXPIRY_MS = 60_000;
/** How long one replica's mint holds the others back, and how often they look for its token meanwhile. */
const MINT_LOCK_MS = 10_000;
const MINT_POLL_MS = 50;

/**
 * A token sealed for the shared cache: AES-256-GCM under a key derived from the organization token that
 * minted it, so Redis holds nothing usable on its own and only replicas holding that organization token can
 * read it. The expiry is sealed with it.
 */
function seal(key: Buffer, token: { secret: string; refreshAt: number }): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(token), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
}

function unseal(key: Buffer, sealed: string): { secret: string; refreshAt: number } | undefined {
  try {
    const raw = Buffer.from(sealed, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    const text = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    const v = JSON.parse(text) as { secret?: unknown; refreshAt?: unknown };
    if (typeof v.secret !== 'string' || typeof v.refreshAt !== 'number') return undefined;
    return { secret: v.secret, refreshAt: v.refreshAt };
  } catch {
    return undefined;
  }
}

/** `promise`, or CancelledError as soon as `signal` aborts (what `promise` does later is then ignored). */
function untilCancelled<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) {
    promise.catch(() => {});
    return Promise.reject(new CancelledError());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new CancelledError());
    signal.addEventListener('abort', onAbort);
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}

/** What identifies a cached token, and the key that seals it in the shared cache. */
export interface TokenSlot {
  /** The in-process key (base URL, organization token hash, account, integration, principal). */
  key: string;
  /** The shared cache's key: a hash of `key`, so Redis learns no ids. */
  sharedKey: string;
  sealKey: Buffer;
}

/**
 * The cache of integration tokens syn-mcp minted itself (`POST /v1/tokens/{accountId}/{integrationId}`
 * with the organization token), keyed by base URL, organization token and account + integration. A token
 * is reused until shortly before its `expires`; concurrent calls share one mint. With a shared cache
 * (SYN_MCP_REDIS_URL) replicas reuse each other's tokens, sealed, and one replica mints while the others
 * wait for its token. Tokens never leave this module except as the bearer of a request (or sealed).
 */
class MintedTokenCache {
  private readonly tokens = new Map<string, Minted>();
  private readonly pending = new Map<string, Promise<Minted>>();
  /** The clock deciding expiry; tests replace it to share the emulator's clock. */
  now: () => number = Date.now;
  /** Shared between replicas when set (the CLI sets it when SYN_MCP_REDIS_URL is configured). */
  shared: SharedCache | undefined;

  /** Forgets every cached token (this process's; the shared cache keeps its own until they expire). */
  clear(): void {
    this.tokens.clear();
    this.pending.clear();
  }

  /** Number of tokens held. */
  get size(): number {
    return this.tokens.size;
  }

  private fresh(key: string): Minted | undefined {
    const hit = this.tokens.get(key);
    if (hit && this.now() < hit.refreshAt) return hit;
    if (hit) this.tokens.delete(key);
    return undefined;
  }

  /** Forgets a token the API refused, here and (if it is still the one held there) in the shared cache. */
  async drop(slot: TokenSlot, secret: string): Promise<void> {
    const held = this.tokens.get(slot.key);
    if (held?.secret !== secret) return;
    this.tokens.delete(slot.key);
    if (held.sealed !== undefined) await this.shared?.deleteIf(slot.sharedKey, held.sealed);
  }

  private async fromShared(slot: TokenSlot): Promise<Minted | undefined> {
    const sealed = await this.shared?.get(slot.sharedKey);
    if (sealed === undefined) return undefined;
    const token = unseal(slot.sealKey, sealed);
    if (!token || this.now() >= token.refreshAt) return undefined;
    const entry = { ...token, sealed };
    this.tokens.set(slot.key, entry);
    return entry;
  }

  /**
   * The token of `slot`: held, or the one a mint in flight brings (concurrent calls share it), or a new one.
   * `signal` is this caller's cancellation: it stops this caller's wait, not the shared mint. When the mint
   * it waited on was cancelled with the call that started it, a caller still waiting mints for itself.
   */
  async get(
    slot: TokenSlot,
    mint: () => Promise<{ secret: string; expires: number | undefined }>,
    signal?: AbortSignal,
  ) {
    for (;;) {
      const hit = this.fresh(slot.key);
      if (hit) return { token: hit, minted: false };
      if (signal?.aborted) throw new CancelledError();
      let flight = this.pending.get(slot.key);
      if (!flight) {
        flight = this.obtain(slot, mint).finally(() => this.pending.delete(slot.key));
        this.pending.set(slot.key, flight);
      }
      try {
        const token = await untilCancelled(flight, signal);
        return { token, minted: token.minted === true };
      } catch (err) {
        if (err instanceof CancelledError && signal?.aborted !== true) continue;
        throw err;
      }
    }
  }

  /** The shared cache's token, or one this replica mints (while holding the others back), or one another replica minted meanwhile. */
  private async obtain(
    slot: TokenSlot,
    mint: () => Promise<{ secret: string; expires: number | undefined }>,
  ): Promise<Minted> {
    const shared = this.shared;
    if (shared) {
      const cached = await this.fromShared(slot);
      if (cached) return cached;
      const waitUntil = this.now() + MINT_LOCK_MS;
      while (!(await shared.lock(slot.sharedKey, MINT_LOCK_MS))) {
        if (this.now() >= waitUntil) break;
        await new Promise((resolve) => setTimeout(resolve, MINT_POLL_MS));
        const theirs = await this.fromShared(slot);
        if (theirs) return theirs;
      }
    }
    try {
      const started = this.now();
      const { secret, expires } = await mint();
      const lifetime = expires !== undefined ? expires - started : UNKNOWN_EXPIRY_MS;
      const margin = Math.min(MAX_MARGIN_MS, Math.max(0, lifetime) / 5);
      const until = expires !== undefined ? expires : started + UNKNOWN_EXPIRY_MS;
      const entry: Minted = { secret, refreshAt: until - margin, minted: true };
      if (shared) {
        entry.sealed = seal(slot.sealKey, { secret, refreshAt: entry.refreshAt });
        await shared.set(slot.sharedKey, entry.sealed, entry.refreshAt - this.now());
      }
      this.tokens.set(slot.key, entry);
      return entry;
    } finally {
      if (shared) await shared.unlock(slot.sharedKey);
    }
  }
}

/** The process-wide cache of minted integration tokens. */
export const mintedTokens = new MintedTokenCache();

function tokenSlot(ctx: ToolContext, orgSecret: string, accountId: string, integrationId: string): TokenSlot {
  const org = createHash('sha256').update(orgSecret).digest('hex').slice(0, 16);
  // Per principal too (HTTP for teams): a token one principal minted is never another's, even on a shared org token.
  const owner = ctx.api.synqly.endpoint.owner ?? '';
  const key = [ctx.api.synqly.endpoint.baseUrl, org, accountId, integrationId, owner].join('\n');
  return {
    key,
    sharedKey: `synqly-token:${createHash('sha256').update(key).digest('hex')}`,
    sealKey: createHash('sha256').update(`syn-mcp minted-token cache\n${orgSecret}`).digest(),
  };
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
  const result = isRecord(data) ? data.result : undefined;
  const secret = isRecord(result) ? result.secret : undefined;
  if (typeof secret !== 'string' || secret === '') {
    throw new SynError(
      'Synqly minted an integration token but its answer holds no token secret; nothing was sent to the connector.',
    );
  }
  const expiresAt = isRecord(result) && typeof result.expires === 'string' ? Date.parse(result.expires) : NaN;
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
          ? `Synqly connector tools need an integration token: pass accountId and integrationId (from ` +
              `list_accounts and list_integrations) so syn-mcp mints one with ${ORG_ENV}, or set ${INTEGRATION_ENV}.`
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
  const slot = tokenSlot(ctx, orgSecret, accountId, integrationId);
  const env = `the integration token minted with ${ORG_ENV} for account ${accountId}, integration ${integrationId}`;
  const mint = () => mintToken(ctx, orgSecret, accountId, integrationId);
  const first = await mintedTokens.get(slot, mint, ctx.signal);
  ctx.secret(first.token.secret, { showOnce: false });
  try {
    return await api.request<T>({ ...base, bearer: { secret: first.token.secret, env } });
  } catch (err) {
    if (!(err instanceof AuthError && err.status === 401 && !first.minted)) throw err;
    await mintedTokens.drop(slot, first.token.secret);
    const again = await mintedTokens.get(slot, mint, ctx.signal);
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
