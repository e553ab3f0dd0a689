/**
 * Query helpers of the Synqly emulator: `filter` (`field[op]value`, ANDed), `order` (`field[asc|desc]`),
 * Management paging (`limit` + `start_after` = last name) and Connector paging (opaque `cursor`), and
 * JSON Patch (RFC 6902) for PATCH bodies.
 */
import type { Obj } from './model.js';
import { badRequest } from './problem.js';

/** Synqly's default page size. */
export const DEFAULT_LIMIT = 100;

function field(obj: object, path: string): unknown {
  let cur: unknown = obj;
  for (const key of path.split('.')) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Obj)[key];
  }
  return cur;
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string' && ISO_TIME.test(a) && ISO_TIME.test(b)) {
    const x = Date.parse(a);
    const y = Date.parse(b);
    if (!Number.isNaN(x) && !Number.isNaN(y)) return x - y;
  }
  if (a === undefined || a === null) return b === undefined || b === null ? 0 : -1;
  if (b === undefined || b === null) return 1;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

const FILTER = /^([A-Za-z0-9_.]+)\[(eq|ne|gt|gte|lt|lte|like|in)\](.*)$/;

function unknownField(param: 'filter' | 'order', expr: string, field: string, fields: readonly string[]) {
  return badRequest(
    `Invalid ${param}`,
    { id: param, location: 'query', value: expr },
    {
      detail: `"${field}" is not a field of these records.`,
      remediation: `Use one of: ${fields.join(', ')}.`,
    },
  );
}

/** Applies `filter` expressions (ANDed); a malformed one, or one on a field not in `fields`, is a 400. */
export function applyFilters<T extends object>(
  items: readonly T[],
  filters: readonly string[],
  fields: readonly string[],
): T[] {
  const tests = filters.map((expr) => {
    const m = FILTER.exec(expr);
    if (!m) {
      throw badRequest(
        'Invalid filter',
        { id: 'filter', location: 'query', value: expr },
        {
          detail: `"${expr}" is not a filter expression.`,
          remediation: 'Use field[op]value with op one of eq, ne, gt, gte, lt, lte, like, in.',
        },
      );
    }
    const [, path = '', op, raw = ''] = m;
    if (!fields.includes(path)) throw unknownField('filter', expr, path, fields);
    return (item: T): boolean => {
      const v = field(item, path);
      const s = v === undefined || v === null ? '' : String(v);
      switch (op) {
        case 'eq':
          return s === raw;
        case 'ne':
          return s !== raw;
        case 'like':
          return s.toLowerCase().includes(raw.replace(/%/g, '').toLowerCase());
        case 'in':
          return raw.split(',').includes(s);
        case 'gt':
          return compare(v, typeof v === 'number' ? Number(raw) : raw) > 0;
        case 'gte':
          return compare(v, typeof v === 'number' ? Number(raw) : raw) >= 0;
        case 'lt':
          return compare(v, typeof v === 'number' ? Number(raw) : raw) < 0;
        default:
          return compare(v, typeof v === 'number' ? Number(raw) : raw) <= 0;
      }
    };
  });
  return items.filter((item) => tests.every((t) => t(item)));
}

/** Sorts by `order` expressions (`field`, `field[asc]`, `field[desc]`), else by `fallback`. */
export function applyOrder<T extends object>(
  items: readonly T[],
  order: readonly string[],
  fallback: string,
  fields: readonly string[],
): T[] {
  const keys = (order.length > 0 ? order : [fallback]).map((expr) => {
    const m = /^([A-Za-z0-9_.]+)(?:\[(asc|desc)\])?$/.exec(expr);
    if (!m) {
      throw badRequest(
        'Invalid order',
        { id: 'order', location: 'query', value: expr },
        { remediation: 'Use field, field[asc] or field[desc].' },
      );
    }
    const path = m[1] ?? fallback;
    if (order.length > 0 && !fields.includes(path)) throw unknownField('order', expr, path, fields);
    return { path, dir: m[2] === 'desc' ? -1 : 1 };
  });
  return [...items].sort((a, b) => {
    for (const { path, dir } of keys) {
      const c = compare(field(a, path), field(b, path));
      if (c !== 0) return c * dir;
    }
    return 0;
  });
}

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

// ── JSON Patch ───────────────────────────────────────────────────────────────

