import { z } from 'zod';
import { buildPath } from '../../src/http/path.js';
import { defineTool } from '../../src/tool.js';
import { runOutput, synapsePost, toRunOutput } from './schemas.js';
import { streamRun } from './stream.js';

export default defineTool({
  name: 'run_orchestration',
  title: 'Synapse · Run orchestration',
  description:
    'Run a Synapse orchestration (orch_id from list_orchestrations) and wait; it may take minutes, with progress if the client asks. If a step needs a human, status is "paused" with run_id and human_input_required: ask the user, then call resume_orchestration_run. Otherwise returns the final response, step history and shared state. Each call starts a new run.',
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  services: ['synapse'],
  untrusted: true,
  listTool: 'list_orchestrations',
  input: z.strictObject({
    orch_id: z.string().min(1).describe('Orchestration id.'),
    message: z.string().optional().describe('Input for the run (its user_input).'),
  }),
  output: runOutput,
  async handler(args, ctx) {
    // The body is optional upstream but FastAPI needs a JSON body: send {} when there is no message.
    const body: Record<string, unknown> = args.message !== undefined ? { message: args.message } : {};
    if (ctx.wantsProgress) {
      return streamRun(
        ctx,
        buildPath('/orchestrations/{orch_id}/run/stream', { orch_id: args.orch_id }),
        body,
        '',
      );
    }
    const data = await synapsePost(
      ctx,
      buildPath('/orchestrations/{orch_id}/run', { orch_id: args.orch_id }),
      body,
    );
    return toRunOutput(data, '');
  },
});
