import { z } from 'zod';
import { defineTool } from '../../src/tool.js';
import {
  integrationPointSchema,
  listOutput,
  managementPaging,
  managementQuery,
  readManagementList,
  withId,
} from './schemas.js';

export default defineTool({
  name: 'list_integration_points',
  title: 'Synqly · List integration points',
  description:
    'List Synqly integration points (where customers connect a provider of one connector category); ids for create_integration.',
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  services: ['synqly'],
  input: z.strictObject({ ...managementPaging('list_integration_points') }),
  output: listOutput(integrationPointSchema),
  async handler(args, ctx) {
    const { query, limit } = managementQuery('list_integration_points', args);
    const data = await ctx.api.synqly.management({ method: 'GET', path: '/v1/integration-points', query });
    const { items, nextCursor } = readManagementList('list_integration_points', data, limit);
    const points = items.map((p) => withId(integrationPointSchema, p));
    return nextCursor ? { items: points, nextCursor } : { items: points };
  },
});
