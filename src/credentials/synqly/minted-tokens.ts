/**
 * The integration tokens syn-mcp mints itself for Synqly connector calls (`POST /v1/tokens/{accountId}/
 * {integrationId}` with the organization token): held until shortly before they expire, one mint shared by
 * concurrent calls, and with a shared cache (SYN_MCP_REDIS_URL) reused between replicas, sealed, while one
 * replica mints and the others wait for its token. One per set of API views (per principal in HTTP for teams),
 * built by src/services.ts; the Synqly call view (./view.ts) asks it for a token.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { CancelledError } from '../../errors.js';
import type { SharedCache } from '../../state/redis-cache.js';

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
 * The slot of a token minted with `orgSecret` for one integration at `baseUrl`, for `owner` (the principal):
 * a token one principal minted is never another's, even on a shared organization token.
 */
export function tokenSlot(
  at: { baseUrl: string; owner?: string | undefined },
  orgSecret: string,
  accountId: string,
  integrationId: string,
): TokenSlot {
  const org = createHash('sha256').update(orgSecret).digest('hex').slice(0, 16);
  const key = [at.baseUrl, org, accountId, integrationId, at.owner ?? ''].join('\n');
  return {
    key,
    sharedKey: `synqly-token:${createHash('sha256').update(key).digest('hex')}`,
    sealKey: createHash('sha256').update(`syn-mcp minted-token cache\n${orgSecret}`).digest(),
  };
}

/**
 * The cache of integration tokens syn-mcp minted itself (`POST /v1/tokens/{accountId}/{integrationId}`
 * with the organization token), keyed by base URL, organization token and account + integration. A token
 * is reused until shortly before its `expires`; concurrent calls share one mint. With a shared cache
 * (SYN_MCP_REDIS_URL) replicas reuse each other's tokens, sealed, and one replica mints while the others
 * wait for its token. Tokens never leave src/credentials/synqly except as the bearer of a request (or sealed).
 */
export class MintedTokens {
  private readonly tokens = new Map<string, Minted>();
  private readonly pending = new Map<string, Promise<Minted>>();
  /** The clock deciding expiry (tests give the emulator's). */
  private readonly now: () => number;
  /** Shared between replicas (SYN_MCP_REDIS_URL); undefined: this process only. */
  private readonly shared: SharedCache | undefined;

  constructor(opts: { shared?: SharedCache | undefined; now?: (() => number) | undefined } = {}) {
    this.shared = opts.shared;
    this.now = opts.now ?? Date.now;
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
