import { z } from 'zod';
import { SynError } from '../../src/errors.js';
import { buildPath } from '../../src/http/path.js';
import { defineTool } from '../../src/tool.js';
import { asRecord, resultOf } from './schemas.js';

export default defineTool({
  name: 'create_integration_token',
  title: 'Synqly · Create integration token',
  description:
    "Create a short-lived integration token for the user's own app or SDK (connector tools mint their own); ids from list_accounts and list_integrations. The secret is shown in this result only, once.",
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  services: ['synqly'],
  listTool: ['list_accounts', 'list_integrations'],
  input: z.strictObject({
    accountId: z.string().min(1).describe('Account id.'),
    integrationId: z.string().min(1).describe('Integration id.'),
    name: z.string().min(1).optional().describe('Token name (default: its refresh token id).'),
    token_ttl: z
      .string()
      .regex(/^(\d+(\.\d+)?(h|m|s|ms))+$/)
      .optional()
      .describe('e.g. "1h" (default 10m).'),
  }),
  output: z.object({
    secret: z.string().describe('The integration token (Bearer secret), shown once.'),
    expires: z.string().nullable(),
    permissions: z.record(z.string(), z.unknown()).nullable().optional(),
    note: z.string(),
  }),
  async handler(args, ctx) {
    const body: Record<string, string> = {};
    if (args.name !== undefined) body.name = args.name;
    if (args.token_ttl !== undefined) body.token_ttl = args.token_ttl;
    const data = await ctx.api.synqly.management({
      method: 'POST',
      path: buildPath('/v1/tokens/{accountId}/{integrationId}', args),
      body,
    });
    const token = asRecord(resultOf(data));
    const secret = token.secret;
    if (typeof secret !== 'string' || secret === '') {
      throw new SynError(
        'Synqly answered without a token secret; check the integration with get_integration.',
      );
    }
    ctx.secret(secret, { showOnce: true });
    const permissions = token.permissions;
    return {
      secret,
      expires: typeof token.expires === 'string' ? token.expires : null,
      permissions:
        typeof permissions === 'object' && permissions !== null && !Array.isArray(permissions)
          ? (permissions as Record<string, unknown>)
          : null,
      note:
        'This secret is shown once, here only: tell the user to store it now. It is an integration token ' +
        '(Bearer) for the Connector API and stops working at `expires`.',
    };
  },
});
