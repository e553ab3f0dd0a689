/**
 * fast-check arbitraries derived from a tool's published JSON Schema (what a model sees in tools/list):
 * arguments valid per the schema (a string described as a JSON object encoded as a string holds one), invalid ones (missing, unknown, mistyped, out-of-range fields), hostile ones
 * (huge strings, deep nesting, invisible and malformed unicode) and arguments that are not an object at all.
 * Only the keywords in SUPPORTED are understood; `unsupportedKeywords` names the others so that a new tool
 * using one fails the fuzz suite loudly instead of being fuzzed with wrong values.
 */
import fc from 'fast-check';
import { JSON_OBJECT_TEXT } from '../../src/profiles.js';

/** A JSON Schema node. */
export type Schema = Record<string, unknown>;
/** Tool arguments as sent in tools/call. */
export type Args = Record<string, unknown>;

/** Keywords the generators understand (annotations included). */
export const SUPPORTED = new Set([
  'type',
  'properties',
  'required',
  'additionalProperties',
  'enum',
  'const',
  'minLength',
  'maxLength',
  'pattern',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'items',
  'minItems',
  'maxItems',
  'anyOf',
  'oneOf',
  'description',
  'title',
  'default',
  'examples',
]);

const MAP_KEYWORDS = new Set(['properties']);

function isSchema(v: unknown): v is Schema {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Keywords used anywhere in `schema` that the generators do not understand. */
export function unsupportedKeywords(schema: Schema): string[] {
  const found = new Set<string>();
  const walk = (node: Schema) => {
    for (const [key, value] of Object.entries(node)) {
      if (!SUPPORTED.has(key)) found.add(key);
      if (MAP_KEYWORDS.has(key) && isSchema(value)) {
        for (const child of Object.values(value)) if (isSchema(child)) walk(child);
      } else if (key === 'items' || key === 'additionalProperties') {
        if (isSchema(value)) walk(value);
      } else if (key === 'anyOf' || key === 'oneOf') {
        if (Array.isArray(value)) for (const child of value) if (isSchema(child)) walk(child);
      }
    }
  };
  walk(schema);
  return [...found].sort();
}

/** Strings that break naive code: invisible, bidi, control, lone surrogates, combining marks, injections. */
export const NASTY_STRINGS: readonly string[] = [
  '\u200b',
  '\ufeff',
  '\u202e',
  '\u2028',
  '\u0000',
  '\u0007',
  '\u001b[31m',
  '\r\n',
  '\ud800',
  '\udfff',
  'e\u0301\u0301\u0301',
  '🏳️‍🌈',
  'Z\u0351\u0345\u0359',
  '../',
  '%2e%2e%2f',
  '%00',
  '{{x}}',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection probe, on purpose.
  '${x}',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '\\',
  '"',
  'null',
  '__proto__',
  'constructor',
];

const idLike = (min: number, max: number) =>
  fc.string({
    unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789-_'),
    minLength: min,
    maxLength: max,
  });

/** A string field whose description says it holds a JSON object encoded as a string (and nothing else). */
const holdsJsonObject = (node: Schema) =>
  typeof node.description === 'string' && node.description.endsWith(`(${JSON_OBJECT_TEXT})`);

function stringArb(node: Schema): fc.Arbitrary<string> {
  if (holdsJsonObject(node)) {
    return fc
      .dictionary(idLike(1, 8), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 4 })
      .map((o) => JSON.stringify(o));
  }
  const min = typeof node.minLength === 'number' ? node.minLength : 0;
  const max = typeof node.maxLength === 'number' ? node.maxLength : min + 40;
  if (typeof node.pattern === 'string') {
    const re = new RegExp(node.pattern);
    return fc.stringMatching(re).filter((s) => s.length >= min && s.length <= max);
  }
  const upper = Math.max(min, Math.min(max, min + 40));
  return fc.oneof(
    { weight: 3, arbitrary: idLike(Math.max(min, 1), Math.max(upper, 1)).filter((s) => s.length <= max) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: min, maxLength: upper }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: min, maxLength: upper }) },
  );
}

function numberBounds(node: Schema): { min: number; max: number } {
  let min = typeof node.minimum === 'number' ? node.minimum : -1_000_000;
  let max = typeof node.maximum === 'number' ? node.maximum : 1_000_000;
  if (typeof node.exclusiveMinimum === 'number') min = Math.max(min, node.exclusiveMinimum + 1e-6);
  if (typeof node.exclusiveMaximum === 'number') max = Math.min(max, node.exclusiveMaximum - 1e-6);
  return { min, max };
}

