import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { InputError } from '../../src/errors.js';
import { applyProfile, DEFAULT_PROFILE, normaliseArgs, PROFILES } from '../../src/profiles.js';
import { toPublishedSchema } from '../../src/schema.js';
import { TOOLSETS } from '../../tools/index.js';
import { openAiStrictViolations, untypedFields } from '../clients/rules.js';

const published = (shape: z.ZodRawShape) => toPublishedSchema(z.strictObject(shape), 'input');
const props = (schema: unknown) => (schema as { properties: Record<string, unknown> }).properties;
const tool = (name: string) => {
  const found = TOOLSETS.flatMap((ts) => ts.tools).find((t) => t.name === name);
  if (!found) throw new Error(`no tool ${name}`);
  return found;
};

/** The InputError a normalisation throws, or undefined. */
function refusal(schema: Record<string, unknown>, args: unknown): InputError | undefined {
  try {
    normaliseArgs(schema, args);
    return undefined;
  } catch (err) {
    if (err instanceof InputError) return err;
    throw err;
  }
}

describe('the profile a client gets', () => {
  it('the default is the strict one, and every profile is still there to force', () => {
    expect(DEFAULT_PROFILE).toBe('openai');
    expect(PROFILES).toEqual(['claude', 'openai', 'gemini']);
  });
});

describe('the strict (openai) profile: a type on every node', () => {
  const schema = published({
    any: z.unknown().describe('Any value.'),
    maybeAny: z.unknown().optional().describe('Maybe any.'),
    text: z.union([z.string(), z.string().min(3)]).describe('Two strings.'),
    textOrObject: z.union([z.string(), z.record(z.string(), z.unknown())]).describe('Text or object.'),
    answers: z.union([z.record(z.string(), z.string()), z.string()]).describe('Answers.'),
    scalars: z.union([z.string(), z.number()]).optional().describe('A string or a number.'),
    kinds: z
      .union([z.enum(['a', 'b']), z.literal('c')])
      .optional()
      .describe('A kind.'),
    structured: z.union([z.array(z.string()), z.object({ id: z.string() })]).describe('A list or an object.'),
    nullable: z.string().nullable().describe('Or null.'),
    list: z.array(z.unknown()).optional().describe('Values.'),
  });
  const strict = applyProfile(schema, 'openai');
  const p = props(strict);

  it('passes the documented strict rules, with no anyOf and no untyped field', () => {
    expect(openAiStrictViolations(strict)).toEqual([]);
    expect(untypedFields(strict)).toEqual([]);
    expect(JSON.stringify(strict)).not.toContain('anyOf');
  });

  it('publishes a union of same-typed branches as that type, saying what a string may hold', () => {
    expect(p.text).toEqual({ type: 'string', description: 'Two strings.' });
    expect(p.textOrObject).toEqual({
      type: 'string',
      description: 'Text or object. (text, or a JSON object encoded as a string)',
    });
    expect(p.answers).toEqual({
      type: 'string',
      description: 'Answers. (a JSON object encoded as a string, or text)',
    });
    expect(p.kinds).toEqual({
      type: ['string', 'null'],
      enum: ['a', 'b', 'c', null],
      description: 'A kind.',
    });
  });

  it('publishes scalars of several types as a type array, and a structured union as JSON text', () => {
    expect(p.scalars).toEqual({ type: ['string', 'number', 'null'], description: 'A string or a number.' });
    expect(p.structured).toEqual({
      type: 'string',
      description: 'A list or an object. (a JSON value encoded as a string)',
    });
  });

  it('gives an unconstrained value its scalar types, objects and arrays as JSON text', () => {
    const any = { type: ['string', 'number', 'boolean', 'null'] };
    expect(p.any).toEqual({
      ...any,
      description: 'Any value. (any JSON value; an object or array as JSON text)',
    });
    expect(p.maybeAny).toMatchObject(any);
    expect(p.list).toMatchObject({ type: ['array', 'null'], items: any });
    expect(p.nullable).toEqual({ type: ['string', 'null'], description: 'Or null.' });
  });

  it('gives every tool of the registry a type on every node', () => {
    for (const t of TOOLSETS.flatMap((ts) => ts.tools)) {
      const s = applyProfile(toPublishedSchema(t.input, 'input'), 'openai');
      expect(openAiStrictViolations(s), t.name).toEqual([]);
    }
  });
});

