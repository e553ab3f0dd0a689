/**
 * Which integration a configured SYNQLY_INTEGRATION_TOKEN belongs to, once looked up through the Management
 * API (tools/synqly/target.ts does the look-up): held per set of API views, so per principal in HTTP for teams,
 * for a few minutes, by base URL and token hash.
 */

/** How long a looked-up owner of the configured token is reused. */
const LOOKUP_TTL_MS = 5 * 60_000;

/** The integration a write without ids goes to, as a look-up found it. */
export interface TokenOwner {
  accountId: string;
  integrationId: string;
  name?: string | undefined;
  provider?: string | undefined;
  category?: string | undefined;
}

/** Owners of configured integration tokens already looked up. */
export class TokenOwners {
  private readonly held = new Map<string, { value: TokenOwner; until: number }>();

  /** `now` is the clock deciding expiry (tests share the emulator's). */
  constructor(private readonly now: () => number = Date.now) {}

  get(key: string): TokenOwner | undefined {
    const hit = this.held.get(key);
    if (hit && this.now() < hit.until) return hit.value;
    this.held.delete(key);
    return undefined;
  }

  set(key: string, value: TokenOwner): void {
    this.held.set(key, { value, until: this.now() + LOOKUP_TTL_MS });
  }
}
