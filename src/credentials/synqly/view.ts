/**
 * The Synqly view of one call: a tool says what it acts on — the Management API (`management`, always with
 * the organization token) or a connector on a target integration (`connector`) — and the view picks the
 * credential: SYNQLY_INTEGRATION_TOKEN, or an integration token minted with the organization token and held
 * by the process's MintedTokens (./minted-tokens.ts).
 */
import { type CallRequest, type CallScope, CallView } from '../../call-view.js';
import { AuthError, InputError, NotConfiguredError, SynError } from '../../errors.js';
import { buildPath } from '../../http/path.js';
import { registerSecret } from '../../http/redact.js';
import type { ApiResponse } from '../../http/request.js';
import type { ApiView } from '../../http/view.js';
import { isRecord } from '../../json.js';
import { type MintedTokens, tokenSlot } from './minted-tokens.js';
import type { TokenOwners } from './token-owners.js';

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

/** Request options a Synqly tool gives; the view adds the token. */
export type SynqlyCall = Omit<CallRequest, 'credential' | 'bearer'>;

/** Synqly's API view bound to a call, choosing the token of each request. */
export class SynqlyView extends CallView {
  constructor(
    view: ApiView,
    call: CallScope,
    private readonly minted: MintedTokens,
    /** Which integration the configured integration token belongs to, once looked up (tools/synqly/target.ts). */
    readonly owners: TokenOwners,
  ) {
    super(view, call);
  }

  /** The organization token, when configured. */
  get orgSecret(): string | undefined {
    return this.has('org') ? this.endpoint.credentials.org?.secret : undefined;
  }

  /** Throws unless the organization token is configured (Management tools). */
  requireOrg(): void {
    if (!this.has('org')) {
      throw new SynqlyTokenMissingError(
        ORG_ENV,
        `Synqly Management tools need the organization token: set ${ORG_ENV}. ` +
          `(${INTEGRATION_ENV} only works for connector tools such as query_tickets.)`,
      );
    }
  }

  /** Sends a Management API request with the organization token (never the integration token). */
  async management<T = unknown>(req: SynqlyCall): Promise<T> {
    this.requireOrg();
    return (await this.request<T>({ ...req, credential: 'org' })).data;
  }

  /**
   * Sends a Connector API request with the right token: with `accountId` + `integrationId`, an integration
   * token syn-mcp mints with the organization token (cached until shortly before it expires, redacted
   * everywhere, never shown); without them, SYNQLY_INTEGRATION_TOKEN. A cached minted token refused with
   * 401 (revoked, expired early) is replaced once.
   */
  async connector<T = unknown>(target: ConnectorTarget, req: SynqlyCall): Promise<ApiResponse<T>> {
    const { accountId, integrationId } = target;
    if (accountId === undefined && integrationId === undefined) {
      if (!this.has('integration')) {
        throw new SynqlyTokenMissingError(
          INTEGRATION_ENV,
          this.has('org')
            ? `Synqly connector tools need an integration token: pass accountId and integrationId (from ` +
                `list_accounts and list_integrations) so syn-mcp mints one with ${ORG_ENV}, or set ${INTEGRATION_ENV}.`
            : `Synqly connector tools need an integration token: set ${INTEGRATION_ENV} (or set ${ORG_ENV} ` +
                'and pass accountId and integrationId).',
        );
      }
      return this.request<T>({ ...req, credential: 'integration' });
    }
    if (accountId === undefined || integrationId === undefined) {
      const missing = accountId === undefined ? 'accountId' : 'integrationId';
      throw new InputError(
        'Give both accountId and integrationId, or neither (to use SYNQLY_INTEGRATION_TOKEN).',
        [{ path: missing, message: 'required together with the other id' }],
      );
    }
    const orgSecret = this.orgSecret;
    if (orgSecret === undefined) {
      throw new SynqlyTokenMissingError(
        ORG_ENV,
        `Acting on account ${accountId} / integration ${integrationId} needs ${ORG_ENV}, which syn-mcp uses to ` +
          `mint an integration token: set ${ORG_ENV}, or omit accountId and integrationId to use ${INTEGRATION_ENV}.`,
      );
    }
    const slot = tokenSlot(this.endpoint, orgSecret, accountId, integrationId);
    const env = `the integration token minted with ${ORG_ENV} for account ${accountId}, integration ${integrationId}`;
    const mint = () => this.mint(orgSecret, accountId, integrationId);
    const first = await this.minted.get(slot, mint, this.call.signal);
    // Redacted from every log and result from now on; never shown.
    registerSecret(first.token.secret);
    try {
      return await this.request<T>({ ...req, bearer: { secret: first.token.secret, env } });
    } catch (err) {
      if (!(err instanceof AuthError && err.status === 401 && !first.minted)) throw err;
      await this.minted.drop(slot, first.token.secret);
      const again = await this.minted.get(slot, mint, this.call.signal);
      registerSecret(again.token.secret);
      return this.request<T>({ ...req, bearer: { secret: again.token.secret, env } });
    }
  }

  /** Calls `POST /v1/tokens/{accountId}/{integrationId}` with the organization token (body `{}`: defaults). */
  private async mint(
    orgSecret: string,
    accountId: string,
    integrationId: string,
  ): Promise<{ secret: string; expires: number | undefined }> {
    const data = await this.post(
      buildPath('/v1/tokens/{accountId}/{integrationId}', { accountId, integrationId }),
      { body: {}, bearer: { secret: orgSecret, env: MINT_ENV } },
    );
    const result = isRecord(data) ? data.result : undefined;
    const secret = isRecord(result) ? result.secret : undefined;
    if (typeof secret !== 'string' || secret === '') {
      throw new SynError(
        'Synqly minted an integration token but its answer holds no token secret; nothing was sent to the connector.',
      );
    }
    const expiresAt =
      isRecord(result) && typeof result.expires === 'string' ? Date.parse(result.expires) : NaN;
    return { secret, expires: Number.isNaN(expiresAt) ? undefined : expiresAt };
  }
}
