import { InputError } from './errors.js';
import { acceptsNull, isAnyJson, isFreeForm, isNode, type Node, splitNull, typesOf } from './schema-node.js';

/**
 * Normalises arguments sent under any schema profile back to the full schema before validation. `schema` is
 * the full (claude) input schema. Under a restricted profile a free-form object travels as a JSON string, an
 * unconstrained value's object or array as JSON text, and an optional field the client leaves out as null:
 * - a `null` for an optional field that does not declare null is dropped;
 * - a free-form object sent as a string must be a JSON object encoded as a string: it is parsed, and any
 *   other string is refused with an error that says so;
 * - in a union with an object or array branch, a string that parses as JSON of that kind is taken as it;
 *   a union that takes no text refuses a string that is not such JSON;
 * - an unconstrained value given as text that parses as a JSON object or array is taken as that JSON.
 * Anything else is left for validation to report.
 */
export function normaliseArgs(schema: Node, value: unknown): unknown {
  return normalise(schema, value, '');
}

function normalise(schema: Node, value: unknown, path: string): unknown {
  if (value === null || value === undefined) return value;
  const { base } = splitNull(schema);
  if (typeof value === 'string') return fromText(base, value, path);
  if (Array.isArray(value)) {
    const items = base.items;
    return isNode(items) ? value.map((v, i) => normalise(items, v, join(path, String(i)))) : value;
  }
  if (!isNode(value)) return value;
  if (isNode(base.properties)) {
    const required = new Set(Array.isArray(base.required) ? base.required : []);
    const out: Node = {};
    for (const [key, v] of Object.entries(value)) {
      const child = base.properties[key];
      if (v === null && !required.has(key) && !acceptsNull(child)) continue;
      out[key] = isNode(child) ? normalise(child, v, join(path, key)) : v;
    }
    return out;
  }
  if (Array.isArray(base.anyOf)) {
    const branch = base.anyOf.filter(isNode).find((b) => isNode(b.properties) || isFreeForm(b));
    return branch ? normalise(branch, value, path) : value;
  }
  return value;
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

/** The JSON a text holds, or undefined when it is not JSON. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** What a parsed JSON value is, in words. */
function kindOf(value: unknown): string {
  if (value === undefined) return 'text that does not parse as JSON';
  if (Array.isArray(value)) return 'a JSON array, not an object';
  if (value === null) return 'JSON null, not an object';
  return `a JSON ${typeof value}, not an object`;
}

const EXAMPLE = '"{\\"key\\": \\"value\\"}"';

function refuse(path: string, message: string): InputError {
  return new InputError('Nothing was sent; correct the arguments and call again.', [{ path, message }]);
}

function isStructured(branch: Node): boolean {
  return isNode(branch.properties) || isFreeForm(branch) || typesOf(branch).includes('array');
}

function fits(branch: Node, value: unknown): boolean {
  return Array.isArray(value)
    ? typesOf(branch).includes('array')
    : isNode(value) && !typesOf(branch).includes('array');
}

function fromText(schema: Node, text: string, path: string): unknown {
  if (isFreeForm(schema)) {
    const parsed = parseJson(text);
    if (isNode(parsed)) return parsed;
    throw refuse(
      path,
      `expected a JSON object encoded as a string, such as ${EXAMPLE} (or the object itself); got ${kindOf(parsed)}`,
    );
  }
  if (Array.isArray(schema.anyOf)) {
    const branches = schema.anyOf.filter(isNode).filter((b) => b.type !== 'null');
    const structured = branches.filter(isStructured);
    if (structured.length === 0) return text;
    const trimmed = text.trimStart();
    const parsed = trimmed.startsWith('{') || trimmed.startsWith('[') ? parseJson(text) : undefined;
    const match = parsed === undefined ? undefined : structured.find((b) => fits(b, parsed));
    if (match) return normalise(match, parsed, path);
    const takesText = branches.some((b) => isAnyJson(b) || typesOf(b).includes('string'));
    if (takesText) return text;
    const wanted = structured.every(isFreeForm)
      ? 'a JSON object encoded as a string'
      : 'a JSON value encoded as a string';
    throw refuse(path, `expected ${wanted}, such as ${EXAMPLE}; got ${kindOf(parsed ?? parseJson(text))}`);
  }
  if (isAnyJson(schema)) {
    const trimmed = text.trimStart();
    if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
      const parsed = parseJson(text);
      if (parsed !== undefined) return parsed;
    }
  }
  return text;
}