function typesOf(node: Schema): string[] {
  if (Array.isArray(node.type)) return node.type.filter((t): t is string => typeof t === 'string');
  if (typeof node.type === 'string') return [node.type];
  if (isSchema(node.properties)) return ['object'];
  return [];
}

function ofType(node: Schema, type: string, depth: number): fc.Arbitrary<unknown> {
  switch (type) {
    case 'string':
      return stringArb(node);
    case 'integer': {
      const { min, max } = numberBounds(node);
      return fc.integer({ min: Math.ceil(min), max: Math.floor(Math.min(max, Number.MAX_SAFE_INTEGER)) });
    }
    case 'number': {
      const { min, max } = numberBounds(node);
      return fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
    }
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const item = isSchema(node.items) ? valid(node.items, depth + 1) : fc.jsonValue({ maxDepth: 2 });
      const minLength = typeof node.minItems === 'number' ? node.minItems : 0;
      const maxLength = Math.max(
        minLength,
        Math.min(typeof node.maxItems === 'number' ? node.maxItems : 4, 4),
      );
      return fc.array(item, { minLength, maxLength });
    }
    case 'object':
      return objectArb(node, depth);
    default:
      throw new Error(`no generator for JSON Schema type "${type}"`);
  }
}

function objectArb(node: Schema, depth: number): fc.Arbitrary<Args> {
  const props = isSchema(node.properties) ? node.properties : {};
  const required = Array.isArray(node.required) ? node.required.filter((k) => typeof k === 'string') : [];
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [key, child] of Object.entries(props)) if (isSchema(child)) model[key] = valid(child, depth + 1);
  const fixed = fc.record(model, { requiredKeys: required.filter((k) => k in model) });
  const extra = node.additionalProperties;
  if (!isSchema(extra)) return fixed as fc.Arbitrary<Args>;
  const free = fc.dictionary(
    idLike(1, 12).filter((k) => !(k in props)),
    valid(extra, depth + 1),
    { maxKeys: 3 },
  );
  return fc.tuple(fixed, free).map(([a, b]) => ({ ...b, ...a }));
}

/** Values valid per `node`. */
export function valid(node: Schema, depth = 0): fc.Arbitrary<unknown> {
  if ('const' in node) return fc.constant(node.const);
  if (Array.isArray(node.enum) && node.enum.length > 0) return fc.constantFrom(...(node.enum as unknown[]));
  const alternatives = (Array.isArray(node.anyOf) ? node.anyOf : Array.isArray(node.oneOf) ? node.oneOf : [])
    .filter(isSchema)
    .map((child) => valid(child, depth + 1));
  if (alternatives.length > 0) return fc.oneof(...alternatives);
  const types = typesOf(node);
  if (types.length === 0) return fc.jsonValue({ maxDepth: 2 });
  return fc.oneof(...types.map((t) => ofType(node, t, depth)));
}

/** Tool arguments valid per the tool's input schema. */
export function validArgs(schema: Schema): fc.Arbitrary<Args> {
  return objectArb(schema, 0);
}

function propertiesOf(schema: Schema): Array<[string, Schema]> {
  const props = isSchema(schema.properties) ? schema.properties : {};
  return Object.entries(props).filter((e): e is [string, Schema] => isSchema(e[1]));
}

/** A value of a type the property does not accept. */
function wrongType(node: Schema): fc.Arbitrary<unknown> {
  const types = new Set(typesOf(node));
  const all: Array<[string, fc.Arbitrary<unknown>]> = [
    ['string', fc.string({ maxLength: 8 })],
    ['number', fc.double({ noNaN: true })],
    ['boolean', fc.boolean()],
    ['null', fc.constant(null)],
    ['array', fc.array(fc.integer(), { maxLength: 3 })],
    ['object', fc.dictionary(idLike(1, 6), fc.integer(), { maxKeys: 2 })],
  ];
  const wrong = all.filter(([t]) => !types.has(t) && !(t === 'number' && types.has('integer')));
  return fc.oneof(...wrong.map(([, a]) => a));
}

