/**
 * Sealed request state (src/confirm/state.ts): what opens, and every way a state is refused (malformed,
 * tampered, sealed under another key, bound to another call, expired, reused), with an injected clock.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { argsDigest, canonicalJson } from '../../src/confirm/digest.js';
import { parseStateKey, STATE_KEY_BYTES, stateKeyForms } from '../../src/confirm/key.js';
import { MemoryNonceStore } from '../../src/confirm/nonces.js';
import {
  createStateSealer,
  DEFAULT_STATE_TTL_MS,
  MAX_STATE_CHARS,
  type StateBinding,
  StateError,
  type StateFault,
} from '../../src/confirm/state.js';

const KEY = Uint8Array.from(randomBytes(STATE_KEY_BYTES));
const BINDING: StateBinding = {
  kind: 'confirm',
  tool: 'delete_account',
  args: { accountId: 'acc_123' },
  principal: '',
};

/** A clock the test moves by hand. */
function clock(start = 1_800_000_000_000): { now: () => number; advance(ms: number): void } {
  let t = start;
  return {
    now: () => t,
    advance(ms) {
      t += ms;
    },
  };
}

/** The fault `promise` was refused with (fails the test when it opened). */
async function faultOf(promise: Promise<unknown>): Promise<StateFault> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(StateError);
    return (err as StateError).fault;
  }
  throw new Error('expected the state to be refused');
}

/** `token` with one bit flipped in its decoded byte at `index` (negative counts from the end). */
function flip(token: string, index: number): string {
  const raw = Buffer.from(token.slice(3), 'base64url');
  const at = index < 0 ? raw.length + index : index;
  raw[at] = (raw[at] ?? 0) ^ 0x01;
  return `s1.${raw.toString('base64url')}`;
}

