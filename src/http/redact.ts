/**
 * Redaction of every configured secret from anything that leaves the process: log lines, tool results and
 * error texts. Secrets are registered once at startup (and when a key is rotated); redact() replaces each
 * occurrence with a fixed marker.
 */

const MARKER = '[REDACTED]';
/** Secrets shorter than this are not registered: replacing two-letter strings would mangle every text. */
const MIN_SECRET_LENGTH = 6;

const secrets = new Set<string>();
let ordered: string[] = [];

/** Registers a secret so that it never appears in output. */
export function registerSecret(secret: string | undefined): void {
  if (!secret || secret.length < MIN_SECRET_LENGTH || secrets.has(secret)) return;
  secrets.add(secret);
  // Longest first, so a secret that contains another is replaced whole.
  ordered = [...secrets].sort((a, b) => b.length - a.length);
}

/** Forgets a secret (used when a rotated key's old value must no longer be special-cased). */
export function unregisterSecret(secret: string): void {
  if (secrets.delete(secret)) ordered = [...secrets].sort((a, b) => b.length - a.length);
}

/** True when the text contains a registered secret (other than those in `keep`). */
export function containsSecret(text: string, keep?: ReadonlySet<string>): boolean {
  for (const s of ordered) if (!keep?.has(s) && text.includes(s)) return true;
  return false;
}

/**
 * Returns the text with every registered secret replaced by a marker. `keep` names secrets a tool is meant
 * to show in its own result, once (a rotated key, a minted token); they stay redacted everywhere else.
 */
export function redact(text: string, keep?: ReadonlySet<string>): string {
  let out = text;
  for (const s of ordered) if (!keep?.has(s) && out.includes(s)) out = out.split(s).join(MARKER);
  // Credentials that were never configured but look like one (Bearer tokens echoed back by an upstream).
  return out.replace(/(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/g, `$1${MARKER}`);
}
