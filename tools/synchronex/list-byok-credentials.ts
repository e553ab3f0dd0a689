import { z } from 'zod';
import { defineTool } from '../../src/tool.js';
import { byokItem, itemsResult } from './schemas.js';

export default defineTool({
  name: 'list_byok_credentials',
  title: 'Synchronex · List BYOK credentials',
  description:
    'List Synchronex bring-your-own-key credentials, e.g. for delete_byok_credential; keys are never returned.',
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  services: ['synchronex'],
  input: z.strictObject({}),
  output: z.object({ items: z.array(byokItem) }),
  async handler(_args, ctx) {
    const data = await ctx.api.synchronex.get('/byok');
    return { items: itemsResult(byokItem, data, ['credentials', 'items', 'data', 'keys']).items };
  },
});
