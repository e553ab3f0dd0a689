/**
 * Synap's `POST /v1/context/{scope}/fetch`: the memories of exactly that scope ranked by the search words,
 * bucketed by type, with the conversation's recent messages and the user's profile when asked.
 */
import { completedSummary } from './conversations.js';
import { debit } from './credits.js';
import { invalid, notFound } from './envelope.js';
import { emotionWord, type MemoryRecord, type MemoryType, matchScore, words } from './model.js';
import type { Ctx, Isolation, Reply } from './state.js';
import {
  objectBody,
  optionalBoolean,
  optionalEnum,
  optionalInt,
  optionalString,
  optionalStringList,
} from './validate.js';

const CONTEXT_TYPES = ['all', 'facts', 'preferences', 'episodes', 'emotions', 'temporal'] as const;

const CONTEXT_SCOPES = ['user', 'customer', 'client', 'conversation'] as const;

const BUCKET_OF: Record<MemoryType, string> = {
  fact: 'facts',
  preference: 'preferences',
  episode: 'episodes',
  emotion: 'emotions',
  temporal_event: 'temporal_events',
};

const TYPE_FILTER: Record<string, MemoryType> = {
  facts: 'fact',
  preferences: 'preference',
  episodes: 'episode',
  emotions: 'emotion',
  temporal: 'temporal_event',
};

function contextItem(m: MemoryRecord, score: number): Record<string, unknown> {
  const base = { id: m.memory_id, metadata: m.metadata };
  switch (m.memory_type) {
    case 'fact':
      return {
        ...base,
        content: m.content,
        confidence: m.confidence,
        source: m.source,
        extracted_at: m.created_at,
        temporal_confidence: 0,
        relevance: score,
      };
    case 'preference':
      return {
        ...base,
        content: m.content,
        category: m.category ?? 'general',
        strength: 0.8,
        confidence: m.confidence,
        source: m.source,
        extracted_at: m.created_at,
        relevance: score,
      };
    case 'episode':
      return { ...base, summary: m.content, occurred_at: m.created_at, significance: 0.5, participants: [] };
    case 'emotion':
      return {
        ...base,
        emotion_type: emotionWord(m.content),
        intensity: 0.6,
        detected_at: m.created_at,
        context: m.content,
      };
    case 'temporal_event':
      return {
        ...base,
        content: m.content,
        event_date: null,
        temporal_category: 'upcoming',
        extracted_at: m.created_at,
        confidence: m.confidence,
      };
  }
}

function inScope(
  m: MemoryRecord,
  scope: string,
  ids: Record<string, string | null>,
  isolation: Isolation,
): boolean {
  switch (scope) {
    case 'user':
      return (
        m.scope === 'user' &&
        m.user_id === ids.user_id &&
        (isolation === 'b2c' || m.customer_id === ids.customer_id)
      );
    case 'customer':
      return m.scope === 'customer' && m.customer_id === ids.customer_id;
    case 'client':
      return m.scope === 'client';
    default:
      return m.conversation_id !== null && m.conversation_id === ids.conversation_id;
  }
}

/** `POST /v1/context/{scope}/fetch`. */
export function fetchContext(ctx: Ctx): Reply {
  const scope = ctx.params.scope ?? '';
  if (!(CONTEXT_SCOPES as readonly string[]).includes(scope)) {
    throw notFound('NOT_FOUND', `Unknown context scope ${scope}`);
  }
  const body = objectBody(ctx.req.body ?? {});
  const searchQuery = optionalStringList(body, 'search_query');
  const maxResults = optionalInt(body, 'max_results', 1, 50) ?? 10;
  const types = optionalStringList(body, 'types') ?? ['all'];
  for (const t of types) {
    if (!(CONTEXT_TYPES as readonly string[]).includes(t)) {
      throw invalid('types', `each must be one of ${CONTEXT_TYPES.join(', ')}`);
    }
  }
  optionalEnum(body, 'mode', ['fast', 'accurate'] as const);
  optionalEnum(body, 'precision_level', ['high', 'medium'] as const);
  optionalEnum(body, 'context_mode', ['in-conversation', 'conversation-summary'] as const);
  const includeProfile = optionalBoolean(body, 'include_profile') === true;
  optionalInt(body, 'last_n_conversations', 0, 20);
  const includeConversation = optionalBoolean(body, 'include_conversation_context') === true;
  const ids = {
    user_id: optionalString(body, 'user_id'),
    customer_id: optionalString(body, 'customer_id'),
    conversation_id: optionalString(body, 'conversation_id'),
  };
  const { isolation } = ctx.state;
  if (scope === 'user') {
    if (!ids.user_id) throw invalid('user_id', 'required for user scope');
    if (isolation === 'b2b' && !ids.customer_id)
      throw invalid('customer_id', 'required for user scope on B2B');
  }
  // On B2C nothing is stored at the customer scope (api-notes §4: either id means the user's), so a
  // customer-scope fetch finds nothing there; §4 documents no error for it, so none is answered.
  if (scope === 'customer' && !ids.customer_id) throw invalid('customer_id', 'required for customer scope');
  if (scope === 'conversation' && !ids.conversation_id) {
    throw invalid('conversation_id', 'required for conversation scope');
  }

  const wanted = types.includes('all')
    ? undefined
    : new Set(types.map((t) => TYPE_FILTER[t]).filter((t): t is MemoryType => t !== undefined));
  const queryWords = words((searchQuery ?? []).join(' '));
  const ranked = [...ctx.state.store.memories.values()]
    .filter((m) => inScope(m, scope, ids, isolation) && (!wanted || wanted.has(m.memory_type)))
    .map((m) => ({ m, score: queryWords.length > 0 ? matchScore(queryWords, m.content) : 1 }))
    .filter((r) => r.score > 0)
    .sort((a, b) => b.score - a.score || b.m.seq - a.m.seq)
    .slice(0, maxResults);
  const context: Record<string, unknown[]> = {
    facts: [],
    preferences: [],
    episodes: [],
    emotions: [],
    temporal_events: [],
  };
  for (const { m, score } of ranked) context[BUCKET_OF[m.memory_type]]?.push(contextItem(m, score));
  debit(ctx.state, ctx.now, -0.1, `context_fetch_${scope}`);

  const out: Record<string, unknown> = { context, ttl_seconds: 300 };
  if (ids.conversation_id && (scope === 'conversation' || includeConversation)) {
    const messages = ctx.state.store.conversations.get(ids.conversation_id) ?? [];
    out.conversation_context = {
      conversation_id: ids.conversation_id,
      summary: completedSummary(ctx.state, ids.conversation_id, ctx.now),
      recent_messages: messages.slice(-10).map((msg) => ({
        message_id: msg.message_id,
        role: msg.role,
        content: msg.content,
        recorded_at: msg.recorded_at,
      })),
    };
  }
  if (includeProfile && scope === 'user') {
    const mine = [...ctx.state.store.memories.values()].filter((m) => inScope(m, 'user', ids, isolation));
    out.profile = { user_id: ids.user_id, customer_id: ids.customer_id, memory_count: mine.length };
  }
  return { body: out };
}
