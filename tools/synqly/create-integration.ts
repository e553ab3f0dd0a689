import { z } from 'zod';
import { SynError } from '../../src/errors.js';
import { buildPath } from '../../src/http/path.js';
import { defineTool } from '../../src/tool.js';
import {
  asRecord,
  integrationSchema,
  resultOf,
  toIntegration,
  warningsField,
  withWarnings,
} from './schemas.js';

const tokenSchema = z.object({
  secret: z.string(),
  expires: z.string().nullable(),
});

function tokenOf(raw: unknown): z.infer<typeof tokenSchema> | undefined {
  const t = asRecord(raw);
  if (typeof t.secret !== 'string' || t.secret === '') return undefined;
  return { secret: t.secret, expires: typeof t.expires === 'string' ? t.expires : null };
}

const record = z.record(z.string(), z.unknown()).describe('Mapping');

export default defineTool({
  name: 'create_integration',
  title: 'Synqly · Create integration',
  description:
    'Create a Synqly integration (a connector to one provider) in an account from list_accounts or create_account. Its access and refresh tokens are shown in this result only, once.',
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  services: ['synqly'],
  listTool: 'list_accounts',
  input: z.strictObject({
    accountId: z.string().min(1).describe('Account id.'),
    provider_config: record
      .refine((c) => typeof c.type === 'string' && c.type !== '', {
        message: 'provider_config.type is required, e.g. "ticketing_jira"',
      })
      .describe('`type` (e.g. "ticketing_jira") plus that provider\'s fields (url, credential, …).'),
    name: z.string().min(1).optional().describe('Unique short name.'),
    fullname: z.string().min(1).max(256).optional().describe('Display name.'),
    integration_point_id: z.string().min(1).optional().describe('From list_integration_points.'),
    bridge_selector: record.optional().describe('Bridge group to route through.'),
    webhook_config: record.optional().describe('provider_key, items.'),
    mappings: z.array(record).optional().describe('Mapping chains.'),
    additional_mappings: z.array(record).optional().describe('Additional field mappings.'),
  }),
  output: z.object({
    integration: integrationSchema,
    token: z
      .object({ access: tokenSchema, refresh: tokenSchema.optional() })
      .describe('Integration token pair, shown once.'),
    note: z.string(),
    warnings: warningsField,
  }),
  async handler(args, ctx) {
    const { accountId, ...body } = args;
    const data = await ctx.api.synqly.management({
      method: 'POST',
      path: buildPath('/v1/integrations/{accountId}', { accountId }),
      body,
    });
    const result = asRecord(resultOf(data));
    const pair = asRecord(result.token);
    const access = tokenOf(pair.access);
    const refresh = tokenOf(pair.refresh);
    if (!access) {
      throw new SynError(
        'Synqly created the integration but its answer holds no token; find it with list_integrations and ' +
          'create a token with create_integration_token.',
      );
    }
    ctx.secret(access.secret, { showOnce: true });
    if (refresh) ctx.secret(refresh.secret, { showOnce: true });
    return withWarnings(
      {
        integration: toIntegration(result.integration),
        token: refresh ? { access, refresh } : { access },
        note:
          'The token secrets are shown once, here only: tell the user to store them now if they need ' +
          'them. syn-mcp does not: connector tools given accountId + integrationId mint their own.',
      },
      data,
    );
  },
});
