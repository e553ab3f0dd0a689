/**
 * The key that seals request state (SYN_MCP_STATE_KEY): 32 random bytes, written as 64 hex digits or as
 * base64 (standard or URL-safe, padding optional). Replicas behind one load balancer must share it, so a
 * state sealed by one verifies on another. Generate one with `openssl rand -base64 32`.
 */

/** Bytes of a state key. */
export const STATE_KEY_BYTES = 32;

const HEX = /^[0-9a-fA-F]{64}$/;
const BASE64 = /^[A-Za-z0-9+/_-]{43}=?$/;

/**
 * Decodes a state key; throws an Error whose message says what a valid key looks like (never the value,
 * which is a secret).
 */
export function parseStateKey(text: string): Uint8Array {
  const value = text.trim();
  if (HEX.test(value)) return Uint8Array.from(Buffer.from(value, 'hex'));
  if (BASE64.test(value)) {
    const bytes = Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (bytes.length === STATE_KEY_BYTES) return Uint8Array.from(bytes);
  }
  throw new Error(
    `not a ${STATE_KEY_BYTES}-byte key: give 64 hex digits or ${STATE_KEY_BYTES} bytes in base64 ` +
      `(${value.length} characters given; generate one with: openssl rand -base64 32).`,
  );
}

/** Every text form of a valid key (as given, hex, base64, base64url), for redaction. */
export function stateKeyForms(text: string): string[] {
  const value = text.trim();
  const bytes = Buffer.from(parseStateKey(value));
  const base64 = bytes.toString('base64');
  return [
    ...new Set([
      value,
      bytes.toString('hex'),
      base64,
      base64.replace(/=+$/, ''),
      bytes.toString('base64url'),
    ]),
  ];
}
