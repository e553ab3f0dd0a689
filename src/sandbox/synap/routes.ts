/**
 * The Synap emulator's routes (api-notes §4, paths as the Python SDK's endpoint contract has them: memories
 * under `/api/v1`, context and conversations under `/v1`). Order of checks: injected status fault, route
 * (unknown → 404), Bearer key (→ 401), fixed-window rate limit (→ 429; a minute unless `rateWindowMs` says
 * otherwise), then the handler. Every response carries
 * `X-Correlation-Id` (the caller's, echoed, or a new `req_<uuid>`) and the `X-RateLimit-*` headers.
 */
import { randomUUID } from 'node:crypto';
import { type ServerResponse, STATUS_CODES } from 'node:http';
import type { Clock } from '../common/clock.js';
import type { FaultInjector } from '../common/faults.js';
import { sendJson } from '../common/json-body.js';
import { findRoute } from '../common/router.js';
import type { EmulatorRequest } from '../common/server.js';
import { type ErrorStyle, errorBodyFor, invalid, notFound, renderError, SynapApiError } from './envelope.js';
import {
  documentText,
  emotionWord,
  extractMemories,
  type Ingestion,
  type MemoryRecord,
  type MemoryType,
  matchScore,
  type StoredScope,
  type SynapStore,
  words,
} from './model.js';
import {
  objectBody,
  optionalBoolean,
  optionalEnum,
  optionalInt,
  optionalObject,
  optionalString,
  optionalStringList,
  queryInt,
  requiredString,
} from './validate.js';

/** Document types the SDK accepts (`DocumentType`). */
export const DOCUMENT_TYPES = [
  'ai-chat-conversation',
  'document',
  'email',
  'pdf',
  'image',
  'audio',
  'meeting-transcript',
] as const;
const MODES = ['fast', 'long-range'] as const;
const MERGE_STRATEGIES = ['replace', 'append', 'smart-merge'] as const;
const CONTEXT_TYPES = ['all', 'facts', 'preferences', 'episodes', 'emotions', 'temporal'] as const;
const CONTEXT_SCOPES = ['user', 'customer', 'client', 'conversation'] as const;
const COMPACT_STRATEGIES = ['aggressive', 'balanced', 'conservative', 'adaptive'] as const;
const STARTING_CREDITS = 1000;

/** B2B (`strict`: customer_id required with user_id) or B2C (`equals_customer`). */
export type Isolation = 'b2b' | 'b2c';

/** What the routes read and mutate. */
export interface SynapState {
  readonly clock: Clock;
  apiKey: string;
  isolation: Isolation;
  errorStyle: ErrorStyle;
  /** An ingestion completes this long after it was queued, or at its second status poll. */
  ingestionDelayMs: number;
  /** Authenticated requests allowed per window (the name predates `rateWindowMs`: per window, not per minute). */
  rateLimitPerMinute: number;
  /** Length of the fixed, epoch-aligned rate window (ms; 60 000 unless a test shortens it). */
  rateWindowMs: number;
  store: SynapStore;
  window: { startMs: number; count: number };
  /** What the rate limiter saw, for tests: authenticated requests per window start and rate 429s sent. */
  readonly rate: RateStats;
  readonly statusFaults: FaultInjector;
  readonly instanceId: string;
}

/** Authenticated requests per window (keyed by the window's start, epoch ms) and the 429s the limit caused. */
export interface RateStats {
  readonly windows: Map<number, number>;
  rejected: number;
}

/** Windows kept in `RateStats.windows`; older ones are dropped. */
const KEPT_WINDOWS = 1000;

interface Ctx {
  state: SynapState;
  req: EmulatorRequest;
  params: Record<string, string>;
  now: number;
}

interface Reply {
  status?: number;
  body: unknown;
}

interface Route {
  method: string;
  pattern: RegExp;
  names: string[];
  handler: (ctx: Ctx) => Reply;
}

