import { z } from 'zod';
import { buildPath } from '../../src/http/path.js';
import { defineTool } from '../../src/tool.js';
import { streamRun } from './run-stream.js';
import { runOutput } from './schemas.js';
import { answerBy } from './stream.js';

export default defineTool({
  name: 'run_orchestration',
  title: 'Synapse · Run orchestration',
  description:
    'Start a new Synapse orchestration run (orch_id from list_orchestrations) and wait, up to minutes. Returns the final response, step history and shared state, or status "paused" with run_id and human_input_required: ask the user, then resume_orchestration_run. A failed model step is an error naming it; a run unfinished at the time limit is an error giving its run_id (it may still be running).',
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  services: ['synapse'],
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
