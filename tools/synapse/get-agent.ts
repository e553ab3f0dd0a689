import { z } from 'zod';
import { buildPath } from '../../src/http/path.js';
import { defineTool } from '../../src/tool.js';
import { agentDetail, synapseGet, toAgent } from './schemas.js';

export default defineTool({
  name: 'get_agent',
  title: 'Synapse · Get agent',
  description:
    'Get one Synapse agent by id: name, type, model, capabilities and description. Take the id from ' +
    'list_agents. Use it to check what an agent can do before chatting with it.',
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  services: ['synapse'],
  listTool: 'list_agents',
  input: z.strictObject({
    agent_id: z.string().min(1).describe('Agent id (from list_agents); exact id, not the name.'),
  }),
  output: agentDetail,
  async handler(args, ctx) {
    const data = await synapseGet(ctx, buildPath('/agents/{agent_id}', { agent_id: args.agent_id }));
    return toAgent(data, true);
  },
});
