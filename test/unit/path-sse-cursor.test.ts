import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '../../src/cursor.js';
import { InputError } from '../../src/errors.js';
import { buildPath } from '../../src/http/path.js';
import { readSse, type SseEvent } from '../../src/http/sse.js';

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

describe('buildPath', () => {
  it('fills placeholders and leaves the template around them', () => {
    expect(buildPath('/incidents/{id}/resolve', { id: 'inc_123' })).toBe('/incidents/inc_123/resolve');
    expect(buildPath('/v1/tokens/{accountId}/{integrationId}', { accountId: 'a', integrationId: 'b' })).toBe(
      '/v1/tokens/a/b',
    );
    expect(buildPath('/agents')).toBe('/agents');
    expect(buildPath('/items/{n}', { n: 42 })).toBe('/items/42');
    expect(buildPath('/items/{n}', { n: 0 })).toBe('/items/0');
  });

  it('encodes each value as one segment: / ? # space % and unicode', () => {
    expect(buildPath('/agents/{id}', { id: 'a/b' })).toBe('/agents/a%2Fb');
    expect(buildPath('/agents/{id}', { id: 'x?admin=1' })).toBe('/agents/x%3Fadmin%3D1');
    expect(buildPath('/agents/{id}', { id: 'x#frag' })).toBe('/agents/x%23frag');
    expect(buildPath('/agents/{id}', { id: 'my agent' })).toBe('/agents/my%20agent');
    expect(buildPath('/agents/{id}', { id: '100%' })).toBe('/agents/100%25');
    expect(buildPath('/agents/{id}', { id: 'üñï€' })).toBe('/agents/%C3%BC%C3%B1%C3%AF%E2%82%AC');
    expect(buildPath('/agents/{id}', { id: '../..' })).toBe('/agents/..%2F..');
    expect(buildPath('/agents/{id}', { id: '...' })).toBe('/agents/...');
    expect(buildPath('/agents/{id}', { id: '%2e%2e' })).toBe('/agents/%252e%252e');
  });

  it.each(['.', '..', ''])('rejects the value %j with an InputError naming the param', (value) => {
    const err = thrown(() => buildPath('/incidents/{id}/resolve', { id: value }));
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).issues.map((i) => i.path)).toEqual(['id']);
    expect((err as InputError).message).toContain('id');
  });

  it('rejects a missing param with an InputError', () => {
    const err = thrown(() => buildPath('/v1/tokens/{accountId}/{integrationId}', { accountId: 'a' }));
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).message).toBe('integrationId is required.');
    expect((err as InputError).issues).toEqual([{ path: 'integrationId', message: 'required' }]);
    expect(thrown(() => buildPath('/x/{id}'))).toBeInstanceOf(InputError);
  });

  it('shortens a long bad value in the message', () => {
    const err = thrown(() => buildPath('/files/{path*}', { path: `${'a'.repeat(100)}/../x` }));
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).message.length).toBeLessThan(120);
  });

  describe('{path*} multi-segment values', () => {
    it('keeps slashes between segments and encodes each segment', () => {
      expect(buildPath('/v1/storage/files/{path*}', { path: 'dir/sub/file name.txt' })).toBe(
        '/v1/storage/files/dir/sub/file%20name.txt',
      );
      expect(buildPath('/v1/storage/files/{path*}', { path: 'a?b/c#d/ü' })).toBe(
        '/v1/storage/files/a%3Fb/c%23d/%C3%BC',
      );
      expect(buildPath('/v1/storage/files/{path*}', { path: 'single' })).toBe('/v1/storage/files/single');
    });

    it('ignores one leading and one trailing slash', () => {
      expect(buildPath('/f/{path*}', { path: '/dir/file' })).toBe('/f/dir/file');
      expect(buildPath('/f/{path*}', { path: 'dir/' })).toBe('/f/dir');
      expect(buildPath('/f/{path*}', { path: '/dir/' })).toBe('/f/dir');
    });

    it.each(['', '/', '//', 'a//b', 'a/../b', '../etc/passwd', 'a/./b', './a', 'a/..', '..'])(
      'rejects %j',
      (value) => {
        const err = thrown(() => buildPath('/f/{path*}', { path: value }));
        expect(err).toBeInstanceOf(InputError);
        expect((err as InputError).issues[0]?.path).toBe('path');
      },
    );

    it('rejects a missing multi-segment param', () => {
      expect(thrown(() => buildPath('/f/{path*}', {}))).toBeInstanceOf(InputError);
    });
  });
});