function pointer(path: unknown, id: string): string[] {
  if (typeof path !== 'string' || (path !== '' && !path.startsWith('/'))) {
    throw badRequest(`Invalid JSON Pointer in ${id}`, { id, location: 'body', value: path });
  }
  return path === ''
    ? []
    : path
        .slice(1)
        .split('/')
        .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function parentOf(doc: Obj, tokens: string[], id: string): { parent: Obj | unknown[]; key: string } {
  let cur: unknown = doc;
  for (const t of tokens.slice(0, -1)) {
    if (Array.isArray(cur)) cur = cur[Number(t)];
    else if (typeof cur === 'object' && cur !== null) cur = (cur as Obj)[t];
    else cur = undefined;
    if (cur === undefined) throw badRequest(`Path not found: ${id}`, { id, location: 'body' });
  }
  const key = tokens.at(-1);
  if (key === undefined || typeof cur !== 'object' || cur === null) {
    throw badRequest(`Path not found: ${id}`, { id, location: 'body' });
  }
  return { parent: cur as Obj | unknown[], key };
}

function getAt(doc: Obj, tokens: string[], id: string): unknown {
  const { parent, key } = parentOf(doc, tokens, id);
  const value = Array.isArray(parent) ? parent[Number(key)] : parent[key];
  if (value === undefined) throw badRequest(`Path not found: ${id}`, { id, location: 'body' });
  return value;
}

function removeAt(doc: Obj, tokens: string[], id: string): unknown {
  const value = getAt(doc, tokens, id);
  const { parent, key } = parentOf(doc, tokens, id);
  if (Array.isArray(parent)) parent.splice(Number(key), 1);
  else delete parent[key];
  return value;
}

function addAt(doc: Obj, tokens: string[], value: unknown, id: string, replace: boolean): void {
  const { parent, key } = parentOf(doc, tokens, id);
  if (Array.isArray(parent)) {
    const index = key === '-' ? parent.length : Number(key);
    if (!Number.isInteger(index) || index < 0 || index > parent.length) {
      throw badRequest(`Invalid array index in ${id}`, { id, location: 'body' });
    }
    if (replace) parent[index] = value;
    else parent.splice(index, 0, value);
  } else {
    if (replace && !(key in parent)) throw badRequest(`Path not found: ${id}`, { id, location: 'body' });
    parent[key] = value;
  }
}

/** Applies JSON Patch operations to a copy of `doc`; fields in `readOnly` cannot change. */
export function applyPatch(doc: Obj, ops: unknown, readOnly: readonly string[]): Obj {
  if (!Array.isArray(ops) || ops.length === 0) {
    throw badRequest('The body must be a non-empty array of JSON Patch operations', {
      id: 'body',
      location: 'body',
    });
  }
  const out = structuredClone(doc);
  ops.forEach((raw, i) => {
    const id = `[${i}]`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      throw badRequest(`Operation ${id} is not an object`, { id, location: 'body' });
    }
    const op = raw as Obj;
    const tokens = pointer(op.path, `${id}.path`);
    if (tokens.length === 0 || readOnly.includes(tokens[0] ?? '')) {
      throw badRequest(`Field ${String(op.path)} cannot be changed`, {
        id: `${id}.path`,
        location: 'body',
        value: op.path,
      });
    }
    switch (op.op) {
      case 'add':
      case 'replace':
        if (!('value' in op)) throw badRequest(`Operation ${id} needs a value`, { id, location: 'body' });
        addAt(out, tokens, op.value, `${id}.path`, op.op === 'replace');
        break;
      case 'remove':
        removeAt(out, tokens, `${id}.path`);
        break;
      case 'copy':
      case 'move': {
        const from = pointer(op.from, `${id}.from`);
        const value =
          op.op === 'move'
            ? removeAt(out, from, `${id}.from`)
            : structuredClone(getAt(out, from, `${id}.from`));
        addAt(out, tokens, value, `${id}.path`, false);
        break;
      }
      case 'test':
        if (JSON.stringify(getAt(out, tokens, `${id}.path`)) !== JSON.stringify(op.value)) {
          throw badRequest(`Test operation ${id} failed`, { id, location: 'body', value: op.value });
        }
        break;
      default:
        throw badRequest(`Unknown JSON Patch op in ${id}`, {
          id: `${id}.op`,
          location: 'body',
          value: op.op,
        });
    }
  });
  return out;
}
