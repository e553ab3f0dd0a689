/**
 * Progress messages that name upstream values (a step's name, an agent's thought, a tool's preview): written
 * as a template whose literal parts are syn-mcp's words and whose `${…}` are upstream values, so that the
 * progress boundary (tool-context.ts) tells the two apart. There an identifier-shaped value (id-shaped.ts) is
 * quoted in place, like an id in guidance; any other value is referred to as `[n]` and its text follows,
 * fenced as data from its API exactly as an error result fences what the API said (fence.ts).
 */
import { SERVICE_LABEL, type ServiceName } from './errors.js';
import { fence, stripInvisible } from './fence.js';
import { redact } from './http/redact.js';
import { isIdShaped } from './id-shaped.js';

/** Longest text of one upstream value in a progress message (a human reads it in a status line). */
const MAX_VALUE = 160;

type Piece = { own: string } | { upstream: unknown };

/** A progress message: syn-mcp's words and the upstream values between them, kept apart until sent. */
export class ProgressText {
  constructor(
    readonly source: ServiceName,
    readonly pieces: readonly Piece[],
  ) {}
}

/** A template tag for the progress of `source`; a ProgressText inside the template is taken in as written. */
export function progressOf(source: ServiceName) {
  return (words: TemplateStringsArray, ...values: unknown[]): ProgressText => {
    const pieces: Piece[] = [];
    words.forEach((own, i) => {
      if (own) pieces.push({ own });
      if (i >= values.length) return;
      const value = values[i];
      if (value instanceof ProgressText) pieces.push(...value.pieces);
      else pieces.push({ upstream: value });
    });
    return new ProgressText(source, pieces);
  };
}

/** An upstream value as one short line: invisible characters out, then redacted, then cut (no half secret). */
function valueText(value: unknown): string {
  if (value === undefined || value === null) return '';
  const raw = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  const line = redact(stripInvisible(raw)).replace(/\s+/g, ' ').trim();
  return line.length > MAX_VALUE ? `${line.slice(0, MAX_VALUE)}…` : line;
}

/**
 * The text a client is sent for a progress message. A string is syn-mcp's own words only; a ProgressText
 * quotes its identifier-shaped values and fences the others as data, each text once under its number.
 */
export function progressMessage(message: string | ProgressText): string {
  if (typeof message === 'string') return redact(stripInvisible(message));
  let own = '';
  const fenced: string[] = [];
  for (const piece of message.pieces) {
    if ('own' in piece) {
      own += piece.own;
      continue;
    }
    const text = valueText(piece.upstream);
    if (text === '' || isIdShaped(text)) {
      own += text;
      continue;
    }
    const n = fenced.indexOf(text) + 1 || fenced.push(text); // a text named twice is fenced once
    own += `[${n}]`;
  }
  own = redact(stripInvisible(own));
  if (fenced.length === 0) return own;
  const data = fenced.map((text, i) => `[${i + 1}] ${text}`).join('\n');
  return `${own}\n${fence(data, `${SERVICE_LABEL[message.source]} (its progress events)`)}`;
}
