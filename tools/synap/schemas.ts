import { z } from 'zod';
import { buildPath } from '../../src/http/path.js';
import type { ToolContext } from '../../src/tool.js';
import { firstText, idOf, isRecord } from '../memory/shape.js';

/** Document types Synap accepts (SDK `DocumentType`; the docs list more as "coming soon"). */
export const DOCUMENT_TYPES = [
  'ai-chat-conversation',
  'document',
  'email',
  'pdf',
  'image',
  'audio',
  'meeting-transcript',
] as const;

const optText = z.string().nullable().optional();

/** The content to memorise: text, or a JSON object. */
export const documentField = z
  .union([z.string().min(1), z.record(z.string(), z.unknown())])
  .describe('What to memorise.');

/** document_type argument. */
export const documentTypeField = z.enum(DOCUMENT_TYPES).optional().describe('Default ai-chat-conversation.');

/** metadata argument. */
export const metadataField = z.record(z.string(), z.unknown()).optional().describe('Free-form.');

/** A Synap memory id argument. */
export const memoryIdField = z.string().min(1).describe('Memory id.');

/** A memory as Synap returns it (`Memory`). */
export const memoryOutput = z.object({
  memory_id: z.string(),
  memory_type: optText.describe('fact, preference, episode, emotion, …'),
  content: optText,
  confidence: z.number().nullable().optional().describe('0–1'),
  category: optText,
  subcategory: optText,
  created_at: optText,
  updated_at: optText,
  source_document_id: optText,
});

/** Ingestion status (`MemoryStatusResponse`). */
export const statusOutput = z.object({
  ingestion_id: z.string(),
  document_id: optText,
  status: z.string().describe('queued, processing, completed, failed or partial_success'),
  queued_at: optText,
  started_at: optText,
  completed_at: optText,
  memories_created: z.number().nullable().optional(),
  memory_ids: z.array(z.string()).optional().describe('Ids of the memories created (for get_memory)'),
  error_message: optText,
});

const relevance = z.number().nullable().optional();

/** Context items, trimmed to what an agent reads (SDK `models/context.py`). */
export const factItem = z.object({
  id: optText,
  content: optText,
  confidence: relevance,
  source: optText,
  extracted_at: optText,
  event_date: optText,
  valid_until: optText,
  temporal_category: optText,
});
export const preferenceItem = z.object({
  id: optText,
  content: optText,
  category: optText,
  strength: relevance,
  confidence: relevance,
  extracted_at: optText,
});
export const episodeItem = z.object({
  id: optText,
  summary: optText,
  occurred_at: optText,
  significance: relevance,
  participants: z.array(z.string()).optional(),
});
export const emotionItem = z.object({
  id: optText,
  emotion_type: optText,
  intensity: relevance,
  detected_at: optText,
  context: optText,
});
export const temporalItem = z.object({
  id: optText,
  content: optText,
  event_date: optText,
  temporal_category: optText,
  extracted_at: optText,
});

/** The context buckets (under `context` on the wire; the docs render them at top level — both read). */
export function contextBuckets(data: unknown): Record<string, unknown> {
  const body = isRecord(data) ? data : {};
  return isRecord(body.context) ? body.context : body;
}

/** One Synap context item as a search_memory hit. */
export interface SynapHit {
  id?: string;
  text: string;
  type: string;
  score?: number;
  created_at?: string;
}

const BUCKETS: ReadonlyArray<[string, string, readonly string[], string | undefined, readonly string[]]> = [
  ['facts', 'fact', ['content', 'text'], 'confidence', ['extracted_at']],
  ['preferences', 'preference', ['content', 'text'], 'strength', ['extracted_at']],
  ['episodes', 'episode', ['summary', 'content'], 'significance', ['occurred_at']],
  ['emotions', 'emotion', ['context', 'content'], 'intensity', ['detected_at']],
  [
    'temporal_events',
    'temporal_event',
    ['content', 'summary', 'description'],
    undefined,
    ['event_date', 'extracted_at'],
  ],
];

/**
 * How many memories a context response holds, with text or not: what Synap's max_results cap counts, so
 * whether its answer was full.
 */
export function contextCount(data: unknown): number {
  const buckets = contextBuckets(data);
  return BUCKETS.reduce((n, [bucket]) => {
    const list = buckets[bucket];
    return n + (Array.isArray(list) ? list.length : 0);
  }, 0);
}

/** Flattens a context response into hits, bucket by bucket, keeping each item's id and text. */
export function contextHits(data: unknown): SynapHit[] {
  const buckets = contextBuckets(data);
  const out: SynapHit[] = [];
  for (const [bucket, type, textKeys, scoreKey, dateKeys] of BUCKETS) {
    const list = buckets[bucket];
    if (!Array.isArray(list)) continue;
    for (const item of list) {
      if (!isRecord(item)) continue;
      let text = firstText(item, textKeys);
      if (type === 'emotion' && typeof item.emotion_type === 'string') {
        text = text ? `${item.emotion_type}: ${text}` : item.emotion_type;
      }
      if (!text) continue;
      const hit: SynapHit = { text, type };
      const id = idOf(item.id);
      if (id) hit.id = id;
      const score = scoreKey ? item[scoreKey] : undefined;
      if (typeof score === 'number' && Number.isFinite(score)) hit.score = score;
      const at = firstText(item, dateKeys);
      if (at) hit.created_at = at;
      out.push(hit);
    }
  }
  return out;
}

/** `POST /v1/context/{scope}/fetch`: a POST that only reads (the SDK marks it idempotent), so it is replayable. */
export function postContextFetch(
  ctx: Pick<ToolContext, 'api' | 'signal' | 'deadline'>,
  scope: string,
  body: Record<string, unknown>,
): Promise<unknown> {
  return ctx.api.synap.post(buildPath('/v1/context/{scope}/fetch', { scope }), {
    body,
    idempotent: true,
  });
}
