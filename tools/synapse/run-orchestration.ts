import { z } from 'zod';
import { buildPath } from '../../src/http/path.js';
import { defineTool } from '../../src/tool.js';
import { answerBy, streamRun } from './run-stream.js';
import { runOutput } from './schemas.js';

export default defineTool({
  name: 'run_orchestration',
  title: 'Synapse · Run orchestration',
  description:
    'Run a Synapse orchestration (orch_id from list_orchestrations) and wait; it may take minutes, with progress if the client asks. If a step needs a human, status is "paused" with run_id and human_input_required: ask the user, then call resume_orchestration_run. Otherwise returns the final response, step history and shared state. A step whose model failed makes the call an error naming the step. Without progress the call answers by its time limit: if the run has not finished, the error says it may still be running and gives its run_id. Each call starts a new run.',
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
    const path = buildPath('/orchestrations/{orch_id}/run/stream', { orch_id: args.orch_id });
    // Always the stream: it names the run at once (orchestration_start), so a call that runs out of time
    // can still say which run goes on; the sync endpoint tells nothing until the run ends.
    return ctx.wantsProgress
      ? streamRun(ctx, path, body, '')
      : streamRun(ctx, path, body, '', { until: answerBy(ctx.deadline) });
  },
});
