import { z } from 'zod';
import { buildPath } from '../../src/http/path.js';
import { defineTool } from '../../src/tool.js';
import { connectorTarget, warningsField, withWarnings } from './schemas.js';
import { connectorRequest } from './tokens.js';

export default defineTool({
  name: 'disable_identity_user',
  title: 'Synqly · Disable identity user',
  description:
    'Disable (suspend) a user in the Synqly-connected identity provider (Okta, Entra ID, …): no sign-in until enable_identity_user. userId is the uid from list_identity_users.',
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  services: ['synqly'],
  listTool: 'list_identity_users',
  input: z.strictObject({
    ...connectorTarget,
    userId: z.string().min(1).describe('User uid.'),
  }),
  output: z.object({
    userId: z.string(),
    action: z.literal('disable'),
    done: z.boolean(),
    warnings: warningsField,
  }),
  async handler(args, ctx) {
    const res = await connectorRequest(
      ctx,
      { accountId: args.accountId, integrationId: args.integrationId },
      {
        method: 'POST',
        path: buildPath('/v1/identity/users/{userId}/actions/disable', { userId: args.userId }),
      },
    );
    return withWarnings({ userId: args.userId, action: 'disable' as const, done: true }, res.data);
  },
});
