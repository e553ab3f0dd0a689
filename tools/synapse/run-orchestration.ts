import { z } from 'zod';
import { buildPath } from '../../src/http/path.js';
import { defineTool } from '../../src/tool.js';
import { runOutput, synapsePost, toRunOutput } from './schemas.js';
import { streamRun } from './stream.js';

export default defineTool({
  name: 'run_orchestration',
  title: 'Synapse · Run orchestration',
  description:
    'Run a Synapse orchestration (a multi-step agent workflow) and wait for its result. Take orch_id from ' +
    'list_orchestrations. Runs can take minutes: when the client asks for progress, each step, tool use ' +
    'and routing decision is reported as it happens. If a step needs a human, the result has status ' +
    '"paused", run_id and human_input_required: ask the user, then call resume_orchestration_run. Returns ' +
    'the final response, step history and shared state otherwise. Each call starts a new run.',
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  services: ['synapse'],
  listTool: 'list_orchestrations',
  input: z.strictObject({
    orch_id: z.string().min(1).describe('Orchestration id (from list_orchestrations).'),
    message: z.string().optional().describe('Input for the run (becomes user_input in its shared state).'),
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
