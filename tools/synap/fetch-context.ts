import { z } from 'zod';
import { InputError } from '../../src/errors.js';
import { defineTool } from '../../src/tool.js';
import { conform, isRecord } from '../memory/shape.js';
import {
  contextBuckets,
  contextCount,
  emotionItem,
  episodeItem,
  factItem,
  postContextFetch,
  preferenceItem,
  temporalItem,
} from './schemas.js';
import { searchedText, synapCappedText, widenText } from './scope.js';

const output = z.object({
  scope: z.string(),
  note: z.string(),
  facts: z.array(factItem),
  preferences: z.array(preferenceItem),
  episodes: z.array(episodeItem),
  emotions: z.array(emotionItem),
  temporal_events: z.array(temporalItem),
  ttl_seconds: z.number().nullable().optional().describe('How long this context may be cached'),
  conversation_context: z.record(z.string(), z.unknown()).nullable().optional(),
  profile: z.record(z.string(), z.unknown()).nullable().optional(),
});

const REQUIRED_ID: Record<string, 'user_id' | 'customer_id' | 'conversation_id' | undefined> = {
  user: 'user_id',
  customer: 'customer_id',
  conversation: 'conversation_id',
};

export default defineTool({
  name: 'fetch_context',
  title: 'Synap · Fetch context',
  description:
    'Recall Synap memories at ONE scope (only those add_memory stored there), ranked by search_query; note says what was searched and, if empty, how to widen. Ids for get_memory, update_memory, delete_memory; both services: search_memory.',
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  services: ['synap'],
  input: z.strictObject({
    scope: z
      .enum(['user', 'customer', 'client', 'conversation'])
      .describe(
        'user (needs user_id), customer (customer_id; B2B only), client or conversation (conversation_id).',
      ),
    search_query: z.array(z.string().min(1)).min(1).optional().describe('Ranking queries.'),
    max_results: z.number().int().min(1).max(50).optional().describe('Default 10.'),
    types: z
      .array(z.enum(['all', 'facts', 'preferences', 'episodes', 'emotions', 'temporal']))
      .min(1)
      .optional()
      .describe('Default all.'),
    mode: z.enum(['fast', 'accurate']).optional().describe('Retrieval mode.'),
    user_id: z.string().min(1).optional().describe('External user id.'),
    customer_id: z.string().min(1).optional().describe('External customer id; with user_id on B2B.'),
    conversation_id: z.string().min(1).optional().describe('Conversation id.'),
    precision_level: z.enum(['high', 'medium']).optional().describe('Precision.'),
    context_mode: z.enum(['in-conversation', 'conversation-summary']).optional().describe('Context format.'),
    include_profile: z.boolean().optional().describe('Add profile.'),
    last_n_conversations: z.number().int().min(0).max(20).optional().describe('Recent conversations.'),
    include_conversation_context: z.boolean().optional().describe('Add conversation context.'),
  }),
  output,
  async handler(args, ctx) {
    const { scope, ...body } = args;
    const needed = REQUIRED_ID[scope];
    if (needed && !args[needed]) {
      throw new InputError(`The ${scope} scope needs ${needed}.`, [
        { path: needed, message: `required when scope is ${scope}` },
      ]);
    }
    const data = await postContextFetch(ctx, scope, body);
    const buckets = contextBuckets(data);
    const list = (key: string) => (Array.isArray(buckets[key]) ? buckets[key] : []);
    const top = isRecord(data) ? data : {};
    const count = contextCount(data);
    const capped = synapCappedText(count, args.max_results, 'max_results');
    const note =
      count === 0
        ? `${searchedText(scope, args)} Nothing matched. ${widenText(scope)}`
        : capped
          ? `${searchedText(scope, args)} ${capped}`
          : searchedText(scope, args);
    return conform(output, {
      scope,
      note,
      facts: list('facts'),
      preferences: list('preferences'),
      episodes: list('episodes'),
      emotions: list('emotions'),
      temporal_events: list('temporal_events'),
      ttl_seconds: top.ttl_seconds,
      conversation_context: top.conversation_context,
      profile: top.profile,
    });
  },
});
