/**
 * Synqly's two paging schemes: Management lists page with `limit` + `start_after` (the last item's name),
 * Connector lists with an opaque `cursor`.
 */
import { badRequest } from './problem.js';
import { applyFilters, applyOrder } from './query.js';

/** Synqly's default page size. */
export const DEFAULT_LIMIT = 100;

/** Reads `limit` (default 100); a bad one is a 400. */
export function readLimit(query: URLSearchParams): number {
  const raw = query.get('limit');
  if (raw === null) return DEFAULT_LIMIT;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 1000) {
    throw badRequest(
      'Invalid limit',
      { id: 'limit', location: 'query', value: raw },
      {
        remediation: 'Send limit as an integer between 1 and 1000.',
      },
    );
  }
  return n;
}

/** A Management list page: sorted by `order` (default name), after `start_after`, at most `limit`. */
export function managementPage<T extends { name: string }>(
  all: readonly T[],
  query: URLSearchParams,
  fields: readonly string[],
): { page: T[]; more: boolean; total: number } {
  const filtered = applyFilters(all, query.getAll('filter'), fields);
  const sorted = applyOrder(filtered, query.getAll('order'), 'name', fields);
  const limit = readLimit(query);
  let start = 0;
  const after = query.get('start_after') ?? decodeManagementCursor(query.get('cursor'));
  if (after !== null && after !== undefined) {
    const index = sorted.findIndex((item) => item.name === after);
    if (index >= 0) start = index + 1;
    else {
      const desc = query.getAll('order').some((o) => o.startsWith('name[desc]'));
      start = sorted.findIndex((item) => (desc ? item.name < after : item.name > after));
      if (start < 0) start = sorted.length;
    }
  }
  const page = sorted.slice(start, start + limit);
  return { page, more: start + limit < sorted.length, total: filtered.length };
}

/** A Management cursor is the last name (seed 000's example `"cursor": "account-xyz"`). */
function decodeManagementCursor(cursor: string | null): string | undefined {
  return cursor === null || cursor === '' ? undefined : cursor;
}

/** What a Connector cursor holds. */
export interface CursorState {
  /** Offset of the next item. */
  o?: number;
  /** A pending SIEM query id. */
  q?: string;
  filter?: string[];
  order?: string[];
}

/** Encodes a Connector cursor (opaque to clients). */
export function encodeCursor(state: CursorState): string {
  return Buffer.from(JSON.stringify(state), 'utf8').toString('base64url');
}

/** Decodes a Connector cursor; an unreadable one is a 400. */
export function decodeCursor(raw: string): CursorState {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as CursorState;
  } catch {
    // fall through
  }
  throw badRequest(
    'Invalid cursor',
    { id: 'cursor', location: 'query', value: raw },
    {
      remediation: 'Pass the cursor of the previous response unchanged, or omit it for the first page.',
    },
  );
}

/** A Connector page from an offset: the items and the cursor of the next page ('' on the last). */
export function connectorPage<T>(
  sorted: readonly T[],
  offset: number,
  limit: number,
  keep: Omit<CursorState, 'o' | 'q'>,
): { result: T[]; cursor: string } {
  const result = sorted.slice(offset, offset + limit);
  const next = offset + limit;
  return { result, cursor: next < sorted.length ? encodeCursor({ ...keep, o: next }) : '' };
}

/** A Connector query answer `{result, cursor}` for `items`, paging with `cursor` + `limit`. */
export function connectorList<T extends object>(
  items: readonly T[],
  query: URLSearchParams,
  fallbackOrder: string,
  fields: readonly string[],
): { result: T[]; cursor: string } {
  const raw = query.get('cursor');
  const state = raw ? decodeCursor(raw) : {};
  const filter = state.filter ?? query.getAll('filter');
  const order = state.order ?? query.getAll('order');
  const sorted = applyOrder(applyFilters(items, filter, fields), order, fallbackOrder, fields);
  return connectorPage(sorted, state.o ?? 0, readLimit(query), { filter, order });
}
