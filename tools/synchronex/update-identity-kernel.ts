import { z } from 'zod';
import { InputError } from '../../src/errors.js';
import { defineTool } from '../../src/tool.js';
import { kernelOutput, objectResult } from './schemas.js';

export default defineTool({
  name: 'update_identity_kernel',
  title: 'Synchronex · Update identity kernel',
  description:
    "Update the user's Synchronex identity kernel: each field given replaces the stored one (read get_identity_kernel first). Confirm with the user first.",
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  services: ['synchronex'],
  input: z.strictObject({
    identity: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('Who the user is: name, company, location, timezone, role, industry.'),
    products: z
      .array(z.record(z.string(), z.unknown()).describe('A product snapshot'))
      .max(10)
      .optional()
      .describe('e.g. {"name": "syn-mcp", "stage": "beta"}.'),
    constraints: z.array(z.string().min(1)).optional().describe('Standing rules for the agent.'),
    model_preferences: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('Preferred models, e.g. {"coding": "claude-sonnet"}.'),
  }),
  output: kernelOutput,
  async handler(args, ctx) {
    if (Object.keys(args).length === 0) {
      throw new InputError('Give at least one of identity, products, constraints, model_preferences.');
    }
    const res = await ctx.api.synchronex.request({
      method: 'PUT',
      path: '/memory/identity',
      body: args,
    });
    return objectResult(kernelOutput, res.data);
  },
});
