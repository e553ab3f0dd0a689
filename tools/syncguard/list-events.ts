import { z } from 'zod';
import { conform, defineTool } from '../../src/tool.js';
import { listOutput, pageQuery, pagingArgs, readPage } from './schemas.js';

const event = z.object({
  id: z.string().nullable().optional(),
  integrationKey: z.string().nullable().optional(),
  eventType: z.string().nullable().optional(),
  tenantId: z.string().nullable().optional(),
  errorCode: z.string().nullable().optional(),
  rawPayload: z.record(z.string(), z.unknown()).nullable().optional(),
  incidentId: z.string().nullable().optional(),
  patternId: z.string().nullable().optional(),
  receivedAt: z.string().nullable().optional(),
});

export default defineTool({
  name: 'list_events',
  title: 'SyncGuard · List events',
  description:
    "One SyncGuard incident's events (what failed, for which tenant). Id from list_incidents or send_event.",
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  services: ['syncguard'],
  listTool: 'list_incidents',
  input: z.strictObject({
    incidentId: z.string().min(1).describe('Incident id.'),
    ...pagingArgs,
  }),
  output: listOutput(event),
  async handler(args, ctx) {
    const paging = pageQuery('list_events', args);
    const data = await ctx.api.syncguard.get('/events', {
      query: { incidentId: args.incidentId, page: paging.page, pageSize: paging.pageSize },
    });
    const { items, nextCursor } = readPage('list_events', data, paging);
    const events = items.map((item) => conform(event, item));
    return nextCursor ? { items: events, nextCursor } : { items: events };
  },
});
