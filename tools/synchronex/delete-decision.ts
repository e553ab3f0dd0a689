import { z } from 'zod';
import { buildPath } from '../../src/http/path.js';
import { defineTool } from '../../src/tool.js';

export default defineTool({
  name: 'delete_decision',
  title: 'Synchronex · Delete decision',
  description:
    'Permanently remove a decision from the Synchronex decision index. Id from search_decisions. Confirm with the user first.',
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  services: ['synchronex'],
  listTool: 'search_decisions',
  input: z.strictObject({ id: z.string().min(1).describe('Decision id.') }),
  output: z.object({ id: z.string(), deleted: z.boolean() }),
  async handler(args, ctx) {
    const path = buildPath('/memory/decisions/{id}', { id: args.id });
    await ctx.api.synchronex.request({ method: 'DELETE', path });
    return { id: args.id, deleted: true };
  },
});
