import { z } from 'zod';
import { fastJsonSchema } from './zod-json.js';

/** A JSON Schema object as published in tools/list. */
export type JsonSchema = { type: 'object'; [key: string]: unknown };

type Node = Record<string, unknown>;

function isNode(v: unknown): v is Node {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const SAFE = Number.MAX_SAFE_INTEGER;

/**
 * Cleans one schema node in place: closes input objects (additionalProperties false), drops the noise zod
 * adds (`$schema`, ±MAX_SAFE_INTEGER bounds, `propertyNames: {type: string}`), writes `const` as a
 * one-value `enum`, and drops `format` from inputs (OpenAI strict mode and Gemini reject it).
 */
function clean(node: Node, io: 'input' | 'output'): void {
  delete node.$schema;
  // `const` is outside Gemini's JSON Schema subset (mcpToTool sends outputSchema as responseJsonSchema).
  if (node.const !== undefined && node.enum === undefined) {
    node.enum = [node.const];
    delete node.const;
  }
  if (node.minimum === -SAFE) delete node.minimum;
  if (node.maximum === SAFE) delete node.maximum;
  if (
    isNode(node.propertyNames) &&
    node.propertyNames.type === 'string' &&
    Object.keys(node.propertyNames).length === 1
  ) {
    delete node.propertyNames;
  }
  if (io === 'input') {
    delete node.format;
    // Non-empty strings are still enforced by validation; publishing it costs ~800 tokens over the catalog.
    if (node.minLength === 1) delete node.minLength;
    if (node.type === 'object' && isNode(node.properties) && node.additionalProperties === undefined) {
      node.additionalProperties = false;
    }
  }
  for (const [key, value] of Object.entries(node)) {
    if (Array.isArray(value)) {
      for (const item of value) if (isNode(item)) clean(item, io);
    } else if (isNode(value)) {
      if (MAPS.has(key)) {
        for (const child of Object.values(value)) if (isNode(child)) clean(child, io);
      } else {
        clean(value, io);
      }
    }
  }
}

/** Keys whose value maps names to schemas (the map itself is not a schema). */
const MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);

/**
 * The published JSON Schema of a tool's input or output object, computed once, at the first tools/list or
 * call. zod's own converter only for what the one-pass converter (zod-json.ts) does not cover.
 */
export function toPublishedSchema(schema: z.ZodObject, io: 'input' | 'output'): JsonSchema {
  const json = fastJsonSchema(schema, io) ?? (z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Node);
  clean(json, io);
  return json as JsonSchema;
}
