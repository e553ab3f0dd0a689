import { z } from 'zod';
import { defineTool } from '../../src/tool.js';
import {
  incidentSummary,
  listOutput,
  pageQuery,
  pagingArgs,
  readPage,
  toIncidentSummary,
} from './schemas.js';

export default defineTool({
  name: 'list_incidents',
  title: 'SyncGuard · List incidents',
  description:
    'List SyncGuard incidents, newest first (active ones unless status is given), with ids for get_incident, list_events and resolve_incident. Paged.',
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  services: ['syncguard'],
  input: z.strictObject({
    status: z
      .enum(['open', 'recovering', 'closed'])
      .optional()
      .describe('Only this status (default Open and Recovering).'),
    integrationKey: z.string().min(1).optional().describe('Only this integration.'),
    chronic: z.boolean().optional().describe('Only chronic incidents (reopened 3+ times).'),
    ...pagingArgs,
  }),
  output: listOutput(incidentSummary),
  async handler(args, ctx) {
    const paging = pageQuery('list_incidents', args);
    const data = await ctx.api.syncguard.get('/incidents', {
      query: {
        status: args.status,
        integrationKey: args.integrationKey,
        chronic: args.chronic === true ? 'true' : undefined,
        page: paging.page,
        pageSize: paging.pageSize,
      },
      signal: ctx.signal,
      deadline: ctx.deadline,
    });
    const { items, nextCursor } = readPage('list_incidents', data, paging);
    const summaries = items.map(toIncidentSummary);
    return nextCursor ? { items: summaries, nextCursor } : { items: summaries };
  },
});
