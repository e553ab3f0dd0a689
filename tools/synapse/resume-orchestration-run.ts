import { z } from 'zod';
import { buildPath } from '../../src/http/path.js';
import { defineTool } from '../../src/tool.js';
import { runOutput, synapsePost, toRunOutput } from './schemas.js';
import { streamRun } from './stream.js';

export default defineTool({
  name: 'resume_orchestration_run',
  title: 'Synapse · Resume orchestration run',
  description:
    'Continue a paused Synapse orchestration run (status "paused" from run_orchestration or a resume) with the human input it asked for. Ask the user for the fields in human_input_required; never invent the answers. Send each answer with its JSON type: true/false for a boolean, a number for a number, one of the options for a select, an array for a multiple select (Synapse compares typed values: "true" as a string is not approved). Returns the same result as run_orchestration.',
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  services: ['synapse'],
  untrusted: true,
  input: z.strictObject({
    run_id: z.string().min(1).describe('run_id of the paused run.'),
    response: z
      .union([z.record(z.string(), z.unknown()), z.string()])
      .describe(
        "The user's answers keyed by human_input_required.fields names, each a JSON value of the field's type " +
          '(boolean, number, string, array), sent unchanged; or one string for a question without fields.',
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
