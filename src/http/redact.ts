/**
 * Redaction of every configured secret from anything that leaves the process: log lines, tool results, error
 * texts, the audit log and `doctor`. Secrets are registered once at startup (and when a key is rotated);
 * redact() replaces each occurrence with a fixed marker — in the usual encodings too: any change of case, the
 * key split by spaces (or invisible characters), URL-encoded (encodeURIComponent, form or every byte as %XX),
 * hex, and base64 (standard or URL-safe, alone or inside a larger base64 text such as a Basic credential).
 */
import { INVISIBLE_CHARS } from '../fence.js';

const MARKER = '[REDACTED]';
/** Secrets shorter than this are not registered: replacing two-letter strings would mangle every text. */
const MIN_SECRET_LENGTH = 6;
/** Shortest base64 run recognised inside a larger base64 text (shorter ones would match by chance). */
const MIN_BASE64_CORE = 12;

/** What one secret looks like in every encoding it is searched in. */
interface Shapes {
  /** Lowercase, without whitespace: compared with the text squeezed the same way (a cheap first look). */
  squeezed: string;
  /** Lowercase encodings looked for as they are (URL-encoded, hex). */
  lower: string[];
  /** Case-sensitive encodings (base64 runs). */
  exact: string[];
  /** One pattern (alternation) matching every shape: built on first use (sourceOf), only a secret found needs it. */
  source?: string;
}

const secrets = new Map<string, Shapes>();
let ordered: string[] = [];
let everything: RegExp | undefined;

/** What may split a secret: whitespace, invisible characters, and whitespace as JSON escapes it (`\n`). */
const SEPARATOR = `(?:[\\s${INVISIBLE_CHARS}]|\\\\[nrt])*`;
const SQUEEZE = new RegExp(`(?:[\\s${INVISIBLE_CHARS}]|\\\\[nrt])+`, 'gu');

function escapeChar(c: string): string {
  const lower = c.toLowerCase();
  const upper = c.toUpperCase();
  if (lower !== upper && lower.length === 1 && upper.length === 1) return `[${lower}${upper}]`;
  return c.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
}

/** A pattern for `text` with any case of each letter. */
function anyCase(text: string): string {
  return [...text].map(escapeChar).join('');
}

function escapeExact(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
}

/**
 * The base64 runs of a secret that do not depend on the bytes around it: alone (with and without padding),
 * and at each of the three alignments inside a larger text. Standard and URL-safe alphabets.
 */
