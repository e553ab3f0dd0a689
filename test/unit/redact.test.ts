/**
 * Redaction of the usual encodings of every configured secret (issue 17 part 3): case changes, a key split
 * by spaces or invisible characters, URL-encoding, hex and base64 (standard and URL-safe, alone or inside a
 * larger base64 text), in plain text, in JSON text and in log lines.
 */
import { describe, expect, it } from 'vitest';
import { containsSecret, redact, registerSecret } from '../../src/http/redact.js';
import { createLogger } from '../../src/log.js';

const KEY = 'sk_live_9fA3kQ72mZpL0xRt/Zq+w';
registerSecret(KEY);

const shapes: Array<[string, string]> = [
  ['as is', KEY],
  ['upper case', KEY.toUpperCase()],
  ['lower case', KEY.toLowerCase()],
  ['split by spaces', 'sk_live_ 9fA3 kQ72 mZpL0x Rt/Zq+w'],
  ['split by a newline and a tab', 'sk_live_9fA3\nkQ72\tmZpL0xRt/Zq+w'],
  ['split by zero-width spaces', 'sk_live_9fA3\u200BkQ72\u200BmZpL0xRt/Zq+w'],
  ['split by spaces, upper case', 'SK_LIVE_ 9FA3 KQ72 MZPL0X RT/ZQ+W'],
  ['split by JSON-escaped whitespace', 'sk_live_9fA3\\nkQ72\\tmZpL0xRt/Zq+w'],
  ['split by a tag character', 'sk_live_9fA3\u{E0020}kQ72mZpL0xRt/Zq+w'],
  ['URL-encoded', encodeURIComponent(KEY)],
  ['URL-encoded, lower-case hex', encodeURIComponent(KEY).toLowerCase()],
  [
    'every byte percent-encoded',
    [...Buffer.from(KEY)].map((b) => `%${b.toString(16).toUpperCase()}`).join(''),
  ],
  ['hex', Buffer.from(KEY).toString('hex')],
  ['base64', Buffer.from(KEY).toString('base64')],
  ['base64 without padding', Buffer.from(KEY).toString('base64').replace(/=+$/, '')],
  ['base64url', Buffer.from(KEY).toString('base64url')],
];

describe('redact: every encoding of a registered secret', () => {
  it.each(shapes)('%s', (_name, shape) => {
    const text = `before ${shape} after`;
    expect(containsSecret(text)).toBe(true);
    const out = redact(text);
    expect(out).toBe('before [REDACTED] after');
  });

  it.each([
    ['a Basic credential', (k: string) => Buffer.from(`user:${k}`).toString('base64')],
    ['one byte ahead', (k: string) => Buffer.from(`x${k}yz`).toString('base64')],
    ['two bytes ahead, URL-safe', (k: string) => Buffer.from(`xy${k}z`).toString('base64url')],
  ])('inside a larger base64 text: %s', (_name, encode) => {
    const blob = encode(KEY);
    const out = redact(`Authorization: Basic ${blob}`);
    expect(out).toContain('[REDACTED]');
    // What is left of the blob is its prefix and a few characters around the marker, not the key.
    const left = out.replace('Authorization: Basic ', '').replace('[REDACTED]', '');
    expect(left.length).toBeLessThanOrEqual(16);
    expect(containsSecret(blob)).toBe(true);
  });

  it('in JSON text (a split key JSON-escapes its newline), which stays valid JSON', () => {
    const json = JSON.stringify({
      note: 'sk_live_9fA3\nkQ72mZpL0xRt/Zq+w',
      b64: Buffer.from(KEY).toString('base64'),
    });
    expect(containsSecret(json)).toBe(true);
    expect(JSON.parse(redact(json))).toEqual({ note: '[REDACTED]', b64: '[REDACTED]' });
  });

  it('leaves ordinary text alone, and a secret shown once is kept only where asked', () => {
    const text = 'Payment webhook failing for tenant acme; see sk_live docs';
    expect(containsSecret(text)).toBe(false);
    expect(redact(text)).toBe(text);
    const keep = new Set([KEY]);
    expect(redact(`new key ${KEY}`, keep)).toBe(`new key ${KEY}`);
    expect(containsSecret(`new key ${KEY}`, keep)).toBe(false);
  });

  it('is not fooled by near misses: the start of the key many times over, split or cut', () => {
    const text = `${'sk_live_9fA3 kQ72 mZpL0x '.repeat(40)} sk sk_ s k_live ${KEY.slice(0, -1)}`;
    expect(containsSecret(text)).toBe(false);
    expect(redact(text)).toBe(text);
  });

  it('a secret with non-ASCII characters, split by spaces and in another case', () => {
    const key = 'clé-Σecret-ÄÖÜ-42';
    registerSecret(key);
    const text = `before CLÉ-ΣECRET -äöü-42 after`;
    expect(containsSecret(text)).toBe(true);
    expect(redact(text)).toBe('before [REDACTED] after');
  });

  it('in log lines', () => {
    const lines: string[] = [];
    const log = createLogger('debug', (l) => lines.push(l));
    log.warn(`upstream echoed ${Buffer.from(KEY).toString('base64url')}`, {
      header: KEY.toUpperCase(),
      spaced: 'sk_live_ 9fA3 kQ72 mZpL0x Rt/Zq+w',
    });
    log.error('failed', new Error(`key=${encodeURIComponent(KEY)}`));
    const all = lines.join('');
    for (const [, shape] of shapes) expect(all).not.toContain(shape);
    expect(all.match(/\[REDACTED\]/g)?.length).toBe(4);
  });
});