describe('sealed request state', () => {
  it('opens for the same call and gives back the sealed data', async () => {
    const sealer = createStateSealer({ key: KEY });
    const token = sealer.seal(BINDING, { runId: 'run_9', round: 2 });
    expect(token).toMatch(/^s1\.[A-Za-z0-9_-]+$/);
    await expect(sealer.open(token, BINDING)).resolves.toEqual({ runId: 'run_9', round: 2 });
    const bare = sealer.seal(BINDING);
    await expect(sealer.open(bare, BINDING)).resolves.toBeUndefined();
  });

  it('hides what it holds: neither the data, the tool, the arguments nor the caller appear in the token', () => {
    const sealer = createStateSealer({ key: KEY });
    const token = sealer.seal({ ...BINDING, principal: 'team-alpha' }, { runId: 'run_secret_42' });
    const decoded = Buffer.from(token.slice(3), 'base64url').toString('latin1');
    for (const visible of ['run_secret_42', 'delete_account', 'acc_123', 'team-alpha', 'confirm']) {
      expect(token).not.toContain(visible);
      expect(decoded).not.toContain(visible);
    }
    // A fresh IV and nonce each time: the same call never gives the same token twice.
    expect(sealer.seal(BINDING)).not.toBe(sealer.seal(BINDING));
  });

  it('binds the arguments by their canonical form: key order does not matter, any value does', async () => {
    const sealer = createStateSealer({ key: KEY });
    const binding = { ...BINDING, tool: 'update_ticket', args: { a: 1, b: { x: [1, 2], y: 'z' } } };
    await expect(
      sealer.open(sealer.seal(binding), { ...binding, args: { b: { y: 'z', x: [1, 2] }, a: 1 } }),
    ).resolves.toBeUndefined();
    for (const other of [
      { a: 2, b: { x: [1, 2], y: 'z' } },
      { a: 1, b: { x: [2, 1], y: 'z' } },
      { a: 1, b: { x: [1, 2], y: 'z', w: true } },
      { a: '1', b: { x: [1, 2], y: 'z' } },
      { a: 1 },
    ]) {
      expect(await faultOf(sealer.open(sealer.seal(binding), { ...binding, args: other }))).toBe('mismatch');
    }
  });

  it('refuses a state presented for another kind of round, tool, arguments or caller (mismatch)', async () => {
    const sealer = createStateSealer({ key: KEY });
    const others: StateBinding[] = [
      { ...BINDING, kind: 'synapse-human' },
      { ...BINDING, tool: 'delete_integration' },
      { ...BINDING, args: { accountId: 'acc_124' } },
      { ...BINDING, principal: 'mallory' },
    ];
    for (const other of others) {
      expect(await faultOf(sealer.open(sealer.seal(BINDING), other))).toBe('mismatch');
    }
    const forAlice = sealer.seal({ ...BINDING, principal: 'alice' });
    expect(await faultOf(sealer.open(forAlice, BINDING))).toBe('mismatch');
    await expect(sealer.open(forAlice, { ...BINDING, principal: 'alice' })).resolves.toBeUndefined();
  });

  it('does not spend a state presented for the wrong call: the right call can still use it', async () => {
    const sealer = createStateSealer({ key: KEY });
    const token = sealer.seal(BINDING);
    expect(await faultOf(sealer.open(token, { ...BINDING, args: { accountId: 'acc_999' } }))).toBe(
      'mismatch',
    );
    await expect(sealer.open(token, BINDING)).resolves.toBeUndefined();
  });

  it('opens a state once: the second use is refused as reused', async () => {
    const sealer = createStateSealer({ key: KEY });
    const token = sealer.seal(BINDING);
    await sealer.open(token, BINDING);
    expect(await faultOf(sealer.open(token, BINDING))).toBe('reused');
    // Another state of the same call is its own: it opens once too.
    const next = sealer.seal(BINDING);
    await expect(sealer.open(next, BINDING)).resolves.toBeUndefined();
    expect(await faultOf(sealer.open(next, BINDING))).toBe('reused');
  });

  it('expires after its TTL (10 minutes by default), by the injected clock', async () => {
    const time = clock();
    const sealer = createStateSealer({ key: KEY, now: time.now });
    expect(sealer.ttlMs).toBe(DEFAULT_STATE_TTL_MS);
    expect(DEFAULT_STATE_TTL_MS).toBe(600_000);
    const early = sealer.seal(BINDING);
    const late = sealer.seal(BINDING);
    time.advance(DEFAULT_STATE_TTL_MS - 1);
    await expect(sealer.open(early, BINDING)).resolves.toBeUndefined();
    time.advance(1);
    expect(await faultOf(sealer.open(late, BINDING))).toBe('expired');

    const short = createStateSealer({ key: KEY, now: time.now, ttlMs: 1_000 });
    const token = short.seal(BINDING);
    time.advance(1_000);
    expect(await faultOf(short.open(token, BINDING))).toBe('expired');
  });

  it('refuses a token with any bit changed (IV, ciphertext, tag) as tampered', async () => {
    const sealer = createStateSealer({ key: KEY });
    const token = sealer.seal(BINDING, { runId: 'r' });
    const length = Buffer.from(token.slice(3), 'base64url').length;
    for (const index of [0, 11, 12, 20, length - 17, length - 16, -1]) {
      expect(await faultOf(sealer.open(flip(token, index), BINDING))).toBe('tampered');
    }
    // Cut short or lengthened.
    const raw = Buffer.from(token.slice(3), 'base64url');
    expect(
      await faultOf(sealer.open(`s1.${raw.subarray(0, raw.length - 1).toString('base64url')}`, BINDING)),
    ).toBe('tampered');
    expect(
      await faultOf(sealer.open(`s1.${Buffer.concat([raw, Buffer.of(0)]).toString('base64url')}`, BINDING)),
    ).toBe('tampered');
    // The untouched token still opens: refusals spent nothing.
    await expect(sealer.open(token, BINDING)).resolves.toEqual({ runId: 'r' });
  });

  it('refuses a state sealed under another key (a replica with a different SYN_MCP_STATE_KEY)', async () => {
    const mine = createStateSealer({ key: KEY });
    const theirs = createStateSealer({ key: Uint8Array.from(randomBytes(STATE_KEY_BYTES)) });
    const fresh = createStateSealer();
    expect(await faultOf(mine.open(theirs.seal(BINDING), BINDING))).toBe('tampered');
    expect(await faultOf(mine.open(fresh.seal(BINDING), BINDING))).toBe('tampered');
    // Two processes without a configured key each draw their own.
    expect(await faultOf(createStateSealer().open(createStateSealer().seal(BINDING), BINDING))).toBe(
      'tampered',
    );
  });

  it('opens on another replica that shares the key, and the shared nonce store refuses a replay there', async () => {
    const nonces = new MemoryNonceStore();
    const a = createStateSealer({ key: KEY, nonces });
    const b = createStateSealer({ key: Uint8Array.from(KEY), nonces });
    const token = a.seal(BINDING);
    await expect(b.open(token, BINDING)).resolves.toBeUndefined();
    expect(await faultOf(a.open(token, BINDING))).toBe('reused');
  });

  it('refuses malformed tokens before any decryption', async () => {
    const sealer = createStateSealer({ key: KEY });
    const good = sealer.seal(BINDING);
    for (const bad of [
      '',
      'hello',
      's1.',
      's1.!!!',
      `s2.${good.slice(3)}`,
      ` ${good}`,
      `${good}\n`,
      's1.AAAA',
      `s1.${'A'.repeat(MAX_STATE_CHARS)}`,
      JSON.stringify({ k: 'confirm' }),
    ]) {
      expect(await faultOf(sealer.open(bad, BINDING))).toBe('malformed');
    }
  });

  it('words each refusal so the caller knows what to do, and never echoes the token', async () => {
    const sealer = createStateSealer({ key: KEY });
    const token = sealer.seal(BINDING);
    const errors: StateError[] = [];
    for (const attempt of [
      sealer.open('junk', BINDING),
      sealer.open(flip(token, 5), BINDING),
      sealer.open(token, { ...BINDING, tool: 'delete_memory' }),
    ]) {
      await attempt.catch((err: StateError) => errors.push(err));
    }
    await sealer.open(token, BINDING);
    await sealer.open(token, BINDING).catch((err: StateError) => errors.push(err));
    expect(errors.map((e) => e.fault)).toEqual(['malformed', 'tampered', 'mismatch', 'reused']);
    for (const err of errors) {
      expect(err.message).toMatch(/Nothing was done; call the tool again without requestState/);
      expect(err.message).not.toContain(token.slice(3, 20));
    }
    expect(errors[1]?.message).toMatch(/SYN_MCP_STATE_KEY/);
  });

  it('refuses a key that is not 32 bytes', () => {
    expect(() => createStateSealer({ key: new Uint8Array(16) })).toThrow(/32 bytes needed, 16 given/);
  });
});

