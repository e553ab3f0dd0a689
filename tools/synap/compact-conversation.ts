import { z } from 'zod';
import { defineTool } from '../../src/tool.js';
import { conform } from '../memory/shape.js';
import { callOpts } from './schemas.js';

const output = z.looseObject({
  compaction_id: z.string().nullable().optional(),
  status: z.string().nullable().optional(),
});

export default defineTool({
  name: 'compact_conversation',
  title: 'Synap · Compact conversation',
  description:
    'Ask Synap to compact a long conversation (recorded with record_conversation_message) into a shorter ' +
    'summary that fits a token budget. Use when a conversation outgrows the context window. Synap refuses ' +
    '(409) when nothing changed since the last compaction unless force is true. Returns the compaction id, ' +
    'its status and what Synap reports about it (token counts, summary).',
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  services: ['synap'],
  input: z.strictObject({
    conversation_id: z.string().min(1).describe('The conversation to compact.'),
    force: z.boolean().optional().describe('Compact even when Synap thinks it is not needed.'),
    strategy: z
      .enum(['aggressive', 'balanced', 'conservative', 'adaptive'])
      .optional()
      .describe('How hard to compress.'),
    target_tokens: z.number().int().min(1).optional().describe('Token budget for the compacted result.'),
  }),
  output,
  async handler(args, ctx) {
    const data = await ctx.api.synap.post('/v1/conversations/compact', { body: args, ...callOpts(ctx) });
    return conform(output, data);
  },
});
