/**
 * Key rotations told to the other replicas (SYN_MCP_REDIS_URL, issue 20). When a tool rotates a credential
 * (`rotate_api_key` → ApiView.setSecret, which tells the rotations its view was built with), this replica
 * records the new secret in the shared cache under a hash of the old one, sealed (AES-256-GCM) with a key
 * derived from the old one: only a replica that holds the old secret — the same owner's credential — can find
 * and read it, and Redis holds nothing usable alone. A replica whose request is refused with 401 looks its
 * secret up there, switches to the new one and sends the request once more (a refused request did nothing, so
 * sending it again is safe).
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { ServiceName } from '../errors.js';
import { registerSecret } from '../http/redact.js';
import type { CredentialRotations } from '../http/view.js';
import type { Logger } from '../log.js';
import type { SharedCache } from './redis-cache.js';

/** How long a rotation is remembered for replicas that have not yet met it. */
const ROTATION_TTL_MS = 30 * 86_400_000;
/** Successive rotations followed at most, from the old secret to the newest. */
const MAX_HOPS = 3;

const recordKey = (service: string, old: string) =>
  `rotated-key:${createHash('sha256').update(`${service}\n${old}`).digest('hex')}`;
const sealKey = (old: string) => createHash('sha256').update(`syn-mcp key rotation\n${old}`).digest();

function seal(old: string, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sealKey(old), iv);
  const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
}

function unseal(old: string, sealed: string): string | undefined {
  try {
    const raw = Buffer.from(sealed, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', sealKey(old), raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

/**
 * The rotations of one process, the hook views are built with (HttpClient.view(endpoint, { rotations })):
 * recorded when a view rotates, looked up when a view is refused.
 */
export class SharedRotations implements CredentialRotations {
  constructor(
    private readonly cache: SharedCache,
    private readonly log: Logger,
  ) {}

  /** Records that `service`'s secret `old` became `secret`, in the background. */
  published(service: ServiceName, old: string, secret: string): void {
    void this.publish(service, old, secret);
  }

  /** Never throws: a failure costs one warning. */
  private async publish(service: ServiceName, old: string, secret: string): Promise<void> {
    try {
      await this.cache.set(recordKey(service, old), seal(old, secret), ROTATION_TTL_MS);
    } catch (err) {
      this.log.warn(`${service}: the rotated key could not be shared with the other replicas`, {
        service,
        failure: err instanceof Error ? err.message : String(err),
      });
    }
  }

  /** The newest secret `current` was rotated to, registered for redaction before it is used; or undefined. */
  async newest(service: ServiceName, current: string): Promise<string | undefined> {
    let secret = current;
    for (let hop = 0; hop < MAX_HOPS; hop++) {
      const sealed = await this.cache.get(recordKey(service, secret)).catch(() => undefined);
      const next = sealed === undefined ? undefined : unseal(secret, sealed);
      if (next === undefined) break;
      secret = next;
    }
    if (secret === current) return undefined;
    registerSecret(secret);
    this.log.info(`${service}: switched to the key another replica rotated to`, { service });
    return secret;
  }
}
