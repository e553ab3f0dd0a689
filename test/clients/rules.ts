/**
 * Each client's documented schema rules, written independently of src/profiles.ts, so a test can say which
 * rule a published schema breaks.
 * - OpenAI strict mode (Structured Outputs / function calling with `strict: true`, "Supported schemas"):
 *   the root is an object; every object has `additionalProperties: false` and lists every property in
 *   `required` (optional = nullable); the unsupported keywords are refused; at most 10 levels of nesting and
 *   1000 enum values. The issue adds: every node has a `type`. JSON Schema itself adds: a nullable enum must
 *   list null, or null is not a value the model may send.
 * - LangChain's MCP adapters: every field keeps a `type` once `simplifyJsonSchemaForLLM` has run.
 * - Gemini `parametersJsonSchema`: the JSON Schema subset the Gemini API documents.
 * - Gemini classic `parameters` (OpenAPI Schema, after the SDK's processJsonSchema): a known upper-case type
 *   or anyOf on every node, never both; enum only on strings, with string values.
 */
export type Node = Record<string, unknown>;

export const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Visits every schema node (properties, items, anyOf branches, additionalProperties, $defs) with its path. */
export function walk(
  node: unknown,
  visit: (n: Node, path: string, depth: number) => void,
  path = '#',
  depth = 0,
): void {
  if (!isNode(node)) return;
  visit(node, path, depth);
  if (isNode(node.properties)) {
    for (const [name, child] of Object.entries(node.properties))
      walk(child, visit, `${path}.${name}`, depth + 1);
  }
  if (isNode(node.items)) walk(node.items, visit, `${path}[]`, depth + 1);
  if (isNode(node.additionalProperties)) walk(node.additionalProperties, visit, `${path}{}`, depth + 1);
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    const list = node[key];
    if (Array.isArray(list)) for (const [i, b] of list.entries()) walk(b, visit, `${path}|${key}${i}`, depth);
  }
  for (const key of ['$defs', 'definitions'] as const) {
    const defs = node[key];
    if (isNode(defs))
      for (const [name, d] of Object.entries(defs)) walk(d, visit, `${path}/${key}/${name}`, 0);
  }
}

const typesOf = (n: Node): unknown[] =>
  Array.isArray(n.type) ? n.type : n.type === undefined ? [] : [n.type];

const JSON_TYPES = new Set(['string', 'number', 'integer', 'boolean', 'object', 'array', 'null']);
const OPENAI_UNSUPPORTED = [
  'minLength',
  'maxLength',
  'patternProperties',
  'unevaluatedProperties',
  'propertyNames',
  'minProperties',
  'maxProperties',
  'unevaluatedItems',
  'contains',
  'minContains',
  'maxContains',
  'uniqueItems',
  'allOf',
  'not',
  'if',
  'then',
  'else',
  'dependentRequired',
  'dependentSchemas',
  'oneOf',
  '$schema',
];

/** Where a schema breaks OpenAI strict mode (an empty list when it does not). */
export function openAiStrictViolations(schema: unknown): string[] {
  const bad: string[] = [];
  if (!isNode(schema) || schema.type !== 'object' || 'anyOf' in schema)
    bad.push('#: root is not a plain object');
  walk(schema, (n, path, depth) => {
    if (depth > 10) bad.push(`${path}: deeper than 10 levels`);
    for (const k of OPENAI_UNSUPPORTED) if (k in n) bad.push(`${path}: unsupported keyword ${k}`);
    const types = typesOf(n);
    if (types.length === 0) bad.push(`${path}: no type`);
    for (const t of types)
      if (typeof t !== 'string' || !JSON_TYPES.has(t)) bad.push(`${path}: type ${String(t)}`);
    if (types.includes('object')) {
      if (n.additionalProperties !== false) bad.push(`${path}: object not closed`);
      if (!isNode(n.properties)) bad.push(`${path}: object without properties`);
      const keys = Object.keys(isNode(n.properties) ? n.properties : {}).sort();
      const req = (Array.isArray(n.required) ? [...n.required] : []).map(String).sort();
      if (JSON.stringify(keys) !== JSON.stringify(req)) bad.push(`${path}: not every property required`);
    }
    if (types.includes('array') && !isNode(n.items)) bad.push(`${path}: array without items`);
    if (Array.isArray(n.enum)) {
      if (n.enum.length > 1000) bad.push(`${path}: more than 1000 enum values`);
      if (types.includes('null') && !n.enum.includes(null)) bad.push(`${path}: nullable enum without null`);
    }
  });
  return bad;
}

