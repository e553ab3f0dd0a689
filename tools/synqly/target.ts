/**
 * Which integration a Synqly connector write lands in. With `accountId` + `integrationId` the model named it;
 * without them the write goes to whatever integration SYNQLY_INTEGRATION_TOKEN belongs to, which the token
 * itself does not say. syn-mcp then looks it up with the organization token (the Management token list
 * carries each refresh token's owner and its access secrets, api-notes §1a `RefreshToken`), and names it in
 * the result. When it cannot be known, the write is refused before anything is sent: no guessing.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import {
  type ConnectorTarget,
  INTEGRATION_ENV,
  ORG_ENV,
  type SynqlyCall,
} from '../../src/credentials/synqly/view.js';
import { errorText } from '../../src/error-text.js';
import { NetworkError, SynError, UpstreamError } from '../../src/errors.js';
import type { ApiResponse } from '../../src/http/request.js';
import type { ToolContext } from '../../src/tool.js';
import { asRecord, resultOf } from './schemas.js';

/** The integration a connector write acted on, as the result names it. */
export const usedIntegration = z
  .object({
    accountId: z.string(),
    integrationId: z.string(),
    name: z.string().optional(),
    provider: z.string().optional(),
    category: z.string().optional(),
    chosen_by: z.enum(['arguments', INTEGRATION_ENV]),
  })
  .describe('Where this write went');
export type UsedIntegration = z.infer<typeof usedIntegration>;

/** A write without ids whose integration cannot be named: refused, nothing sent. */
export class UnknownIntegrationError extends SynError {
  override name = 'UnknownIntegrationError';
}

/** Most token pages read while looking for the configured token (100 each). */
const MAX_TOKEN_PAGES = 20;

function digest(secret: string): Buffer {
  return createHash('sha256').update(secret).digest();
}

function sameSecret(candidate: unknown, wanted: Buffer): boolean {
  return typeof candidate === 'string' && timingSafeEqual(digest(candidate), wanted);
}

/** The access secrets a listed `RefreshToken` carries (primary and secondary pair). */
function accessSecrets(token: Record<string, unknown>): unknown[] {
  return [token.primary, token.secondary].map((pair) => asRecord(asRecord(pair).access).secret);
}

