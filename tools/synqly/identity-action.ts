import { z } from 'zod';
import { buildPath } from '../../src/http/path.js';
import { defineTool } from '../../src/tool.js';
import { connectorWriteTarget, warningsField, withWarnings } from './schemas.js';
import { connectorWrite, usedIntegration } from './target.js';

/** What tells enable_identity_user and disable_identity_user apart. */
interface ActionText {
  title: string;
  description: string;
  /** True when the action takes access away (disable). */
  destructive: boolean;
}

/**
 * A tool for `POST /v1/identity/users/{userId}/actions/{action}` of Synqly's Identity connector: both
 * actions take the same arguments and answer alike.
 */
export function identityUserAction<A extends 'enable' | 'disable'>(action: A, text: ActionText) {
  return defineTool({
    name: `${action}_identity_user`,
    title: text.title,
    description: text.description,
    annotations: {
      readOnlyHint: false,
      destructiveHint: text.destructive,
      idempotentHint: true,
      openWorldHint: true,
    },
    services: ['synqly'],
    listTool: 'list_identity_users',
    input: z.strictObject({
      ...connectorWriteTarget,
      userId: z.string().min(1).describe('User uid.'),
    }),
    output: z.object({
      userId: z.string(),
      action: z.literal(action),
      done: z.boolean(),
      integration: usedIntegration,
      warnings: warningsField,
    }),
    async handler(args, ctx) {
      const { res, integration } = await connectorWrite(
        ctx,
        { accountId: args.accountId, integrationId: args.integrationId },
        {
          method: 'POST',
          path: buildPath(`/v1/identity/users/{userId}/actions/${action}`, { userId: args.userId }),
        },
      );
      return withWarnings({ userId: args.userId, action, done: true, integration }, res.data);
    },
  });
}
