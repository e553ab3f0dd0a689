import { z } from 'zod';
import { CancelledError } from '../../src/errors.js';
import { buildPath } from '../../src/http/path.js';
import { defineTool } from '../../src/tool.js';
import { answerBy, stillRunning, streamRun } from './run-stream.js';
import { runOutput, SYNC_RUN_TIMEOUT_MS, toRunOutput } from './schemas.js';

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
    if (ctx.wantsProgress) {
      return streamRun(
        ctx,
        buildPath('/orchestrations/runs/{run_id}/resume/stream', { run_id: args.run_id }),
        body,
        args.run_id,
      );
    }
    // The run goes on upstream whatever we do: answer "still running" with its run_id by the call's time limit.
    const started = Date.now();
    const local = new AbortController();
    const timer = setTimeout(() => local.abort(), Math.max(0, answerBy(ctx.deadline) - started));
    try {
      const data = await ctx.api.synapse.post(
        buildPath('/orchestrations/runs/{run_id}/resume', { run_id: args.run_id }),
        {
          body,
          signal: AbortSignal.any([ctx.signal, local.signal]),
          timeoutMs: SYNC_RUN_TIMEOUT_MS,
        },
      );
      return toRunOutput(data, args.run_id);
    } catch (err) {
      if (err instanceof CancelledError && local.signal.aborted && !ctx.signal.aborted) {
        throw stillRunning(args.run_id, undefined, Date.now() - started, true);
      }
      throw err;
    } finally {
      clearTimeout(timer);
    }
  },
});
