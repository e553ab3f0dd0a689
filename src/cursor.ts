import { InputError } from './errors.js';

/** State a list tool keeps between pages: the API's own paging fields. */
export type CursorState = Readonly<Record<string, string | number | boolean>>;

/**
 * Encodes a list tool's paging state as an opaque cursor for the model. The tool name is inside, so a
 * cursor from another tool is refused instead of silently reading the wrong list.
 */
export function encodeCursor(tool: string, state: CursorState): string {
  return Buffer.from(JSON.stringify({ t: tool, s: state }), 'utf8').toString('base64url');
}

/** Decodes a cursor made by encodeCursor for the same tool; a bad one is an InputError the model can fix. */
export function decodeCursor(tool: string, cursor: string): CursorState {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof parsed === 'object' && parsed !== null && 't' in parsed && 's' in parsed) {
      const { t, s } = parsed as { t: unknown; s: unknown };
      if (t === tool && typeof s === 'object' && s !== null && !Array.isArray(s)) return s as CursorState;
    }
  } catch {
    // fall through to the error below
  }
  throw new InputError(`cursor is not one that ${tool} returned; omit it to start from the first page.`, [
    { path: 'cursor', message: 'unknown cursor' },
  ]);
}
