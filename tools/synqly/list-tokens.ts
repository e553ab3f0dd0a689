import { z } from 'zod';
import { defineTool } from '../../src/tool.js';
import {
  listOutput,
  managementPaging,
  managementQuery,
  readManagementList,
  tokenInfoSchema,
  withId,
} from './schemas.js';

export default defineTool({
  name: 'list_tokens',
  title: 'Synqly · List tokens',
  description:
    'List Synqly refresh tokens (organization and integration) with owner and expiry; secrets never shown.',
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  services: ['synqly'],
  input: z.strictObject({ ...managementPaging('list_tokens') }),
  output: listOutput(tokenInfoSchema),
  async handler(args, ctx) {
    const { query, limit } = managementQuery('list_tokens', args);
    const data = await ctx.api.synqly.management({ method: 'GET', path: '/v1/tokens', query });
    const { items, nextCursor } = readManagementList('list_tokens', data, limit);
    const tokens = items.map((t) => withId(tokenInfoSchema, t));
    return nextCursor ? { items: tokens, nextCursor } : { items: tokens };
  },
});
