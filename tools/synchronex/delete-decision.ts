import { z } from 'zod';
import { buildPath } from '../../src/http/path.js';
import { defineTool } from '../../src/tool.js';
import { deletionOutput, deletionResult } from './deletion.js';

export default defineTool({
  name: 'delete_decision',
  title: 'Synchronex · Delete decision',
  description:
    'Permanently remove a decision from the Synchronex decision index. Id from search_decisions. Confirm with the user first.',
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  services: ['synchronex'],
  listTool: 'search_decisions',
  input: z.strictObject({ id: z.string().min(1).describe('Decision id.') }),
  output: deletionOutput,
  async handler(args, ctx) {
    const path = buildPath('/memory/decisions/{id}', { id: args.id });
    const res = await ctx.api.synchronex.request({ method: 'DELETE', path });
    return deletionResult(args.id, res, 'decision', 'search_decisions');
  },
});