describe('the gemini profile', () => {
  it('merges same-typed unions too, and offers an unconstrained value as anyOf of scalars', () => {
    const s = applyProfile(
      published({
        doc: z.union([z.string(), z.record(z.string(), z.unknown())]).describe('Doc.'),
        value: z.unknown().optional().describe('Value.'),
      }),
      'gemini',
    );
    expect(props(s).doc).toEqual({
      type: 'string',
      description: 'Doc. (text, or a JSON object encoded as a string)',
    });
    expect(props(s).value).toMatchObject({
      anyOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }],
      nullable: true,
    });
  });
});

describe('normaliseArgs: what a JSON-string argument accepts', () => {
  const send = toPublishedSchema(tool('send_event').input, 'input');

  it('takes a free-form object encoded as a string, or the object itself', () => {
    expect(normaliseArgs(send, { rawPayload: '{"a":1}' })).toEqual({ rawPayload: { a: 1 } });
    expect(normaliseArgs(send, { rawPayload: { a: 1 } })).toEqual({ rawPayload: { a: 1 } });
    expect(normaliseArgs(send, { rawPayload: null, errorCode: null })).toEqual({});
  });

  it.each([
    ['a=1', 'text that does not parse as JSON'],
    ['[1,2]', 'a JSON array, not an object'],
    ['42', 'a JSON number, not an object'],
    ['"{}"', 'a JSON string, not an object'],
    ['null', 'JSON null, not an object'],
  ])('refuses %s for a free-form object, saying what it must be', (text, got) => {
    const err = refusal(send, { rawPayload: text });
    expect(err?.issues).toEqual([
      {
        path: 'rawPayload',
        message: `expected a JSON object encoded as a string, such as "{\\"key\\": \\"value\\"}" (or the object itself); got ${got}`,
      },
    ]);
  });

  it('names the nested path of a refused value', () => {
    const s = published({ items: z.array(z.object({ meta: z.record(z.string(), z.unknown()) })) });
    expect(refusal(s, { items: [{ meta: {} }, { meta: 'x' }] })?.issues[0]?.path).toBe('items.1.meta');
  });

  it('resume_orchestration_run: answers sent as a JSON object encoded as a string arrive as the object, typed', () => {
    const resume = toPublishedSchema(tool('resume_orchestration_run').input, 'input');
    const answers = { approved: true, channel: ['blog', 'newsletter'], budget: 3, notes: 'ship it' };
    expect(normaliseArgs(resume, { run_id: 'r1', response: JSON.stringify(answers) })).toEqual({
      run_id: 'r1',
      response: answers,
    });
    // Free text is not an object of answers: refused with what the argument must be, nothing sent.
    const refused = refusal(resume, { run_id: 'r1', response: 'yes, ship it' });
    expect(refused?.issues.map((i) => `${i.path}: ${i.message}`).join('; ')).toMatch(
      /response: .*JSON object/,
    );
  });

  it('add_memory: text stays text, a JSON object encoded as a string becomes the object', () => {
    const add = toPublishedSchema(tool('add_memory').input, 'input');
    expect(normaliseArgs(add, { document: 'Alice prefers email' })).toEqual({
      document: 'Alice prefers email',
    });
    expect(normaliseArgs(add, { document: ' {"customer":"acme"}' })).toEqual({
      document: { customer: 'acme' },
    });
    expect(normaliseArgs(add, { document: '{not json' })).toEqual({ document: '{not json' });
  });

  it('a union that takes no text refuses a string that is not its JSON', () => {
    const s = published({ v: z.union([z.array(z.string()), z.object({ id: z.string() })]) });
    expect(normaliseArgs(s, { v: '["a"]' })).toEqual({ v: ['a'] });
    expect(normaliseArgs(s, { v: '{"id":"x"}' })).toEqual({ v: { id: 'x' } });
    expect(refusal(s, { v: 'a' })?.issues[0]?.message).toMatch(/^expected a JSON value encoded as a string/);
  });

  it('an unconstrained value: JSON object or array text is parsed, scalars stay as sent', () => {
    const patch = toPublishedSchema(tool('update_ticket').input, 'input');
    const op = (value: unknown) => ({ ticketId: 't', operations: [{ op: 'add', path: '/tags', value }] });
    const patched = (args: unknown) =>
      (args as { operations: Array<{ value?: unknown }> }).operations[0]?.value;
    expect(patched(normaliseArgs(patch, op('["a","b"]')))).toEqual(['a', 'b']);
    expect(patched(normaliseArgs(patch, op('{"k":1}')))).toEqual({ k: 1 });
    expect(patched(normaliseArgs(patch, op('42')))).toBe('42');
    expect(patched(normaliseArgs(patch, op('open')))).toBe('open');
    expect(patched(normaliseArgs(patch, op(true)))).toBe(true);
    expect(patched(normaliseArgs(patch, op(null)))).toBeUndefined();
  });
});
