import { z } from 'zod';
import { buildPath } from '../../src/http/path.js';
import { defineTool } from '../../src/tool.js';
import { conform } from '../memory/shape.js';
import { compactionNote, compactionOutput } from './compaction.js';

export default defineTool({
  name: 'get_compaction_status',
  title: 'Synap · Get compaction status',
  description:
    "Progress of a Synap conversation's latest compaction (compact_conversation); once completed, fetch_context with scope conversation shows the summary.",
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  services: ['synap'],
  input: z.strictObject({
    conversation_id: z.string().min(1).describe('As given to compact_conversation.'),
  }),
  output: compactionOutput,
  async handler(args, ctx) {
    const path = buildPath('/v1/conversations/{conversation_id}/compaction/status', {
      conversation_id: args.conversation_id,
    });
    const res = await ctx.api.synap.request({ method: 'GET', path });
    const out = conform(compactionOutput, res.data);
    return { ...out, note: compactionNote(res.status, out, args.conversation_id) };
  },
});