function base64Runs(secret: Buffer): string[] {
  const runs = new Set<string>();
  const full = secret.toString('base64');
  runs.add(full);
  runs.add(full.replace(/=+$/, ''));
  for (let lead = 0; lead < 3; lead++) {
    const bytes = Buffer.concat([Buffer.alloc(lead), secret]);
    const groups = Math.floor(bytes.length / 3);
    const first = lead === 0 ? 0 : 1;
    const core = bytes.toString('base64').slice(first * 4, groups * 4);
    if (core.length >= MIN_BASE64_CORE) runs.add(core);
  }
  const out: string[] = [];
  for (const run of runs) {
    out.push(run);
    const urlSafe = run.replace(/\+/g, '-').replace(/\//g, '_');
    if (urlSafe !== run) out.push(urlSafe);
  }
  return out;
}

function shapesOf(secret: string): Shapes {
  const bytes = Buffer.from(secret, 'utf8');
  const uri = encodeURIComponent(secret);
  const lower = new Set<string>([
    uri.toLowerCase(),
    uri.replace(/%20/g, '+').toLowerCase(),
    [...bytes].map((b) => `%${b.toString(16).padStart(2, '0')}`).join(''),
    bytes.toString('hex'),
  ]);
  lower.delete(secret.toLowerCase());
  return {
    squeezed: secret.replace(SQUEEZE, '').toLowerCase(),
    lower: [...lower],
    exact: base64Runs(bytes).filter((r) => r !== secret),
  };
}

/** The pattern of a registered secret (Shapes.source), built once. */
function sourceOf(secret: string): string {
  const shapes = secrets.get(secret) as Shapes;
  if (shapes.source === undefined) {
    // The secret itself: any case, its characters possibly split by spaces or invisible characters.
    const spaced = [...secret].map(escapeChar).join(SEPARATOR);
    const alternatives = [...shapes.lower.map(anyCase), ...shapes.exact.map(escapeExact)].sort(
      (a, b) => b.length - a.length,
    );
    shapes.source = [spaced, ...alternatives].join('|');
  }
  return shapes.source;
}

function rebuild(): void {
  // Longest first, so a secret that contains another is replaced whole.
  ordered = [...secrets.keys()].sort((a, b) => b.length - a.length);
  // Built when first needed: each secret's pattern is ~10 KB (a separator class between every character),
  // and building it anew for each of the secrets registered at startup took ~4 ms of a cold start.
  everything = undefined;
}

/** Registers a secret so that it never appears in output, in any of the encodings above. */
export function registerSecret(secret: string | undefined): void {
  if (!secret || secret.length < MIN_SECRET_LENGTH || secrets.has(secret)) return;
  secrets.set(secret, shapesOf(secret));
  rebuild();
}

/** Forgets a secret (used when a rotated key's old value must no longer be special-cased). */
export function unregisterSecret(secret: string): void {
  if (secrets.delete(secret)) rebuild();
}

/**
 * Forgets every secret. The registry lives as long as the process, which a server fills once; a process that
 * runs many configurations one after another (the test runner, whose workers share modules across files)
 * clears it between them, so that one's secrets do not shape another's output.
 */
export function forgetAllSecrets(): void {
  if (secrets.size === 0) return;
  secrets.clear();
  rebuild();
}

/** A run of what may split a secret, matched where it stands (the scan below skips it). */
const SEPARATOR_RUN = new RegExp(`(?:[\\s${INVISIBLE_CHARS}]|\\\\[nrt])+`, 'uy');
/** Printable ASCII only (a secret with anything else keeps the squeeze below). */
const ASCII = /^[\x20-\x7e]*$/;

/**
 * Whether `lowered` (a text in lower case) holds `squeezed` (an ASCII secret, lower case, without separators)
 * once its separators are taken out: what `text.replace(SQUEEZE, '').toLowerCase().includes(squeezed)` says,
 * or more (never less), without building that text. Tried at each place the secret's first character is.
 */
function spacedIn(lowered: string, squeezed: string): boolean {
  const first = squeezed[0] as string;
  for (let at = lowered.indexOf(first); at !== -1; at = lowered.indexOf(first, at + 1)) {
    let p = at + 1;
    let j = 1;
    while (j < squeezed.length && p < lowered.length) {
      const c = lowered.charCodeAt(p);
      // Only controls, spaces, a backslash and non-ASCII characters can start a separator.
      if (c <= 0x20 || c === 0x5c || c >= 0x7f) {
        SEPARATOR_RUN.lastIndex = p;
        if (SEPARATOR_RUN.test(lowered)) {
          p = SEPARATOR_RUN.lastIndex;
          continue;
        }
      }
      // A non-ASCII character may lower-case to an ASCII one in context (U+0130, U+212A): take it as a match.
      if (c !== squeezed.charCodeAt(j) && c < 0x80) break;
      p++;
      j++;
    }
    if (j === squeezed.length) return true;
  }
  return false;
}

/** The registered secrets that may be in `text`: a cheap look, never missing one, sometimes finding one too many. */
function candidates(text: string, keep: ReadonlySet<string> | undefined): string[] {
  if (ordered.length === 0) return [];
  let squeezed: string | undefined;
  let lowered: string | undefined;
  const found: string[] = [];
  for (const s of ordered) {
    if (keep?.has(s)) continue;
    const shapes = secrets.get(s) as Shapes;
    if (text.includes(s)) {
      found.push(s);
      continue;
    }
    lowered ??= text.toLowerCase();
    if (ASCII.test(shapes.squeezed)) {
      // The common case (API keys and tokens are ASCII): no squeezed copy of the text.
      if (spacedIn(lowered, shapes.squeezed)) {
        found.push(s);
        continue;
      }
    } else {
      squeezed ??= text.replace(SQUEEZE, '').toLowerCase();
      if (squeezed.includes(shapes.squeezed)) {
        found.push(s);
        continue;
      }
    }
    if (shapes.lower.some((l) => lowered?.includes(l)) || shapes.exact.some((e) => text.includes(e))) {
      found.push(s);
    }
  }
  return found;
}

/** True when the text contains a registered secret, in any encoding (other than those in `keep`). */
export function containsSecret(text: string, keep?: ReadonlySet<string>): boolean {
  const found = candidates(text, keep);
  if (found.length === 0) return false;
  return new RegExp(found.map(sourceOf).join('|'), 'u').test(text);
}

/**
 * Returns the text with every registered secret, in every encoding, replaced by a marker. `keep` names
 * secrets a tool is meant to show in its own result, once (a rotated key, a minted token); they stay redacted
 * everywhere else.
 */
export function redact(text: string, keep?: ReadonlySet<string>): string {
  let out = text;
  const found = candidates(text, keep);
  if (found.length > 0) {
    const all = found.length === ordered.length;
    if (all) everything ??= new RegExp(ordered.map(sourceOf).join('|'), 'gu');
    const pattern = all && everything ? everything : new RegExp(found.map(sourceOf).join('|'), 'gu');
    pattern.lastIndex = 0;
    out = out.replace(pattern, MARKER);
  }
  // Credentials that were never configured but look like one (Bearer tokens echoed back by an upstream).
  return out.replace(/(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/g, `$1${MARKER}`);
}
