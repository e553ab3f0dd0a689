/**
 * Malformed frames written by hand to the BUILT server's stdin: garbage bytes, invalid JSON, invalid UTF-8,
 * a 10 MB line, wrong JSON-RPC shapes, unknown methods. Each gets the JSON-RPC error the protocol requires
 * (or, for notifications and stray responses, no answer), and the server keeps serving: every case is
 * followed by a ping whose answer proves it, and whose arrival also bounds the wait for the case's own answer
 * (the server reads lines in order and answers a bad line before it reads the next one).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childEnv, cleanup, RawStdio, type RpcMessage } from '../e2e/spawn.js';

const PARSE_ERROR = -32700;
const INVALID_REQUEST = -32600;
const METHOD_NOT_FOUND = -32601;
const INVALID_PARAMS = -32602;
const TEN_MB = 10 * 1024 * 1024;

let raw: RawStdio;
let cases = 0;

beforeAll(async () => {
  raw = new RawStdio(['--sandbox'], childEnv());
  const init = await raw.initialize();
  expect(init.result?.serverInfo).toMatchObject({ name: 'syn-mcp' });
});

afterAll(async () => {
  process.stderr.write(
    `fuzz raw stdio: ${cases} malformed frames, each followed by a ping that was answered\n`,
  );
  await cleanup();
});

/** Writes `bytes` as one line, then pings; resolves to what the server wrote in answer to the line. */
async function send(bytes: string | Buffer): Promise<RpcMessage[]> {
  const before = raw.proc.stdout.lines().length;
  const line = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
  raw.proc.child.stdin?.write(Buffer.concat([line, Buffer.from('\n')]));
  const pong = await raw.request('ping');
  expect(pong.result, 'the server still answers a ping').toEqual({});
  cases++;
  return raw.proc.stdout
    .lines()
    .slice(before)
    .map((l) => JSON.parse(l) as RpcMessage)
    .filter((m) => m.id !== pong.id);
}

function errorOf(answers: RpcMessage[]): { id: unknown; code: number | undefined } {
  expect(answers, JSON.stringify(answers).slice(0, 500)).toHaveLength(1);
  const [answer] = answers;
  expect(answer?.result).toBeUndefined();
  return { id: answer?.id, code: answer?.error?.code };
}

const request = (id: string, method: string, params?: unknown) =>
  JSON.stringify({ jsonrpc: '2.0', id, method, ...(params === undefined ? {} : { params }) });

