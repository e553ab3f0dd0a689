/**
 * The Synap emulator's data: ingestions, the memories they extract, conversations and the credit ledger;
 * plus the two behaviours that make the sandbox useful: extraction (a document becomes one memory per
 * sentence, typed fact / preference / episode / emotion / temporal_event by its words) and search (context
 * fetch ranks the stored memories of a scope by how many of the query words they contain).
 */
import { randomUUID } from 'node:crypto';

/** Memory types, as the context buckets name them (singular). */
export type MemoryType = 'fact' | 'preference' | 'episode' | 'emotion' | 'temporal_event';

/** The scope a memory was stored at (derived server-side from the ids, api-notes §4). */
export type StoredScope = 'user' | 'customer' | 'client';

/** One extracted memory. */
export interface MemoryRecord {
  memory_id: string;
  memory_type: MemoryType;
  content: string;
  confidence: number;
  category: string | null;
  created_at: string;
  updated_at: string | null;
  source_document_id: string | null;
  source: string;
  scope: StoredScope;
  user_id: string | null;
  customer_id: string | null;
  conversation_id: string | null;
  metadata: Record<string, unknown>;
  /** Creation order, for recency ranking. */
  seq: number;
}

/** Ingestion statuses (SDK `IngestStatus`). */
export type IngestStatus = 'queued' | 'processing' | 'completed' | 'failed' | 'partial_success';

/** One queued document. */
export interface Ingestion {
  ingestion_id: string;
  document_id: string;
  status: IngestStatus;
  queuedMs: number;
  startedMs: number | null;
  completedMs: number | null;
  polls: number;
  memory_ids: string[];
  text: string;
  document_type: string;
  scope: StoredScope;
  user_id: string | null;
  customer_id: string | null;
  metadata: Record<string, unknown>;
}

/** One recorded conversation message. */
export interface MessageRecord {
  message_id: string;
  conversation_id: string;
  session_id: string;
  role: 'user' | 'assistant';
  content: string;
  user_id: string | null;
  customer_id: string | null;
  recorded_at: string;
}

/**
 * A conversation's compaction. It runs in the background (the SDK: the compact call "returns immediately with
 * an in-progress status"): `summary` is only shown once it is completed.
 */
export interface Compaction {
  compaction_id: string;
  status: 'in_progress' | 'completed';
  summary: string;
  strategy: string;
  original_tokens: number;
  compacted_tokens: number;
  /** Number of messages the compaction covered. */
  covered: number;
  startedMs: number;
  completedMs: number | null;
  /** Status reads so far. */
  polls: number;
}

/** One row of the credit ledger (GET /v1/credits/ledger). */
export interface LedgerEntry {
  ledger_id: string;
  entry_type: 'debit' | 'grant';
  delta: number;
  metric_type: string | null;
  category: string | null;
  created_at: string;
}

/** Everything one emulated instance holds. */
export interface SynapStore {
  memories: Map<string, MemoryRecord>;
  ingestions: Map<string, Ingestion>;
  documentIds: Set<string>;
  conversations: Map<string, MessageRecord[]>;
  compactions: Map<string, Compaction>;
  ledger: LedgerEntry[];
  seq: number;
}

/** A fresh, empty instance. */
export function newStore(): SynapStore {
  return {
    memories: new Map(),
    ingestions: new Map(),
    documentIds: new Set(),
    conversations: new Map(),
    compactions: new Map(),
    ledger: [],
    seq: 0,
  };
}

const EMOTION =
  /\b(feel|feels|felt|feeling|happy|sad|angry|frustrated|excited|worried|anxious|upset|stressed)\b/i;
const PREFERENCE =
  /\b(prefer|prefers|preferred|like|likes|love|loves|hate|hates|dislike|dislikes|favorite|favourite|enjoy|enjoys|wants?)\b/i;
