import { z } from 'zod';
import { defineTool } from '../../src/tool.js';
import { conform } from '../memory/shape.js';
import { compactionNote, compactionOutput } from './compaction.js';

export default defineTool({
  name: 'compact_conversation',
  title: 'Synap · Compact conversation',
  description:
    'Start summarising a long Synap conversation (from record_conversation_message) in the background; refused (409) if unchanged since the last compaction, unless force. note says if it is done, else use get_compaction_status.',
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  services: ['synap'],
  input: z.strictObject({
    conversation_id: z.string().min(1).describe('Conversation id.'),
    force: z.boolean().optional().describe('Compact even if not needed.'),
    strategy: z
      .enum(['aggressive', 'balanced', 'conservative', 'adaptive'])
      .optional()
      .describe('How hard to compress.'),
    target_tokens: z.number().int().min(1).optional().describe('Summary token budget.'),
  }),
  output: compactionOutput,
  async handler(args, ctx) {
    const res = await ctx.api.synap.request({
      method: 'POST',
      path: '/v1/conversations/compact',
      body: args,
    });
    const out = conform(compactionOutput, res.data);
    return { ...out, note: compactionNote(res.status, out, args.conversation_id) };
  },
});
