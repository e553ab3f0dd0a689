import { z } from 'zod';
import { buildPath } from '../../src/http/path.js';
import { defineTool } from '../../src/tool.js';
import { orchestrationDetail, synapseGet, toOrchestrationDetail } from './schemas.js';

export default defineTool({
  name: 'get_orchestration',
  title: 'Synapse · Get orchestration',
  description:
    'One Synapse orchestration: name, description and steps (id, type, agent_id). Synapse leaves step labels empty and gives no order, edges or human-step questions; a human step pauses a run, whose result lists the fields for resume_orchestration_run. Id from list_orchestrations.',
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  services: ['synapse'],
  listTool: 'list_orchestrations',
  input: z.strictObject({
    orch_id: z.string().min(1).describe('Orchestration id.'),
  }),
  output: orchestrationDetail,
  async handler(args, ctx) {
    const data = await synapseGet(ctx, buildPath('/orchestrations/{orch_id}', { orch_id: args.orch_id }));
    return toOrchestrationDetail(data);
  },
});