describe('the canonical argument digest', () => {
  it('sorts object keys at every depth, keeps array order and follows JSON for undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { f: 1, e: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[3,{"e":2,"f":1}]},"b":1}',
    );
    expect(canonicalJson({ a: undefined, b: [undefined, 1] })).toBe('{"b":[null,1]}');
    expect(canonicalJson(undefined)).toBe('null');
    expect(canonicalJson('x')).toBe('"x"');
    expect(canonicalJson({ ['__proto__']: { polluted: true } })).toBe('{"__proto__":{"polluted":true}}');
  });

  it('is a 256-bit digest equal for equal arguments and different for different ones', () => {
    expect(argsDigest({ x: 1, y: 2 })).toBe(argsDigest({ y: 2, x: 1 }));
    expect(argsDigest({ x: 1 })).not.toBe(argsDigest({ x: '1' }));
    expect(argsDigest({})).not.toBe(argsDigest([]));
    expect(Buffer.from(argsDigest({}), 'base64url')).toHaveLength(32);
  });
});

describe('SYN_MCP_STATE_KEY values', () => {
  const bytes = randomBytes(32);

  it('reads 64 hex digits (either case) and base64 (standard, URL-safe, padded or not)', () => {
    for (const text of [
      bytes.toString('hex'),
      bytes.toString('hex').toUpperCase(),
      bytes.toString('base64'),
      bytes.toString('base64').replace(/=$/, ''),
      bytes.toString('base64url'),
      `  ${bytes.toString('base64')}\n`,
    ]) {
      expect(Buffer.from(parseStateKey(text)).equals(bytes)).toBe(true);
    }
  });

  it('refuses other lengths and alphabets without echoing the value', () => {
    for (const text of [
      '',
      'short-key',
      randomBytes(16).toString('hex'),
      randomBytes(31).toString('base64'),
      randomBytes(33).toString('base64'),
      randomBytes(48).toString('hex'),
      `${bytes.toString('hex').slice(0, 63)}g`,
      `${bytes.toString('base64').slice(0, 42)}*=`,
    ]) {
      let message = '';
      try {
        parseStateKey(text);
      } catch (err) {
        message = (err as Error).message;
      }
      expect(message).toMatch(/not a 32-byte key: give 64 hex digits or 32 bytes in base64/);
      if (text.length > 3) expect(message).not.toContain(text.trim());
    }
  });

  it('lists every text form of a key for redaction', () => {
    const forms = stateKeyForms(bytes.toString('base64url'));
    expect(forms).toEqual(
      expect.arrayContaining([
        bytes.toString('hex'),
        bytes.toString('base64'),
        bytes.toString('base64').replace(/=+$/, ''),
        bytes.toString('base64url'),
      ]),
    );
  });
});