const TEMPORAL =
  /\b(tomorrow|tonight|next (week|month|year)|deadline|due|until|by (monday|tuesday|wednesday|thursday|friday|saturday|sunday)|on (monday|tuesday|wednesday|thursday|friday|saturday|sunday)|\d{4}-\d{2}-\d{2})\b/i;
const EPISODE = /\b(yesterday|last (week|month|year|night)|ago|visited|met|attended|went|called)\b/i;

/** Classifies one sentence into a memory type by its words. */
export function classify(sentence: string): MemoryType {
  if (EMOTION.test(sentence)) return 'emotion';
  if (PREFERENCE.test(sentence)) return 'preference';
  if (TEMPORAL.test(sentence)) return 'temporal_event';
  if (EPISODE.test(sentence)) return 'episode';
  return 'fact';
}

const EMOTION_NAME = /\b(happy|sad|angry|frustrated|excited|worried|anxious|upset|stressed)\b/i;

/** The emotion named in a sentence (for `emotion_type`); "unspecified" when it only says "feel". */
export function emotionWord(sentence: string): string {
  return (EMOTION_NAME.exec(sentence)?.[1] ?? 'unspecified').toLowerCase();
}

/** A document (string or object) as plain text. */
export function documentText(document: unknown): string {
  if (typeof document === 'string') return document;
  if (typeof document === 'object' && document !== null) {
    const parts: string[] = [];
    for (const [key, value] of Object.entries(document)) {
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
        parts.push(`${key}: ${value}.`);
      } else if (value !== null && value !== undefined) {
        parts.push(`${key}: ${JSON.stringify(value)}.`);
      }
    }
    return parts.join('\n');
  }
  return '';
}

/** Splits a text into sentences, dropping speaker labels ("User:", "Assistant:") and blanks. */
export function sentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+|\n+/)
    .map((s) => s.replace(/^\s*(user|human|assistant|ai|system)\s*:\s*/i, '').trim())
    .filter((s) => /[A-Za-z0-9]/.test(s) && s.length >= 3);
}

const STOPWORDS = new Set(
  'a an and are as at be but by do does for from has have i in is it its me my of on or our so that the their them they this to was we were what when where which who why will with you your about'.split(
    ' ',
  ),
);

/** The search words of a text: lowercase alphanumerics, no stopwords, no one-letter words. */
export function words(text: string): string[] {
  return (text.toLowerCase().match(/[a-z0-9]+/g) ?? []).filter((w) => w.length > 1 && !STOPWORDS.has(w));
}

function wordMatches(query: string, candidate: string): boolean {
  if (query === candidate) return true;
  // Light stemming: "prefer" finds "prefers", "meetings" finds "meeting".
  const short = query.length <= candidate.length ? query : candidate;
  const long = query.length <= candidate.length ? candidate : query;
  return short.length >= 4 && long.startsWith(short);
}

/** Share of the query's words found in the text (0 when none; 1 when all). */
export function matchScore(queryWords: readonly string[], text: string): number {
  if (queryWords.length === 0) return 0;
  const have = words(text);
  const hits = queryWords.filter((q) => have.some((w) => wordMatches(q, w))).length;
  return hits / queryWords.length;
}

/** Makes the memories of one text, stored at a scope; returns their ids. */
export function extractMemories(
  store: SynapStore,
  text: string,
  at: string,
  origin: {
    scope: StoredScope;
    user_id: string | null;
    customer_id: string | null;
    conversation_id: string | null;
    source_document_id: string | null;
    source: string;
    metadata: Record<string, unknown>;
  },
): string[] {
  const ids: string[] = [];
  for (const sentence of sentences(text)) {
    const type = classify(sentence);
    const record: MemoryRecord = {
      memory_id: randomUUID(),
      memory_type: type,
      content: sentence,
      confidence: type === 'fact' ? 0.9 : 0.8,
      category: type === 'preference' ? 'general' : null,
      created_at: at,
      updated_at: null,
      seq: ++store.seq,
      ...origin,
    };
    store.memories.set(record.memory_id, record);
    ids.push(record.memory_id);
  }
  return ids;
}
