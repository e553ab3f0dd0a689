import { z } from 'zod';
import { defineTool } from '../../src/tool.js';
import { connectorListOutput, connectorRead } from './read-target.js';
import {
  connectorPaging,
  connectorQuery,
  connectorTarget,
  ocsfRecord,
  readConnectorList,
} from './schemas.js';

export default defineTool({
  name: 'list_identity_users',
  title: 'Synqly · List identity users',
  description:
    'List the users (OCSF) of the Synqly-connected identity provider (Okta, …); uid is the userId for disable_identity_user and enable_identity_user.',
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  services: ['synqly'],
  listTool: ['list_accounts', 'list_integrations'],
  input: z.strictObject({
    ...connectorTarget,
    ...connectorPaging('list_identity_users'),
  }),
  output: connectorListOutput(ocsfRecord),
  async handler(args, ctx) {
    const { res, integration } = await connectorRead(
      ctx,
      { accountId: args.accountId, integrationId: args.integrationId },
      {
        method: 'GET',
        path: '/v1/identity/users',
        query: { ...connectorQuery('list_identity_users', args) },
      },
    );
    const { items, ...rest } = readConnectorList('list_identity_users', res.data, args.cursor);
    return { items, ...rest, integration };
  },
});
