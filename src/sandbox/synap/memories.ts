/**
 * Synap's memory routes under `/api/v1/memories`: create (a queued ingestion), its status polls, and get,
 * update and delete of one memory. Scope follows the ids as api-notes §4 says.
 */
import { randomUUID } from 'node:crypto';
import { debit } from './credits.js';
import { invalid, notFound, SynapApiError } from './envelope.js';
import {
  documentText,
  extractMemories,
  type Ingestion,
  type MemoryRecord,
  type StoredScope,
} from './model.js';
import { type Ctx, type Isolation, iso, type Reply, type SynapState } from './state.js';
import { objectBody, optionalEnum, optionalObject, optionalString } from './validate.js';

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

/** A memory as the API returns it. */
export function memoryJson(m: MemoryRecord): Record<string, unknown> {
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

/** The memory named by the `memory_id` parameter; 404 when there is none. */
export function findMemory(ctx: Ctx): MemoryRecord {
  const id = ctx.params.memory_id ?? '';
  const m = ctx.state.store.memories.get(id);
  if (!m) throw notFound('MEMORY_NOT_FOUND', `Memory ${id} not found`, { memory_id: id });
  return m;
}

/** `POST /api/v1/memories/create` (and the docs' `POST /v1/memories`): 201 with a queued ingestion. */
export function createMemory(ctx: Ctx): Reply {
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

/** `GET /api/v1/memories/status/{id}`: counts the poll and moves the ingestion along. */
export function ingestionStatus(ctx: Ctx): Reply {
  const id = ctx.params.ingestion_id ?? '';
  const ing = ctx.state.store.ingestions.get(id);
  if (!ing) throw notFound('INGESTION_NOT_FOUND', `Ingestion ${id} not found`, { ingestion_id: id });
  ing.polls += 1;
  advanceIngestion(ctx.state, ing, ctx.now);
  return { body: statusJson(ing) };
}

/** `PATCH /api/v1/memories/{id}`: replace, append or smart-merge the content. */
export function updateMemory(ctx: Ctx): Reply {
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

/** `DELETE /api/v1/memories/{id}`. */
export function deleteMemory(ctx: Ctx): Reply {
  const m = findMemory(ctx);
  ctx.state.store.memories.delete(m.memory_id);
  return { body: { memory_id: m.memory_id, deleted_at: iso(ctx.now) } };
}