const enc = new TextEncoder();

async function* chunks(parts: readonly (string | Uint8Array)[]): AsyncGenerator<Uint8Array> {
  for (const p of parts) yield typeof p === 'string' ? enc.encode(p) : p;
}

async function collect(parts: readonly (string | Uint8Array)[]): Promise<SseEvent[]> {
  const out: SseEvent[] = [];
  for await (const ev of readSse(chunks(parts))) out.push(ev);
  return out;
}

/** Splits bytes into chunks of `size` bytes. */
function bytesIn(text: string, size: number): Uint8Array[] {
  const all = enc.encode(text);
  const out: Uint8Array[] = [];
  for (let i = 0; i < all.length; i += size) out.push(all.slice(i, i + size));
  return out;
}

describe('readSse', () => {
  it('reads Synapse-style data lines with LF line ends', async () => {
    const events = await collect([
      'data: {"type":"session","session_id":"s1"}\n\n',
      'data: {"type":"response","content":"hi"}\n\ndata: {"type":"done"}\n\n',
    ]);
    expect(events).toEqual([
      { event: 'message', data: '{"type":"session","session_id":"s1"}' },
      { event: 'message', data: '{"type":"response","content":"hi"}' },
      { event: 'message', data: '{"type":"done"}' },
    ]);
    expect(events.map((e) => JSON.parse(e.data).type)).toEqual(['session', 'response', 'done']);
  });

  it('reads CRLF line ends', async () => {
    expect(await collect(['data: a\r\n\r\ndata: b\r\n\r\n'])).toEqual([
      { event: 'message', data: 'a' },
      { event: 'message', data: 'b' },
    ]);
  });

  it('reads CR line ends', async () => {
    expect(await collect(['data: a\r\rdata: b\r\r'])).toEqual([
      { event: 'message', data: 'a' },
      { event: 'message', data: 'b' },
    ]);
  });

  it('reads mixed line ends', async () => {
    expect(await collect(['data: a\r\ndata: b\ndata: c\r\r\n'])).toEqual([
      { event: 'message', data: 'a\nb\nc' },
    ]);
  });

  it('handles a line split across chunks', async () => {
    expect(await collect(['da', 'ta: hel', 'lo\n', '\n'])).toEqual([{ event: 'message', data: 'hello' }]);
  });

  it('treats a CRLF pair split across chunks as one line end', async () => {
    expect(await collect(['data: a\r', '\ndata: b\r', '\n\r', '\n'])).toEqual([
      { event: 'message', data: 'a\nb' },
    ]);
    expect(await collect(['data: a\r', '\r\n'])).toEqual([{ event: 'message', data: 'a' }]);
  });

  it('decodes multi-byte UTF-8 characters split across chunks', async () => {
    const text = 'data: {"msg":"café € 🎉 日本"}\n\n';
    const expected = [{ event: 'message', data: '{"msg":"café € 🎉 日本"}' }];
    for (const size of [1, 2, 3, 5, 7]) {
      expect(await collect(bytesIn(text, size))).toEqual(expected);
    }
    const euro = enc.encode('€'); // three bytes
    expect(
      await collect([
        enc.encode('data: '),
        euro.slice(0, 1),
        euro.slice(1, 2),
        euro.slice(2),
        enc.encode('\n\n'),
      ]),
    ).toEqual([{ event: 'message', data: '€' }]);
  });

  it('gives the same events whatever the chunking', async () => {
    const text =
      ': keep-alive\r\nevent: step\r\nid: 7\r\ndata: {"a":1}\r\ndata: {"b":"ü"}\r\n\r\n' +
      'data: plain\r\r' +
      'event: done\nid: 8\ndata: {"type":"done"}\n\n';
    const whole = await collect([text]);
    expect(whole).toEqual([
      { event: 'step', id: '7', data: '{"a":1}\n{"b":"ü"}' },
      { event: 'message', id: '7', data: 'plain' },
      { event: 'done', id: '8', data: '{"type":"done"}' },
    ]);
    for (const size of [1, 2, 3, 4, 13]) expect(await collect(bytesIn(text, size))).toEqual(whole);
  });

  it('joins multi-line data with \\n, keeps an empty data line, strips one leading space only', async () => {
    expect(await collect(['data: line1\ndata: line2\ndata\ndata:  indented\ndata:tight\n\n'])).toEqual([
      { event: 'message', data: 'line1\nline2\n\n indented\ntight' },
    ]);
  });

  it('ignores comments and unknown fields', async () => {
    expect(await collect([': ping\n\n:another\nretry: 1000\nfoo: bar\ndata: x\n\n'])).toEqual([
      { event: 'message', data: 'x' },
    ]);
  });

  it('reads event: and id: fields; the event name resets after each dispatch, the id persists', async () => {
    expect(await collect(['event: status\nid: 1\ndata: a\n\ndata: b\n\nid: 2\ndata: c\n\n'])).toEqual([
      { event: 'status', id: '1', data: 'a' },
      { event: 'message', id: '1', data: 'b' },
      { event: 'message', id: '2', data: 'c' },
    ]);
  });

  it('does not dispatch a block with no data, and clears its event name', async () => {
    expect(await collect(['event: lonely\n\ndata: x\n\n'])).toEqual([{ event: 'message', data: 'x' }]);
  });

  it('does not dispatch an unterminated last event', async () => {
    expect(await collect(['data: complete\n\ndata: partial'])).toEqual([
      { event: 'message', data: 'complete' },
    ]);
    expect(await collect(['data: complete\n\ndata: partial\n'])).toEqual([
      { event: 'message', data: 'complete' },
    ]);
    expect(await collect(['data: complete\n\ndata: partial\r'])).toEqual([
      { event: 'message', data: 'complete' },
    ]);
  });

  it('yields events as they arrive, before the stream ends', async () => {
    let released = false;
    async function* body(): AsyncGenerator<Uint8Array> {
      yield enc.encode('data: first\n\n');
      released = true;
      yield enc.encode('data: second\n\n');
    }
    const it = readSse(body());
    const first = await it.next();
    expect(first.value).toEqual({ event: 'message', data: 'first' });
    expect(released).toBe(false);
    const second = await it.next();
    expect(second.value).toEqual({ event: 'message', data: 'second' });
    expect((await it.next()).done).toBe(true);
  });

  it('skips a leading byte order mark', async () => {
    expect(await collect([new Uint8Array([0xef, 0xbb, 0xbf]), 'data: x\n\n'])).toEqual([
      { event: 'message', data: 'x' },
    ]);
  });
});

