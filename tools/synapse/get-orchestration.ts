import { z } from 'zod';
import { buildPath } from '../../src/http/path.js';
import { defineTool } from '../../src/tool.js';
import { orchestrationDetail, synapseGet, toOrchestrationDetail } from './schemas.js';

export default defineTool({
  name: 'get_orchestration',
  title: 'Synapse · Get orchestration',
  description:
    'Get one Synapse orchestration with its steps (id, label, type such as agent, evaluator or human, ' +
    'agent_id, depends_on) and edges. Take the id from list_orchestrations. A human step means a run will ' +
    'pause and need resume_orchestration_run.',
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  services: ['synapse'],
  listTool: 'list_orchestrations',
  input: z.strictObject({
    orch_id: z.string().min(1).describe('Orchestration id (from list_orchestrations).'),
  }),
  output: orchestrationDetail,
  async handler(args, ctx) {
    const data = await synapseGet(ctx, buildPath('/orchestrations/{orch_id}', { orch_id: args.orch_id }));
    return toOrchestrationDetail(data);
  },
});
