/** Synap's conversation routes: recording a message (user messages yield memories) and compacting. */
import { randomUUID } from 'node:crypto';
import { invalid, notFound, SynapApiError } from './envelope.js';
import { type Compaction, extractMemories, type StoredScope } from './model.js';
import { type Ctx, iso, type Reply, type SynapState } from './state.js';
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
  const compaction: Compaction = {
    compaction_id: `cmp_${randomUUID()}`,
    status: 'in_progress',
    summary,
    strategy,
    original_tokens: originalTokens,
    compacted_tokens: Math.ceil(summary.length / 4),
    covered: messages.length,
    startedMs: ctx.now,
    completedMs: null,
    polls: 0,
  };
  store.compactions.set(conversationId, compaction);
  return {
    status: 202,
    body: {
      compaction_id: compaction.compaction_id,
      conversation_id: conversationId,
      status: compaction.status,
      trigger_type: 'manual',
      strategy,
      initiated_at: iso(ctx.now),
      estimated_completion_seconds: Math.ceil(ctx.state.compactionDelayMs / 1000),
    },
  };
}

/** Completes a compaction when due: its delay has passed on the clock, or it was read twice. */
function advanceCompaction(state: SynapState, c: Compaction, now: number): void {
  if (c.status === 'completed') return;
  if (now < c.startedMs + state.compactionDelayMs && c.polls < 2) return;
  c.status = 'completed';
  c.completedMs = now;
}

/** The summary of a conversation's completed compaction, or null (none yet, or still in progress). */
export function completedSummary(state: SynapState, conversationId: string, now: number): string | null {
  const c = state.store.compactions.get(conversationId);
  if (!c) return null;
  advanceCompaction(state, c, now);
  return c.status === 'completed' ? c.summary : null;
}

/** `GET /v1/conversations/{id}/compaction/status`: counts the read and moves the compaction along. */
export function compactionStatus(ctx: Ctx): Reply {
  const conversationId = ctx.params.conversation_id ?? '';
  const c = ctx.state.store.compactions.get(conversationId);
  if (!c) {
    throw notFound('COMPACTION_NOT_FOUND', `Conversation ${conversationId} has no compaction`, {
      conversation_id: conversationId,
    });
  }
  c.polls += 1;
  advanceCompaction(ctx.state, c, ctx.now);
  const at = c.completedMs;
  return {
    body: {
      conversation_id: conversationId,
      compaction_id: c.compaction_id,
      status: c.status,
      completed_at: at === null ? null : iso(at),
      compression_ratio: at === null ? null : c.compacted_tokens / c.original_tokens,
      estimated_completion_seconds:
        at !== null
          ? null
          : Math.max(0, Math.ceil((c.startedMs + ctx.state.compactionDelayMs - ctx.now) / 1000)),
      original_tokens: c.original_tokens,
      compacted_tokens: c.compacted_tokens,
      messages_compacted: c.covered,
    },
  };
}