/** [case, line, expected answer: the error code and id, or 'none' where the protocol gives no answer]. */
const TABLE: Array<[string, string | Buffer, { code: number; id: string | null } | 'none']> = [
  ['garbage text', 'garbage here', { code: PARSE_ERROR, id: null }],
  ['truncated JSON', '{"jsonrpc":"2.0","id":"t1",', { code: PARSE_ERROR, id: null }],
  ['invalid UTF-8 bytes', Buffer.from([0xff, 0xfe, 0x7b, 0x80]), { code: PARSE_ERROR, id: null }],
  [
    'invalid UTF-8 inside a valid request',
    Buffer.concat([
      Buffer.from('{"jsonrpc":"2.0","id":"t2","method":"ping","params":{"x":"'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('"}}'),
    ]),
    { code: PARSE_ERROR, id: null },
  ],
  ['a NUL byte', '\u0000', { code: PARSE_ERROR, id: null }],
  ['a JSON number', '42', { code: INVALID_REQUEST, id: null }],
  ['a batch array', '[1,2,3]', { code: INVALID_REQUEST, id: null }],
  ['an empty batch', '[]', { code: INVALID_REQUEST, id: null }],
  [
    'wrong jsonrpc version',
    '{"jsonrpc":"1.0","id":"t3","method":"ping"}',
    { code: INVALID_REQUEST, id: 't3' },
  ],
  ['no jsonrpc member', '{"id":"t4","method":"ping"}', { code: INVALID_REQUEST, id: 't4' }],
  ['an object id', '{"jsonrpc":"2.0","id":{"a":1},"method":"ping"}', { code: INVALID_REQUEST, id: null }],
  [
    'a method that is a number',
    '{"jsonrpc":"2.0","id":"t5","method":7}',
    { code: INVALID_REQUEST, id: null },
  ],
  ['params that are a string', request('t6', 'tools/call', 'x'), { code: INVALID_REQUEST, id: 't6' }],
  ['an unknown method', request('t7', 'no/such/method', {}), { code: METHOD_NOT_FOUND, id: 't7' }],
  ['tools/call without a name', request('t8', 'tools/call', {}), { code: INVALID_PARAMS, id: 't8' }],
  [
    'tools/call with array arguments',
    request('t9', 'tools/call', { name: 'list_incidents', arguments: [1] }),
    { code: INVALID_PARAMS, id: 't9' },
  ],
  [
    'logging/setLevel with a bad level',
    request('t10', 'logging/setLevel', { level: 'loud' }),
    { code: INVALID_PARAMS, id: 't10' },
  ],
  ['an unknown notification', '{"jsonrpc":"2.0","method":"notifications/nothing"}', 'none'],
  ['a response nobody asked for', '{"jsonrpc":"2.0","id":"t11","result":{}}', 'none'],
  ['an empty line', '', 'none'],
  ['a line of spaces', '    \t ', 'none'],
  ['a 10 MB line of garbage', 'x'.repeat(TEN_MB), { code: INVALID_REQUEST, id: null }],
  [
    "a 10 MB tools/call (its id read from the line's end)",
    request('t12', 'tools/call', { name: 'send_event', arguments: { integrationKey: 'k'.repeat(TEN_MB) } }),
    { code: INVALID_REQUEST, id: 't12' },
  ],
];

describe('malformed frames on stdio get JSON-RPC errors and the server keeps serving', {
  timeout: 60_000,
}, () => {
  it.each(TABLE)('%s', async (_name, line, expected) => {
    const answers = await send(line);
    if (expected === 'none') {
      expect(answers).toEqual([]);
      return;
    }
    expect(errorOf(answers)).toEqual({ id: expected.id, code: expected.code });
  });

  it('random bytes: at most one answer, always an error with id null', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 300 }), async (bytes) => {
        const answers = await send(Buffer.from(bytes.filter((b) => b !== 0x0a)));
        expect(answers.length).toBeLessThanOrEqual(1);
        for (const a of answers) {
          expect(a.id).toBeNull();
          expect([PARSE_ERROR, INVALID_REQUEST]).toContain(a.error?.code);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('random JSON-RPC shapes with unknown methods: an error where an answer is due, never a result', async () => {
    const shape = fc.record(
      {
        jsonrpc: fc.constantFrom('2.0', '2.0', '1.0', 2),
        id: fc.oneof(
          fc.integer({ min: -1e9, max: -1 }),
          fc.string({ maxLength: 8 }),
          fc.constant(null),
          fc.object({ maxDepth: 1 }),
        ),
        method: fc.oneof(
          fc.string({ maxLength: 12 }).map((m) => `x/${m}`),
          fc.integer(),
        ),
        params: fc.oneof(fc.object({ maxDepth: 2 }), fc.jsonValue({ maxDepth: 2 })),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(shape, async (message) => {
        const answers = await send(JSON.stringify(message));
        expect(answers.length).toBeLessThanOrEqual(1);
        const answer = answers[0];
        if (!answer) return;
        expect(answer.result).toBeUndefined();
        expect([INVALID_REQUEST, METHOD_NOT_FOUND]).toContain(answer.error?.code);
        const sentId = (message as { id?: unknown }).id;
        expect(answer.id === null || answer.id === sentId).toBe(true);
      }),
      { numRuns: 80 },
    );
  });

  it('a valid tool call is answered after all of that, and stderr did not echo the input', async () => {
    const res = await raw.request('tools/call', { name: 'list_incidents', arguments: {} });
    expect(res.error).toBeUndefined();
    expect(res.result?.isError).not.toBe(true);
    expect(raw.proc.child.exitCode).toBeNull();
    expect(raw.proc.stderr.text.length).toBeLessThan(256 * 1024);
    expect(raw.proc.stderr.text).not.toMatch(/failed unexpectedly|fatal/);
    expect(cases).toBeGreaterThan(TABLE.length);
  });
});
