/**
 * Which integration answered a Synqly connector read. As for a write (target.ts), a read without ids is
 * answered by whatever integration SYNQLY_INTEGRATION_TOKEN belongs to, which the token does not say; the
 * result names it, looked up the same way. A read is not refused when that cannot be known (it changes
 * nothing), but the result then says so: an answer never silently comes from an integration nobody named.
 */
import { z } from 'zod';
import {
  type ConnectorTarget,
  INTEGRATION_ENV,
  ORG_ENV,
  type SynqlyCall,
} from '../../src/credentials/synqly/view.js';
import type { ApiResponse } from '../../src/http/request.js';
import type { ToolContext } from '../../src/tool.js';
import { listOutput } from './schemas.js';
import { tokenOwner, usedIntegration, whyUnknown } from './target.js';

/** The integration a connector read was answered by, as the result names it. */
export const answeringIntegration = usedIntegration
  .partial({ accountId: true, integrationId: true })
  .extend({
    unknown_because: z.string().optional().describe('Set when syn-mcp cannot name it; why'),
  })
  .describe('Which integration answered');
export type AnsweringIntegration = z.infer<typeof answeringIntegration>;

/** Output of a connector list read: the page and the integration that answered it. */
export function connectorListOutput<T extends z.ZodType>(item: T) {
  return listOutput(item).extend({ integration: answeringIntegration });
}

/**
 * The integration that answered a read sent to `target`: the named one, or the configured token's owner
 * (looked up after the read, so a read the API refused costs no look-up).
 */
export async function answeredBy(ctx: ToolContext, target: ConnectorTarget): Promise<AnsweringIntegration> {
  const { accountId, integrationId } = target;
  if (accountId !== undefined && integrationId !== undefined) {
    return { accountId, integrationId, chosen_by: 'arguments' };
  }
  try {
    return await tokenOwner(ctx);
  } catch (err) {
    const why = whyUnknown(err);
    if (why === undefined) throw err;
    // Reading a named integration needs the org token too (view.ts mints its token with it).
    const next =
      ctx.api.synqly.orgSecret === undefined
        ? `Naming it, or reading a named integration, needs ${ORG_ENV}.`
        : 'Pass accountId and integrationId (list_accounts, list_integrations) to read a named integration.';
    return {
      chosen_by: INTEGRATION_ENV,
      unknown_because: `the integration ${INTEGRATION_ENV} belongs to answered, and ${why} ${next}`,
    };
  }
}

/** Sends a Connector API read and names the integration that answered it. */
export async function connectorRead<T = unknown>(
  ctx: ToolContext,
  target: ConnectorTarget,
  req: SynqlyCall,
): Promise<{ res: ApiResponse<T>; integration: AnsweringIntegration }> {
  const res = await ctx.api.synqly.connector<T>(target, req);
  return { res, integration: await answeredBy(ctx, target) };
}