describe('cursor', () => {
  it('round-trips the paging state', () => {
    const state = { page: 3, pageSize: 50, chronic: true, status: 'closed' };
    const cursor = encodeCursor('list_incidents', state);
    expect(typeof cursor).toBe('string');
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor('list_incidents', cursor)).toEqual(state);
  });

  it('round-trips unicode and special characters in state', () => {
    const state = { start_after: 'account/ü?#&=', cursor: '' };
    expect(decodeCursor('list_accounts', encodeCursor('list_accounts', state))).toEqual(state);
  });

  it('refuses a cursor made by another tool', () => {
    const cursor = encodeCursor('list_incidents', { page: 2 });
    const err = thrown(() => decodeCursor('list_events', cursor));
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).message).toContain('list_events');
    expect((err as InputError).issues).toEqual([{ path: 'cursor', message: 'unknown cursor' }]);
  });

  it.each([
    ['garbage', 'not a cursor!!'],
    ['empty', ''],
    ['base64 of non-JSON', Buffer.from('hello world').toString('base64url')],
    ['JSON without t/s', Buffer.from('{"page":2}').toString('base64url')],
    ['state that is an array', Buffer.from('{"t":"list_incidents","s":[1,2]}').toString('base64url')],
    ['state that is null', Buffer.from('{"t":"list_incidents","s":null}').toString('base64url')],
    ['state that is a string', Buffer.from('{"t":"list_incidents","s":"x"}').toString('base64url')],
    ['JSON null', Buffer.from('null').toString('base64url')],
  ])('refuses %s', (_label, cursor) => {
    expect(thrown(() => decodeCursor('list_incidents', cursor))).toBeInstanceOf(InputError);
  });
});
