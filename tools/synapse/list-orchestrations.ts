import { z } from 'zod';
import { defineTool } from '../../src/tool.js';
import { orchestrationSummary, synapseList, toOrchestrationSummary } from './schemas.js';

export default defineTool({
  name: 'list_orchestrations',
  title: 'Synapse · List orchestrations',
  description:
    'List all Synapse orchestrations (id, name, description, step count) for get_orchestration and run_orchestration, in one page.',
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  services: ['synapse'],
  input: z.strictObject({}),
  output: z.object({
    items: z.array(orchestrationSummary),
    nextCursor: z.string().optional().describe('Never set: Synapse lists every orchestration in one answer.'),
  }),
  async handler(_args, ctx) {
    const data = await synapseList(ctx, '/orchestrations', 'orchestrations');
    const items = data.map(toOrchestrationSummary);
    return { items };
  },
});
