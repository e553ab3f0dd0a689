import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fastJsonSchema } from '../../src/zod-json.js';
import { TOOLSETS } from '../../tools/index.js';

/** zod's own conversion, as src/schema.ts asked it before the one-pass converter (without `$schema`). */
function viaZod(schema: z.ZodType, io: 'input' | 'output'): unknown {
  const { $schema: _drop, ...json } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return json;
}

/** Same JSON, keys in the same order (tools/list is published byte for byte). */
function expectSame(schema: z.ZodType, io: 'input' | 'output'): void {
  const fast = fastJsonSchema(schema, io);
  expect(fast, 'the one-pass converter fell back').toBeDefined();
  expect(JSON.stringify(fast)).toBe(JSON.stringify(viaZod(schema, io)));
}

const tools = [...new Map(TOOLSETS.flatMap((ts) => ts.tools).map((t) => [t.name, t])).values()];

describe('fastJsonSchema', () => {
  it.each(tools.map((t) => [t.name, t] as const))(
    'converts %s input and output exactly as zod does',
    (_, t) => {
      expectSame(t.input, 'input');
      expectSame(t.output, 'output');
    },
  );

  const text = z.string().min(1);
  const cases: Record<string, z.ZodType> = {
    'described before and after optional': z.object({
      a: z.string().describe('before').optional(),
      b: z.string().optional().describe('after'),
      c: z.string().optional().describe('one').describe('two'),
    }),
    'nullable: bare, constrained, described, optional': z.object({
      a: z.string().nullable(),
      b: text.nullable(),
      c: z.string().describe('inner').nullable(),
      d: z.number().int().nullable().describe('outer'),
      e: z.string().nullable().optional(),
      f: z.string().nullable().nullable(),
      g: z.enum(['x', 'y']).nullable(),
    }),
    'defaults, readonly, nonoptional': z.object({
      a: z.number().default(3),
      b: z.object({ x: z.string() }).readonly(),
      c: z.string().optional().nonoptional(),
      d: z.boolean().default(false).describe('flag'),
    }),
    'unions, literals, records, arrays': z.strictObject({
      a: z.union([z.string(), z.number()]),
      b: z.union([z.object({ k: z.literal('one') }), z.object({ k: z.literal('two') })]),
      c: z.record(z.string(), z.unknown()),
      d: z.array(text).min(1).max(5),
      e: z.array(z.string()).length(2),
      f: z.literal(['a', 'b']),
      g: z.discriminatedUnion('k', [z.object({ k: z.literal('a') }), z.object({ k: z.literal('b') })]),
      h: z.object({ n: z.number().gt(0).lte(10) }).catchall(z.string()),
      i: z.looseObject({ any: z.any() }),
      j: z.string().meta({ title: 'T', examples: ['e'] }),
      k: z.string().regex(/^[a-z]+$/),
      l: z.email(),
    }),
    'a schema reused in two places': (() => {
      const shared = z.object({ id: z.string().describe('the id') }).optional();
      return z.object({ first: shared, second: shared, list: z.array(shared) });
    })(),
  };
  it.each(Object.entries(cases))('converts %s exactly as zod does, both ways', (_, schema) => {
    expectSame(schema, 'input');
    expectSame(schema, 'output');
  });

  const Node: z.ZodType = z.lazy(() => z.object({ children: z.array(Node) }));
  const unsupported: Record<string, z.ZodType> = {
    'a recursive schema': z.object({ tree: Node }),
    'a transform': z.object({ n: z.string().transform((s) => s.length) }),
    'a pipe': z.object({ n: z.string().pipe(z.string()) }),
    'a tuple': z.object({ pair: z.tuple([z.string(), z.number()]) }),
    'an intersection': z.object({
      both: z.intersection(z.object({ a: z.string() }), z.object({ b: z.string() })),
    }),
    'a schema with an id': z.object({ a: z.string().meta({ id: 'A' }) }),
    'a record with enum keys': z.object({ r: z.record(z.enum(['a', 'b']), z.string()) }),
  };
  it.each(Object.entries(unsupported))('leaves %s to zod (undefined)', (_, schema) => {
    expect(fastJsonSchema(schema, 'input')).toBeUndefined();
    expect(fastJsonSchema(schema, 'output')).toBeUndefined();
  });
});
