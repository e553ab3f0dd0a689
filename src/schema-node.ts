/** One JSON Schema node, read loosely (published schemas are plain JSON). */
export type Node = Record<string, unknown>;

/** A JSON object (not an array, not null). */
export function isNode(v: unknown): v is Node {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The node's `type` as a list (a single type, a type array, or none). */
export function typesOf(node: Node): string[] {
  if (Array.isArray(node.type)) return node.type.filter((t): t is string => typeof t === 'string');
  return typeof node.type === 'string' ? [node.type] : [];
}

/** An object schema with no declared properties: arbitrary JSON (metadata, rawPayload, custom_fields). */
export function isFreeForm(node: Node): boolean {
  return node.type === 'object' && !isNode(node.properties);
}

/** A node that constrains nothing (zod's `unknown`): any JSON value, null included. */
export function isAnyJson(node: Node): boolean {
  return (
    node.type === undefined &&
    node.anyOf === undefined &&
    node.enum === undefined &&
    node.const === undefined &&
    node.properties === undefined &&
    node.items === undefined
  );
}

/** Splits `X | null` (type array or anyOf with a null branch) into X and whether null was allowed. */
export function splitNull(node: Node): { base: Node; nullable: boolean } {
  const types = typesOf(node);
  if (types.length > 1 && types.includes('null')) {
    const rest = types.filter((t) => t !== 'null');
    return { base: { ...node, type: rest.length === 1 ? rest[0] : rest }, nullable: true };
  }
  if (Array.isArray(node.anyOf)) {
    const branches = node.anyOf.filter(isNode);
    const nonNull = branches.filter((b) => b.type !== 'null');
    if (nonNull.length < branches.length) {
      const { anyOf: _drop, ...outer } = node;
      const only = nonNull[0];
      const base = nonNull.length === 1 && only ? { ...outer, ...only } : { ...outer, anyOf: nonNull };
      return { base, nullable: true };
    }
  }
  return { base: node, nullable: false };
}

/**
 * Whether a schema declares null (a null type or a null branch). An unconstrained node does not count: a
 * strict client sends null for every optional field it leaves out, and that null means "not given".
 */
export function acceptsNull(schema: unknown): boolean {
  if (!isNode(schema)) return false;
  if (typesOf(schema).includes('null')) return true;
  return Array.isArray(schema.anyOf) && schema.anyOf.some((b) => isNode(b) && b.type === 'null');
}
