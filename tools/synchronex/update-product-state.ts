import { z } from 'zod';
import { InputError } from '../../src/errors.js';
import { buildPath } from '../../src/http/path.js';
import { defineTool } from '../../src/tool.js';
import { objectResult, productNameField, productStateOutput } from './schemas.js';

const list = (what: string) => z.array(z.string().min(1)).optional().describe(what);

export default defineTool({
  name: 'update_product_state',
  title: 'Synchronex · Update product state',
  description:
    'Record where work on a product stands, for the next session. Fields given replace the stored ones; others stay. Confirm with the user first.',
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  services: ['synchronex'],
  input: z.strictObject({
    name: productNameField,
    status: z.string().min(1).optional().describe('One-line status.'),
    what_works: list('What works now.'),
    what_is_blocked: list('What is blocked, and on what.'),
    open_questions: list('Questions still open.'),
    next_session_starts_here: z
      .string()
      .min(1)
      .optional()
      .describe("Handoff note: the next session's first step."),
  }),
  output: productStateOutput,
  async handler(args, ctx) {
    const { name, ...body } = args;
    if (Object.keys(body).length === 0) {
      throw new InputError(
        'Give at least one of status, what_works, what_is_blocked, open_questions, next_session_starts_here.',
      );
    }
    const path = buildPath('/memory/product/{name}/state', { name });
    const data = await ctx.api.synchronex.post(path, { body });
    return objectResult(productStateOutput, data);
  },
});
