import { z } from 'zod';
import { buildPath } from '../../src/http/path.js';
import { defineTool } from '../../src/tool.js';
import { runOutput, synapsePost, toRunOutput } from './schemas.js';
import { streamRun } from './stream.js';

export default defineTool({
  name: 'resume_orchestration_run',
  title: 'Synapse · Resume orchestration run',
  description:
    'Give a paused Synapse orchestration run the human input it asked for and let it continue. Use it ' +
    'after run_orchestration (or an earlier resume) returned status "paused": take run_id from that result ' +
    'and ask the user for the fields in human_input_required; never invent the answers. Returns the same ' +
    'result shape as run_orchestration (completed, failed, or paused again), with progress when asked.',
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  services: ['synapse'],
  input: z.strictObject({
    run_id: z.string().min(1).describe('run_id of the paused run (from run_orchestration).'),
    response: z
      .union([z.record(z.string(), z.string()), z.string()])
      .describe(
        "The user's answers: an object keyed by the field names in human_input_required.fields, or a " +
          'single string when the step asked one free-text question.',
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
    const data = await synapsePost(
      ctx,
      buildPath('/orchestrations/runs/{run_id}/resume', { run_id: args.run_id }),
      body,
    );
    return toRunOutput(data, args.run_id);
  },
});