/** Values that break a constraint other than the type (length, range, enum, integer-ness). */
function outOfRange(node: Schema): fc.Arbitrary<unknown> | undefined {
  const options: fc.Arbitrary<unknown>[] = [];
  if (Array.isArray(node.enum)) options.push(fc.constant('not-one-of-the-choices'));
  if (typeof node.minLength === 'number' && node.minLength > 0) options.push(fc.constant(''));
  if (typeof node.maxLength === 'number') options.push(fc.constant('x'.repeat(node.maxLength + 1)));
  if (typeof node.minimum === 'number') options.push(fc.constant(node.minimum - 1));
  if (typeof node.maximum === 'number') options.push(fc.constant(node.maximum + 1));
  if (typesOf(node).includes('integer')) options.push(fc.constant(1.5));
  if (typeof node.minItems === 'number' && node.minItems > 0) options.push(fc.constant([]));
  return options.length > 0 ? fc.oneof(...options) : undefined;
}

/** Arguments that break the schema in one place: a missing required field, an unknown one, a wrong value. */
export function invalidArgs(schema: Schema): fc.Arbitrary<Args> {
  const props = propertiesOf(schema);
  const required = Array.isArray(schema.required) ? schema.required.filter((k) => typeof k === 'string') : [];
  return validArgs(schema).chain((base) => {
    const mutations: fc.Arbitrary<Args>[] = [
      fc
        .tuple(fc.string({ minLength: 1, maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }))
        .filter(([k]) => !props.some(([p]) => p === k))
        .map(([k, v]) => ({ ...base, [k]: v })),
    ];
    if (required.length > 0) {
      mutations.push(
        fc.constantFrom(...required).map((k) => {
          const { [k]: _dropped, ...rest } = base;
          return rest;
        }),
      );
    }
    for (const [key, node] of props) {
      mutations.push(wrongType(node).map((v) => ({ ...base, [key]: v })));
      const range = outOfRange(node);
      if (range) mutations.push(range.map((v) => ({ ...base, [key]: v })));
    }
    return fc.oneof(...mutations);
  });
}

function nest(depth: number, asArray: boolean): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = asArray ? [value] : { a: value };
  return value;
}

/** Strings made of NASTY_STRINGS and random code points (lone surrogates included). */
export const nastyString: fc.Arbitrary<string> = fc
  .array(
    fc.oneof(
      fc.constantFrom(...NASTY_STRINGS),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }),
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 6 }),
    ),
    { minLength: 1, maxLength: 6 },
  )
  .map((parts) => parts.join(''));

/** Huge strings: 64 KiB to 1 MiB of one (possibly multi-byte or invisible) character. */
export const hugeString: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom('A', 'é', '😀', '\u200b', '\u0000', '"'),
    fc.integer({ min: 65_536, max: 1_048_576 }),
  )
  .map(([c, n]) => c.repeat(Math.ceil(n / c.length)));

/** Objects or arrays nested 64 to 2,000 levels deep. */
export const deepValue: fc.Arbitrary<unknown> = fc
  .tuple(fc.integer({ min: 64, max: 2_000 }), fc.boolean())
  .map(([d, asArray]) => nest(d, asArray));

/** Valid arguments with one field (existing or new) replaced by something hostile. */
export function hostileArgs(schema: Schema): fc.Arbitrary<Args> {
  const keys = propertiesOf(schema).map(([k]) => k);
  const key = keys.length > 0 ? fc.oneof(fc.constantFrom(...keys), nastyString) : nastyString;
  const payload = fc.oneof(hugeString, deepValue, nastyString);
  return fc.tuple(validArgs(schema), key, payload).map(([base, k, v]) => ({ ...base, [k]: v }) as Args);
}

/** `arguments` that are not an object: the request itself is malformed (-32602 expected). */
export const nonObjectArgs: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.string({ maxLength: 20 }),
  fc.double(),
  fc.boolean(),
  fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }),
);

/** One fuzz case: its family and the `arguments` to send. */
export interface FuzzCase {
  family: 'valid' | 'invalid' | 'hostile' | 'non-object';
  args: unknown;
}

/** Per-family run counts of one tool. */
export interface Budget {
  valid: number;
  invalid: number;
  hostile: number;
  nonObject: number;
}

/** The cases of one tool, as arbitraries per family. */
export function familiesOf(schema: Schema): Array<[FuzzCase['family'], fc.Arbitrary<unknown>, keyof Budget]> {
  return [
    ['valid', validArgs(schema), 'valid'],
    ['invalid', invalidArgs(schema), 'invalid'],
    ['hostile', hostileArgs(schema), 'hostile'],
    ['non-object', nonObjectArgs, 'nonObject'],
  ];
}
