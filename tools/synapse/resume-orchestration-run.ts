import { z } from 'zod';
import { buildPath } from '../../src/http/path.js';
import { defineTool } from '../../src/tool.js';
import { streamRun } from './run-stream.js';
import { runOutput } from './schemas.js';
import { answerBy } from './stream.js';

export default defineTool({
  name: 'resume_orchestration_run',
  title: 'Synapse · Resume orchestration run',
  description:
    'Continue a paused Synapse run (from run_orchestration or a resume) with the user\'s answers to human_input_required; never invent them. Give each its JSON type: true/false, a number, one of the options, an array for a multiple select (Synapse compares typed values: "true" is not true). Returns what run_orchestration returns.',
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  services: ['synapse'],
  input: z.strictObject({
    run_id: z.string().min(1).describe('run_id of the paused run.'),
    response: z
      .record(z.string(), z.unknown())
      .describe(
        'Answers keyed by human_input_required.fields names, sent unchanged. Without fields: ' +
          '{"response": "<the user\'s answer>"}.',
      ),
  }),
  output: runOutput,
  async handler(args, ctx) {
    const body = { response: args.response };
    const path = buildPath('/orchestrations/runs/{run_id}/resume/stream', { run_id: args.run_id });
    // Always the stream, as run_orchestration: a provider error inside the resumed run is told only by a
    // step-tagged `error` event (the sync RunResult carries just the error text as the step's output, which
    // reads as an answer), and a read that stops at the call's time limit can say the run goes on.
    return ctx.wantsProgress
      ? streamRun(ctx, path, body, args.run_id)
      : streamRun(ctx, path, body, args.run_id, { until: answerBy(ctx.deadline) });
  },
});