function text(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** Why the integration SYNQLY_INTEGRATION_TOKEN belongs to cannot be named (a sentence ending in a stop). */
class OwnerUnknown extends Error {
  constructor(readonly why: string) {
    super(why);
  }
}

function refuse(why: string): UnknownIntegrationError {
  return new UnknownIntegrationError(
    `Refused, nothing was sent: without accountId and integrationId this write would go to the integration ${INTEGRATION_ENV} belongs to, and ${why} ` +
      'Ask the user which integration is meant, then pass its accountId and integrationId (list_accounts, list_integrations).',
  );
}

/** Finds the integration the configured token belongs to, through the Management API. */
async function lookUp(ctx: ToolContext, orgSecret: string, wanted: Buffer): Promise<UsedIntegration> {
  const api = ctx.api.synqly;
  const opts = { bearer: { secret: orgSecret, env: ORG_ENV } };
  let integrationId: string | undefined;
  let startAfter: string | undefined;
  for (let page = 0; page < MAX_TOKEN_PAGES && integrationId === undefined; page++) {
    const data = await api.get('/v1/tokens', { ...opts, query: { limit: 100, start_after: startAfter } });
    const tokens = Array.isArray(resultOf(data)) ? (resultOf(data) as unknown[]).map(asRecord) : [];
    const mine = tokens.find((t) => accessSecrets(t).some((s) => sameSecret(s, wanted)));
    if (mine) {
      if (mine.owner_type !== 'integration' || !text(mine.owner_id)) {
        throw new OwnerUnknown(
          `${INTEGRATION_ENV} is not an integration token (its owner is ${String(mine.owner_type)}).`,
        );
      }
      integrationId = text(mine.owner_id);
      break;
    }
    const last = text(tokens.at(-1)?.name);
    if (tokens.length < 100 || last === undefined) break;
    startAfter = last;
  }
  if (integrationId === undefined) {
    throw new OwnerUnknown(
      `${INTEGRATION_ENV} is not among the tokens ${ORG_ENV} can list, so syn-mcp cannot tell which integration that is.`,
    );
  }
  const found = await api.get('/v1/integrations', { ...opts, query: { filter: [`id[eq]${integrationId}`] } });
  const list = Array.isArray(resultOf(found)) ? (resultOf(found) as unknown[]).map(asRecord) : [];
  const integration = list.find((i) => i.id === integrationId);
  const accountId = text(integration?.account_id);
  if (!integration || accountId === undefined) {
    throw new OwnerUnknown(
      `its integration ${integrationId} is not among the integrations ${ORG_ENV} can list.`,
    );
  }
  const out: UsedIntegration = { accountId, integrationId, chosen_by: INTEGRATION_ENV };
  const name = text(integration.name);
  if (name) out.name = name;
  const provider = text(integration.provider_type) ?? text(asRecord(integration.provider_config).type);
  if (provider) out.provider = provider;
  const category = text(integration.category);
  if (category) out.category = category;
  return out;
}

/**
 * The integration SYNQLY_INTEGRATION_TOKEN belongs to, looked up with the organization token (cached per
 * token). Throws OwnerUnknown saying why when that cannot be known.
 */
export async function tokenOwner(ctx: ToolContext): Promise<UsedIntegration> {
  const api = ctx.api.synqly;
  const orgSecret = api.orgSecret;
  if (orgSecret === undefined) {
    throw new OwnerUnknown(
      `syn-mcp cannot tell which one that is: the token does not say, and ${ORG_ENV}, needed to look it up (or to act on a named integration), is not set.`,
    );
  }
  const wanted = digest(api.endpoint.credentials.integration?.secret ?? '');
  const key = `${api.endpoint.baseUrl}\n${wanted.toString('hex')}`;
  const cached = api.owners.get(key);
  if (cached) return { ...cached, chosen_by: INTEGRATION_ENV };
  let found: UsedIntegration;
  try {
    found = await lookUp(ctx, orgSecret, wanted);
  } catch (err) {
    if (err instanceof UpstreamError || err instanceof NetworkError) {
      throw new OwnerUnknown(`looking it up with ${ORG_ENV} failed: ${errorText(err)}`);
    }
    throw err;
  }
  api.owners.set(key, found);
  return found;
}

/** Why tokenOwner could not name the integration, or undefined for any other failure. */
export function whyUnknown(err: unknown): string | undefined {
  return err instanceof OwnerUnknown ? err.why : undefined;
}

/**
 * The integration a connector write goes to: the configured token's owner. Throws UnknownIntegrationError
 * (nothing sent) when that owner cannot be known.
 */
async function writeTarget(ctx: ToolContext): Promise<UsedIntegration> {
  try {
    return await tokenOwner(ctx);
  } catch (err) {
    const why = whyUnknown(err);
    if (why === undefined) throw err;
    // Reads go ahead without the look-up (they name what they cannot), so the user need not set it for them.
    throw refuse(
      ctx.api.synqly.orgSecret === undefined ? `${why} Reads such as query_tickets still work.` : why,
    );
  }
}

/**
 * Sends a Connector API write and says which integration it went to: the one `target` names, or (no ids)
 * the owner of SYNQLY_INTEGRATION_TOKEN, looked up before anything is sent; refused when unknown.
 */
export async function connectorWrite<T = unknown>(
  ctx: ToolContext,
  target: ConnectorTarget,
  req: SynqlyCall,
): Promise<{ res: ApiResponse<T>; integration: UsedIntegration }> {
  const { accountId, integrationId } = target;
  const api = ctx.api.synqly;
  if (accountId !== undefined && integrationId !== undefined) {
    const res = await api.connector<T>(target, req);
    return { res, integration: { accountId, integrationId, chosen_by: 'arguments' } };
  }
  if (accountId !== undefined || integrationId !== undefined || !api.has('integration')) {
    // The view refuses these (one id only; no integration token) with its own message, sending nothing.
    await api.connector<T>(target, req);
    throw new SynError('Synqly connector write without a target integration.');
  }
  const integration = await writeTarget(ctx);
  const res = await api.connector<T>(target, req);
  return { res, integration };
}
