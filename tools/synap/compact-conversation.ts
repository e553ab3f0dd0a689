import { z } from 'zod';
import { defineTool } from '../../src/tool.js';
import { conform } from '../memory/shape.js';

const output = z.looseObject({
  compaction_id: z.string().nullable().optional(),
  status: z.string().nullable().optional(),
});

export default defineTool({
  name: 'compact_conversation',
  title: 'Synap · Compact conversation',
  description:
    'Summarise a long Synap conversation (from record_conversation_message) within a token budget; refused (409) if unchanged since the last compaction, unless force. Returns the summary with its id, status and token counts.',
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  services: ['synap'],
  input: z.strictObject({
    conversation_id: z.string().min(1).describe('Conversation id.'),
    force: z.boolean().optional().describe('Compact even if not needed.'),
    strategy: z
      .enum(['aggressive', 'balanced', 'conservative', 'adaptive'])
      .optional()
      .describe('How hard to compress.'),
    target_tokens: z.number().int().min(1).optional().describe('Token budget for the result.'),
  }),
  output,
  async handler(args, ctx) {
    const data = await ctx.api.synap.post('/v1/conversations/compact', { body: args });
    return conform(output, data);
  },
});
