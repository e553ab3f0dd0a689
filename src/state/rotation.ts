/**
 * Key rotations told to the other replicas (SYN_MCP_REDIS_URL, issue 20). When a tool rotates a credential
 * (`rotate_api_key` → ApiView.setSecret), this replica records the new secret in the shared cache under a
 * hash of the old one, sealed (AES-256-GCM) with a key derived from the old one: only a replica that holds the
 * old secret — the same owner's credential — can find and read it, and Redis holds nothing usable alone. A
 * replica whose request is refused with 401 looks its secret up there, switches to the new one and sends the
 * request once more (a refused request did nothing, so sending it again is safe).
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { UpstreamError } from '../errors.js';
import { registerSecret } from '../http/redact.js';
import type { RequestOptions } from '../http/request.js';
import type { ApiView } from '../http/view.js';
import type { Logger } from '../log.js';
import type { SharedCache } from './redis.js';

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

/** The rotations of one process: recorded when a view rotates, looked up when a view is refused. */
export class SharedRotations {
  constructor(
    private readonly cache: SharedCache,
    private readonly log: Logger,
  ) {}

  /** Records that `service`'s secret `old` became `secret` (never throws: a failure costs one warning). */
  async publish(service: string, old: string, secret: string): Promise<void> {
    try {
      await this.cache.set(recordKey(service, old), seal(old, secret), ROTATION_TTL_MS);
    } catch (err) {
      this.log.warn(`${service}: the rotated key could not be shared with the other replicas`, {
        service,
        failure: err instanceof Error ? err.message : String(err),
      });
    }
  }

  /** The newest secret `current` was rotated to, or undefined. */
  async newest(service: string, current: string): Promise<string | undefined> {
    let secret = current;
    for (let hop = 0; hop < MAX_HOPS; hop++) {
      const sealed = await this.cache.get(recordKey(service, secret)).catch(() => undefined);
      const next = sealed === undefined ? undefined : unseal(secret, sealed);
      if (next === undefined) break;
      secret = next;
    }
    return secret === current ? undefined : secret;
  }

  /**
   * `view` with rotations shared: its setSecret also publishes, and a request refused with 401 on a
   * credential another replica rotated switches to the new secret and is sent once more.
   */
  wrap(view: ApiView): ApiView {
    const rotations = this;
    const setSecret = view.setSecret.bind(view);
    const retryOn401 =
      (send: (opts: RequestOptions) => Promise<unknown>) =>
      async (opts: RequestOptions): Promise<unknown> => {
        try {
          return await send(opts);
        } catch (err) {
          if (!(err instanceof UpstreamError) || err.status !== 401 || opts.bearer !== undefined) throw err;
          const name = opts.credential ?? view.endpoint.defaultCredential;
          const current = view.endpoint.credentials[name]?.secret;
          if (current === undefined) throw err;
          const newer = await rotations.newest(view.service, current);
          if (newer === undefined) throw err;
          registerSecret(newer);
          setSecret(name, newer);
          rotations.log.info(`${view.service}: switched to the key another replica rotated to`, {
            service: view.service,
          });
          return send(opts);
        }
      };
    const proxy: ApiView = new Proxy(view, {
      get(target, prop) {
        const value: unknown = Reflect.get(target, prop, proxy);
        if (prop === 'setSecret') {
          return (credential: string, secret: string) => {
            const old = target.endpoint.credentials[credential]?.secret;
            setSecret(credential, secret);
            if (old !== undefined && old !== secret) void rotations.publish(target.service, old, secret);
          };
        }
        if ((prop === 'request' || prop === 'stream') && typeof value === 'function') {
          return retryOn401((opts) => Reflect.apply(value, proxy, [opts]) as Promise<unknown>);
        }
        return value;
      },
    });
    return proxy;
  }
}