function route(method: string, path: string, handler: (ctx: Ctx) => Reply): Route {
  const names: string[] = [];
  const source = path.replace(/:([a-z_]+)/g, (_, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { method, pattern: new RegExp(`^${source}/?$`), names, handler };
}

const iso = (ms: number) => new Date(ms).toISOString();

function debit(state: SynapState, now: number, delta: number, metric: string): void {
  state.store.ledger.push({
    ledger_id: `led_${randomUUID()}`,
    entry_type: 'debit',
    delta,
    metric_type: metric,
    category: metric.startsWith('context') ? 'retrieval' : 'ingestion',
    created_at: iso(now),
  });
}

/** The scope a create derives from its ids (api-notes §4); B2B refuses user_id without customer_id. */
function deriveScope(
  isolation: Isolation,
  userId: string | null,
  customerId: string | null,
): { scope: StoredScope; user_id: string | null; customer_id: string | null } {
  if (isolation === 'b2c') {
    if (userId || customerId)
      return { scope: 'user', user_id: userId ?? customerId, customer_id: customerId };
    return { scope: 'client', user_id: null, customer_id: null };
  }
  if (userId && !customerId) throw invalid('customer_id', 'required with user_id on a B2B instance');
  if (userId) return { scope: 'user', user_id: userId, customer_id: customerId };
  if (customerId) return { scope: 'customer', user_id: null, customer_id: customerId };
  return { scope: 'client', user_id: null, customer_id: null };
}

/** Moves an ingestion along: processing once polled, completed when due or at its second poll. */
export function advanceIngestion(state: SynapState, ing: Ingestion, now: number): void {
  if (ing.status !== 'queued' && ing.status !== 'processing') return;
  const due = now >= ing.queuedMs + state.ingestionDelayMs || ing.polls >= 2;
  if (ing.polls >= 1 || due) {
    ing.status = 'processing';
    ing.startedMs ??= now;
  }
  if (!due) return;
  ing.memory_ids = extractMemories(state.store, ing.text, iso(now), {
    scope: ing.scope,
    user_id: ing.user_id,
    customer_id: ing.customer_id,
    conversation_id: typeof ing.metadata.conversation_id === 'string' ? ing.metadata.conversation_id : null,
    source_document_id: ing.document_id,
    source: ing.document_type,
    metadata: ing.metadata,
  });
  ing.status = 'completed';
  ing.completedMs = now;
}

function statusJson(ing: Ingestion): Record<string, unknown> {
  return {
    ingestion_id: ing.ingestion_id,
    document_id: ing.document_id,
    status: ing.status,
    queued_at: iso(ing.queuedMs),
    started_at: ing.startedMs === null ? null : iso(ing.startedMs),
    completed_at: ing.completedMs === null ? null : iso(ing.completedMs),
    memories_created: ing.memory_ids.length,
    memory_ids: ing.memory_ids,
    error_message: null,
  };
}

function memoryJson(m: MemoryRecord): Record<string, unknown> {
  return {
    memory_id: m.memory_id,
    memory_type: m.memory_type,
    content: m.content,
    confidence: m.confidence,
    category: m.category,
    subcategory: null,
    created_at: m.created_at,
    updated_at: m.updated_at,
    source_document_id: m.source_document_id,
  };
}

function findMemory(ctx: Ctx): MemoryRecord {
  const id = ctx.params.memory_id ?? '';
  const m = ctx.state.store.memories.get(id);
  if (!m) throw notFound('MEMORY_NOT_FOUND', `Memory ${id} not found`, { memory_id: id });
  return m;
}

function createMemory(ctx: Ctx): Reply {
  const body = objectBody(ctx.req.body);
  const document = body.document;
  if (typeof document === 'string') {
    if (document.trim() === '') throw invalid('document', 'must not be empty');
  } else if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw invalid('document', 'field required (a string or an object)');
  }
  const documentType = optionalEnum(body, 'document_type', DOCUMENT_TYPES) ?? 'ai-chat-conversation';
  optionalEnum(body, 'mode', MODES);
  const documentId = optionalString(body, 'document_id');
  optionalString(body, 'document_created_at');
  const metadata = optionalObject(body, 'metadata') ?? {};
  const ids = deriveScope(
    ctx.state.isolation,
    optionalString(body, 'user_id'),
    optionalString(body, 'customer_id'),
  );
  const { store } = ctx.state;
  if (documentId !== null && store.documentIds.has(documentId)) {
    throw new SynapApiError(409, 'CONFLICT', `document_id ${documentId} already exists`, {
      document_id: documentId,
    });
  }
  const ing: Ingestion = {
    ingestion_id: randomUUID(),
    document_id: documentId ?? `doc_${randomUUID()}`,
    status: 'queued',
    queuedMs: ctx.now,
    startedMs: null,
    completedMs: null,
    polls: 0,
    memory_ids: [],
    text: documentText(document),
    document_type: documentType,
    metadata,
    ...ids,
  };
  store.documentIds.add(ing.document_id);
  store.ingestions.set(ing.ingestion_id, ing);
  debit(ctx.state, ctx.now, -1, 'memory_ingest');
  return {
    status: 201,
    body: {
      ingestion_id: ing.ingestion_id,
      document_id: ing.document_id,
      status: ing.status,
      queued_at: iso(ing.queuedMs),
    },
  };
}

function ingestionStatus(ctx: Ctx): Reply {
  const id = ctx.params.ingestion_id ?? '';
  const ing = ctx.state.store.ingestions.get(id);
  if (!ing) throw notFound('INGESTION_NOT_FOUND', `Ingestion ${id} not found`, { ingestion_id: id });
  ing.polls += 1;
  advanceIngestion(ctx.state, ing, ctx.now);
  return { body: statusJson(ing) };
}

function updateMemory(ctx: Ctx): Reply {
  const m = findMemory(ctx);
  const body = objectBody(ctx.req.body);
  const document = body.document;
  if (
    document === undefined ||
    document === null ||
    (typeof document === 'string' && document.trim() === '')
  ) {
    throw invalid('document', 'field required');
  }
  const strategy = optionalEnum(body, 'merge_strategy', MERGE_STRATEGIES) ?? 'smart-merge';
  const documentType = optionalEnum(body, 'document_type', DOCUMENT_TYPES);
  const metadata = optionalObject(body, 'metadata');
  const text = documentText(document).trim();
  if (strategy === 'replace') m.content = text;
  else if (strategy === 'append') m.content = `${m.content} ${text}`;
  else if (!m.content.toLowerCase().includes(text.toLowerCase())) {
    m.content = text.toLowerCase().includes(m.content.toLowerCase()) ? text : `${m.content} ${text}`;
  }
  if (documentType) m.source = documentType;
  if (metadata) m.metadata = { ...m.metadata, ...metadata };
  m.updated_at = iso(ctx.now);
  return { body: memoryJson(m) };
}

function deleteMemory(ctx: Ctx): Reply {
  const m = findMemory(ctx);
  ctx.state.store.memories.delete(m.memory_id);
  return { body: { memory_id: m.memory_id, deleted_at: iso(ctx.now) } };
}

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

function fetchContext(ctx: Ctx): Reply {
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
  if (scope === 'customer') {
    if (isolation === 'b2c')
      throw invalid('customer_id', 'customer scope is not available on a B2C instance');
    if (!ids.customer_id) throw invalid('customer_id', 'required for customer scope');
  }
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
      summary: ctx.state.store.compactions.get(ids.conversation_id)?.summary ?? null,
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

function recordMessage(ctx: Ctx): Reply {
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
    const scope: StoredScope = userId ? 'user' : customerId ? 'customer' : 'client';
    extractMemories(store, content, record.recorded_at, {
      scope,
      user_id: userId ?? (ctx.state.isolation === 'b2c' ? customerId : null),
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

function compact(ctx: Ctx): Reply {
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

function ledger(ctx: Ctx): Reply {
  const q = ctx.req.query;
  const entries = [...ctx.state.store.ledger].reverse();
  if (q.has('limit') || q.has('offset')) {
    // The Python SDK's form (limit/offset → {entries, total, limit, offset}).
    const limit = queryInt(q, 'limit', 100, 1, 1000);
    const offset = queryInt(q, 'offset', 0, 0, Number.MAX_SAFE_INTEGER);
    return { body: { entries: entries.slice(offset, offset + limit), total: entries.length, limit, offset } };
  }
  // The documented paginated envelope (seed 003): page (1), page_size (20, max 100).
  const page = queryInt(q, 'page', 1, 1, Number.MAX_SAFE_INTEGER);
  const pageSize = queryInt(q, 'page_size', 20, 1, 100);
  const start = (page - 1) * pageSize;
  return {
    body: {
      data: entries.slice(start, start + pageSize),
      page,
      page_size: pageSize,
      total: entries.length,
      total_pages: Math.ceil(entries.length / pageSize),
    },
  };
}

function balance(ctx: Ctx): Reply {
  const spent = ctx.state.store.ledger.reduce((sum, e) => sum + e.delta, 0);
  const credits = Math.round((STARTING_CREDITS + spent) * 100) / 100;
  return {
    body: {
      client_id: `client_${ctx.state.instanceId}`,
      balance_credits: credits,
      warning_low: credits < 50,
      buckets: [{ source_type: 'sandbox', balance: credits, expires_at: null }],
    },
  };
}

const ROUTES: Route[] = [
  route('GET', '/api/v1/auth/whoami', (ctx) => ({
    body: {
      instance_id: ctx.state.instanceId,
      client_id: `client_${ctx.state.instanceId}`,
      user_context_isolation: ctx.state.isolation === 'b2c' ? 'equals_customer' : 'strict',
    },
  })),
  route('POST', '/api/v1/memories/create', createMemory),
  // The docs' path (seed 003); the SDK's is the one above. Both create.
  route('POST', '/v1/memories', createMemory),
  route('GET', '/api/v1/memories/status/:ingestion_id', ingestionStatus),
  route('GET', '/api/v1/memories/:memory_id', (ctx) => ({ body: memoryJson(findMemory(ctx)) })),
  route('PATCH', '/api/v1/memories/:memory_id', updateMemory),
  route('DELETE', '/api/v1/memories/:memory_id', deleteMemory),
  route('POST', '/v1/context/:scope/fetch', fetchContext),
  route('POST', '/v1/conversations/messages', recordMessage),
  route('POST', '/v1/conversations/compact', compact),
  route('GET', '/v1/credits/balance', balance),
  route('GET', '/v1/credits/ledger', ledger),
];

/** The X-RateLimit-* headers of the current window, counting this request when `count` is true. */
function rateHeaders(state: SynapState, now: number, count: boolean): Record<string, string> {
  const windowMs = state.rateWindowMs;
  const start = Math.floor(now / windowMs) * windowMs;
  if (state.window.startMs !== start) state.window = { startMs: start, count: 0 };
  if (count) {
    state.window.count += 1;
    const { windows } = state.rate;
    windows.set(start, state.window.count);
    if (windows.size > KEPT_WINDOWS) {
      const oldest = windows.keys().next();
      if (!oldest.done) windows.delete(oldest.value);
    }
  }
  return {
    'x-ratelimit-limit': String(state.rateLimitPerMinute),
    'x-ratelimit-remaining': String(Math.max(0, state.rateLimitPerMinute - state.window.count)),
    'x-ratelimit-reset': String(Math.ceil((start + windowMs) / 1000)),
  };
}

/** The request handler for `createEmulatorServer`. */
export function createHandler(state: SynapState): (req: EmulatorRequest, res: ServerResponse) => void {
  return (req, res) => {
    const now = state.clock.now();
    const correlation = req.headers['x-correlation-id']?.trim() || `req_${randomUUID()}`;
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
    const authed = bearer === state.apiKey;
    const headers = { 'x-correlation-id': correlation, ...rateHeaders(state, now, authed) };
    const fail = (err: SynapApiError, extra: Record<string, string> = {}) => {
      const { status, body } = renderError(state.errorStyle, err);
      sendJson(res, status, body, { ...headers, ...extra });
    };

    const fault = state.statusFaults.take(req.method, req.path);
    if (fault?.kind === 'status') {
      const extra: Record<string, string> = {};
      if (fault.retryAfter !== undefined) extra['retry-after'] = fault.retryAfter;
      const body =
        fault.body ??
        errorBodyFor(
          state.errorStyle,
          fault.status,
          `${STATUS_CODES[fault.status] ?? 'Error'}.`,
          fault.retryAfter,
        );
      sendJson(res, fault.status, body, { ...headers, ...extra });
      return;
    }

    const found = findRoute(ROUTES, req.method, req.path);
    if (!found) {
      fail(new SynapApiError(404, 'NOT_FOUND', `No route for ${req.method} ${req.path}`));
      return;
    }
    if (!bearer) {
      fail(new SynapApiError(401, 'UNAUTHORIZED', 'Missing bearer token'));
      return;
    }
    if (!authed) {
      fail(new SynapApiError(401, 'CREDENTIAL_INVALID', 'Invalid API key'));
      return;
    }
    if (state.window.count > state.rateLimitPerMinute) {
      const wait = Math.max(1, Math.ceil((state.window.startMs + state.rateWindowMs - now) / 1000));
      state.rate.rejected += 1;
      fail(new SynapApiError(429, 'RATE_LIMITED', 'Rate limit exceeded', { retry_after: wait }), {
        'retry-after': String(wait),
      });
      return;
    }
    for (const ing of state.store.ingestions.values()) advanceIngestion(state, ing, now);
    try {
      const reply = found.route.handler({ state, req, params: found.params, now });
      sendJson(res, reply.status ?? 200, reply.body, headers);
    } catch (err) {
      if (!(err instanceof SynapApiError)) throw err;
      fail(err);
    }
  };
}
