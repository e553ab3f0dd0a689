import { z } from 'zod';
import { buildPath } from '../../src/http/path.js';
import { defineTool } from '../../src/tool.js';
import { agentDetail, synapseGet, toAgent } from './schemas.js';

export default defineTool({
  name: 'get_agent',
  title: 'Synapse · Get agent',
  description:
    'One Synapse agent: name, type, model, capabilities and description, e.g. before chat. Id from list_agents.',
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  services: ['synapse'],
  listTool: 'list_agents',
  input: z.strictObject({
    agent_id: z.string().min(1).describe('Agent id, not the name.'),
  }),
  output: agentDetail,
  async handler(args, ctx) {
    const data = await synapseGet(ctx, buildPath('/agents/{agent_id}', { agent_id: args.agent_id }));
    return toAgent(data, true);
  },
});
