/** Synap's conversation routes: recording a message (user messages yield memories) and compacting. */
import { randomUUID } from 'node:crypto';
import { invalid, notFound, SynapApiError } from './envelope.js';
import { extractMemories, type StoredScope } from './model.js';
import { type Ctx, iso, type Reply } from './state.js';
import {
  objectBody,
  optionalBoolean,
  optionalEnum,
  optionalInt,
  optionalObject,
  optionalString,
  requiredString,
} from './validate.js';

const COMPACT_STRATEGIES = ['aggressive', 'balanced', 'conservative', 'adaptive'] as const;

/** `POST /v1/conversations/messages`: stores the message; a user message yields memories at once. */
export function recordMessage(ctx: Ctx): Reply {
  const body = objectBody(ctx.req.body);
  const conversationId = requiredString(body, 'conversation_id');
  const role = optionalEnum(body, 'role', ['user', 'assistant'] as const);
  if (role === null) throw invalid('role', 'field required (user or assistant)');
  const content = requiredString(body, 'content');
  const userId = optionalString(body, 'user_id');
  const customerId = optionalString(body, 'customer_id');
  const sessionId = optionalString(body, 'session_id') ?? `sess_${randomUUID()}`;
  const metadata = optionalObject(body, 'metadata') ?? {};
  const { store } = ctx.state;
  const list = store.conversations.get(conversationId) ?? [];
  const record = {
    message_id: `msg_${randomUUID()}`,
    conversation_id: conversationId,
    session_id: sessionId,
    role,
    content,
    user_id: userId,
    customer_id: customerId,
    recorded_at: iso(ctx.now),
  };
  list.push(record);
  store.conversations.set(conversationId, list);
  if (role === 'user') {
    // The create rule (api-notes §4): on B2C either id means the user scope; B2C has no customer scope.
    const b2c = ctx.state.isolation === 'b2c';
    const scope: StoredScope = userId || (b2c && customerId) ? 'user' : customerId ? 'customer' : 'client';
    extractMemories(store, content, record.recorded_at, {
      scope,
      user_id: userId ?? (b2c ? customerId : null),
      customer_id: customerId,
      conversation_id: conversationId,
      source_document_id: null,
      source: 'ai-chat-conversation',
      metadata,
    });
  }
  return {
    body: {
      message_id: record.message_id,
      conversation_id: conversationId,
      session_id: sessionId,
      recorded_at: record.recorded_at,
    },
  };
}

/** `POST /v1/conversations/compact`: 404 for an unknown conversation, 409 when nothing changed unless forced. */
export function compact(ctx: Ctx): Reply {
  const body = objectBody(ctx.req.body);
  const conversationId = requiredString(body, 'conversation_id');
  const force = optionalBoolean(body, 'force') === true;
  const strategy = optionalEnum(body, 'strategy', COMPACT_STRATEGIES) ?? 'adaptive';
  const target = optionalInt(body, 'target_tokens', 1, 1_000_000);
  const { store } = ctx.state;
  const messages = store.conversations.get(conversationId);
  if (!messages || messages.length === 0) {
    throw notFound('CONVERSATION_NOT_FOUND', `Conversation ${conversationId} has no recorded messages`, {
      conversation_id: conversationId,
    });
  }
  const previous = store.compactions.get(conversationId);
  if (previous && previous.covered === messages.length && !force) {
    throw new SynapApiError(
      409,
      'CONFLICT',
      'Conversation is already compacted; pass force to compact again',
      {
        conversation_id: conversationId,
        compaction_id: previous.compaction_id,
      },
    );
  }
  const full = messages.map((m) => `${m.role}: ${m.content}`).join('\n');
  const originalTokens = Math.ceil(full.length / 4);
  const ratio = { aggressive: 0.25, balanced: 0.5, conservative: 0.75, adaptive: 0.5 }[strategy];
  const budget = Math.max(1, Math.min(target ?? Math.ceil(originalTokens * ratio), originalTokens));
  const summary = messages
    .filter((m) => m.role === 'user')
    .map((m) => m.content)
    .join(' ')
    .slice(0, budget * 4);
  const compaction = { compaction_id: `cmp_${randomUUID()}`, summary, covered: messages.length };
  store.compactions.set(conversationId, compaction);
  return {
    body: {
      compaction_id: compaction.compaction_id,
      conversation_id: conversationId,
      status: 'completed',
      strategy,
      original_tokens: originalTokens,
      compacted_tokens: Math.ceil(summary.length / 4),
      messages_compacted: messages.length,
      summary,
      completed_at: iso(ctx.now),
    },
  };
}
