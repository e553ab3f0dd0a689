import { z } from 'zod';
import { defineTool } from '../../src/tool.js';
import { agentSummary, synapseGet, toAgent } from './schemas.js';

export default defineTool({
  name: 'list_agents',
  title: 'Synapse · List agents',
  description:
    'List the agents configured in Synapse (id, name, type, model, capabilities). Use it to pick the agent ' +
    'for chat or to read an id for get_agent. Synapse returns every agent at once, so there is never a ' +
    'nextCursor.',
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  services: ['synapse'],
  input: z.strictObject({}),
  output: z.object({
    items: z.array(agentSummary),
    nextCursor: z.string().optional().describe('Never set: Synapse lists every agent in one answer.'),
  }),
  async handler(_args, ctx) {
    const data = await synapseGet(ctx, '/agents');
    const items = Array.isArray(data) ? data.map((a) => toAgent(a)) : [];
    return { items };
  },
});
