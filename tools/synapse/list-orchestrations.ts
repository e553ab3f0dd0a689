import { z } from 'zod';
import { defineTool } from '../../src/tool.js';
import { orchestrationSummary, synapseGet, toOrchestrationSummary } from './schemas.js';

export default defineTool({
  name: 'list_orchestrations',
  title: 'Synapse · List orchestrations',
  description:
    'List the multi-step orchestrations configured in Synapse (id, name, description, number of steps). ' +
    'Use the id with get_orchestration to see the steps, or with run_orchestration to run it. Synapse ' +
    'returns every orchestration at once, so there is never a nextCursor.',
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  services: ['synapse'],
  input: z.strictObject({}),
  output: z.object({
    items: z.array(orchestrationSummary),
    nextCursor: z.string().optional().describe('Never set: Synapse lists every orchestration in one answer.'),
  }),
  async handler(_args, ctx) {
    const data = await synapseGet(ctx, '/orchestrations');
    const items = Array.isArray(data) ? data.map(toOrchestrationSummary) : [];
    return { items };
  },
});
