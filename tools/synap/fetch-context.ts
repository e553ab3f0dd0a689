import { z } from 'zod';
import { InputError } from '../../src/errors.js';
import { defineTool } from '../../src/tool.js';
import { conform, isRecord } from '../memory/shape.js';
import {
  contextBuckets,
  emotionItem,
  episodeItem,
  factItem,
  postContextFetch,
  preferenceItem,
  temporalItem,
} from './schemas.js';

const output = z.object({
  scope: z.string(),
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
    "Recall what Synap remembers at one scope: a user's (user_id, plus customer_id on B2B instances), a " +
    "customer's (customer_id), the whole client's, or one conversation's (conversation_id). With " +
    'search_query the memories are ranked by relevance to it; without, the most relevant recent ones come ' +
    'back. Returns facts, preferences, episodes, emotions and temporal events, each with an id for ' +
    'get_memory, update_memory or delete_memory. For one query across Synap and Synchronex use search_memory.',
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  services: ['synap'],
  input: z.strictObject({
    scope: z
      .enum(['user', 'customer', 'client', 'conversation'])
      .describe(
        'Whose memory: user (needs user_id), customer (customer_id), client, conversation (conversation_id).',
      ),
    search_query: z
      .array(z.string().min(1))
      .min(1)
      .optional()
      .describe('What to recall, one or more queries (e.g. ["dietary preferences"]).'),
    max_results: z
      .number()
      .int()
      .min(1)
      .max(50)
      .optional()
      .describe('Most items to return (API default 10).'),
    types: z
      .array(z.enum(['all', 'facts', 'preferences', 'episodes', 'emotions', 'temporal']))
      .min(1)
      .optional()
      .describe('Kinds of memory to include (API default all).'),
    mode: z.enum(['fast', 'accurate']).optional().describe('Retrieval mode: fast or accurate.'),
    user_id: z.string().min(1).optional().describe('External user id; required for the user scope.'),
    customer_id: z
      .string()
      .min(1)
      .optional()
      .describe('External customer id; required for the customer scope, and with user_id on B2B instances.'),
    conversation_id: z
      .string()
      .min(1)
      .optional()
      .describe('Conversation id; required for the conversation scope.'),
    precision_level: z.enum(['high', 'medium']).optional().describe('Precision of retrieval.'),
    context_mode: z
      .enum(['in-conversation', 'conversation-summary'])
      .optional()
      .describe('How conversation context is rendered.'),
    include_profile: z.boolean().optional().describe('Also return the user profile.'),
    last_n_conversations: z
      .number()
      .int()
      .min(0)
      .max(20)
      .optional()
      .describe('How many recent conversations to draw on (0–20).'),
    include_conversation_context: z.boolean().optional().describe('Also return the conversation context.'),
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
    return conform(output, {
      scope,
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
