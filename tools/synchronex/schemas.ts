import { z } from 'zod';
import { conform, isRecord, listIn } from '../memory/shape.js';

/**
 * Synchronex publishes no response bodies (api-notes §8.1): outputs are loose objects with the fields the
 * docs name declared optional, shaped from what comes back; a bare array comes back as `{items}`, and a
 * non-JSON body (export routes) as `{text}`.
 */
export function objectResult<S extends z.ZodObject>(schema: S, data: unknown): z.input<S> {
  if (Array.isArray(data)) return conform(schema, { items: data });
  if (typeof data === 'string') return conform(schema, { text: data });
  return conform(schema, isRecord(data) ? data : {});
}

const optText = z.string().nullable().optional();
const textOrList = z
  .union([z.string(), z.array(z.string())])
  .nullable()
  .optional();

/** Identity kernel (GET/PUT /memory/identity). */
export const kernelOutput = z.looseObject({
  injection_block: optText.describe('≤500-token text to inject at session start'),
  identity: z.record(z.string(), z.unknown()).nullable().optional(),
  products: z.array(z.unknown()).nullable().optional(),
  constraints: z.array(z.unknown()).nullable().optional(),
  model_preferences: z.record(z.string(), z.unknown()).nullable().optional(),
  updated_at: optText,
});

/** Product state (GET/POST /memory/product/{name}/state). */
export const productStateOutput = z.looseObject({
  name: optText,
  status: optText,
  what_works: textOrList,
  what_is_blocked: textOrList,
  open_questions: textOrList,
  next_session_starts_here: optText,
  updated_at: optText,
});

/** A decision. */
export const decisionItem = z.looseObject({
  id: optText,
  decision: optText,
  product_name: optText,
  reasoning: optText,
  affects_products: z.array(z.string()).nullable().optional(),
  created_at: optText,
});

/** A BYOK credential: only these fields ever leave syn-mcp (never key material). */
export const byokItem = z.object({
  id: z.string().optional(),
  service: optText,
  label: optText,
  created_at: optText,
  updated_at: optText,
  last_used_at: optText,
});

/** A job or acknowledgement from an async endpoint. */
export const ackOutput = z.looseObject({
  id: optText,
  job_id: optText,
  status: optText,
});

/**
 * The line on the descriptions of Synchronex reads: they answer from the key's active scope, which no answer
 * names (api-notes §5 publishes no bodies; only GET /scope tells it, and an extra call per read is not worth
 * its cost), and set_scope switches it for everyone using the key.
 */
const ACTIVE_SCOPE = 'the active scope (get_scope), unnamed in answers.';
export const SCOPE_NOTE = `Reads ${ACTIVE_SCOPE}`;
/** The same line on a tool that also reads Synap (search_memory), where the scope is Synchronex's only. */
export const SX_SCOPE_NOTE = `Synchronex reads ${ACTIVE_SCOPE}`;

/** Active scope (GET/PATCH /scope). */
export const scopeOutput = z.looseObject({
  workspace_id: z.string().nullable().optional().describe('null = personal scope'),
});

/** `{items}` of an unpublished list response, each item conformed to `item`. */
export function itemsResult<S extends z.ZodObject>(
  item: S,
  data: unknown,
  keys: readonly string[],
): { items: z.input<S>[]; rest: Record<string, string | number | boolean> } {
  const { items, rest } = listIn(data, keys);
  return { items: items.map((i) => conform(item, i)), rest };
}

/** Product name argument (path segment). */
export const productNameField = z.string().min(1).describe('Product name.');