/** The fields (property nodes and array items, at any depth) that have no `type`. */
export function untypedFields(schema: unknown): string[] {
  const bad: string[] = [];
  const visit = (node: unknown, path: string): void => {
    if (!isNode(node)) return;
    if (path !== '#' && typesOf(node).length === 0) bad.push(path);
    if (isNode(node.properties))
      for (const [k, v] of Object.entries(node.properties)) visit(v, `${path}.${k}`);
    if (isNode(node.items)) visit(node.items, `${path}[]`);
  };
  visit(schema, '#');
  return bad;
}

/** The keywords the Gemini API documents for JSON Schema (`parametersJsonSchema`, `responseJsonSchema`). */
const GEMINI_JSON_KEYWORDS = new Set([
  '$id',
  '$defs',
  '$ref',
  '$anchor',
  'type',
  'format',
  'title',
  'description',
  'enum',
  'items',
  'prefixItems',
  'minItems',
  'maxItems',
  'minimum',
  'maximum',
  'anyOf',
  'oneOf',
  'properties',
  'additionalProperties',
  'required',
  'propertyOrdering',
]);

/** Where a schema leaves Gemini's documented JSON Schema subset. */
export function geminiJsonSchemaViolations(schema: unknown): string[] {
  const bad: string[] = [];
  walk(schema, (n, path) => {
    for (const k of Object.keys(n)) if (!GEMINI_JSON_KEYWORDS.has(k)) bad.push(`${path}: keyword ${k}`);
  });
  return bad;
}

const GEMINI_TYPES = new Set(['STRING', 'NUMBER', 'INTEGER', 'BOOLEAN', 'ARRAY', 'OBJECT']);

/** Where a classic Gemini `Schema` (what the SDK sends as `parameters`) is not one the API takes. */
export function geminiClassicViolations(schema: unknown): string[] {
  const bad: string[] = [];
  const visit = (n: unknown, path: string): void => {
    if (!isNode(n)) return;
    const hasAnyOf = Array.isArray(n.anyOf);
    if (n.type !== undefined && hasAnyOf) bad.push(`${path}: type and anyOf`);
    if (!hasAnyOf && !(typeof n.type === 'string' && GEMINI_TYPES.has(n.type)))
      bad.push(`${path}: type ${String(n.type)}`);
    if (Array.isArray(n.enum)) {
      if (n.type !== 'STRING') bad.push(`${path}: enum on ${String(n.type)}`);
      if (!n.enum.every((v) => typeof v === 'string')) bad.push(`${path}: enum value that is not a string`);
    }
    for (const k of ['additionalProperties', '$ref', '$schema', 'const'])
      if (k in n) bad.push(`${path}: keyword ${k}`);
    if (isNode(n.properties)) for (const [k, v] of Object.entries(n.properties)) visit(v, `${path}.${k}`);
    if (isNode(n.items)) visit(n.items, `${path}[]`);
    if (hasAnyOf) for (const [i, b] of (n.anyOf as unknown[]).entries()) visit(b, `${path}|${i}`);
  };
  visit(schema, '#');
  return bad;
}

/** The object nodes of a schema that stay open (no declared properties, additionalProperties not false). */
export function openObjects(schema: unknown): string[] {
  const open: string[] = [];
  walk(schema, (n, path) => {
    if (typesOf(n).includes('object') && n.additionalProperties !== false && !isNode(n.properties))
      open.push(path);
  });
  return open;
}
