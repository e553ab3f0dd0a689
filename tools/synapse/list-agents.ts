import { z } from 'zod';
import { defineTool } from '../../src/tool.js';
import { agentSummary, synapseList, toAgent } from './schemas.js';

export default defineTool({
  name: 'list_agents',
  title: 'Synapse · List agents',
  description:
    'List all Synapse agents (id, name, type, model, capabilities) for chat or get_agent, in one page.',
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  services: ['synapse'],
  input: z.strictObject({}),
  output: z.object({
    items: z.array(agentSummary),
    nextCursor: z.string().optional().describe('Never set: Synapse lists every agent in one answer.'),
  }),
  async handler(_args, ctx) {
    const data = await synapseList(ctx, '/agents', 'agents');
    const items = data.map((a) => toAgent(a));
    return { items };
  },
});
