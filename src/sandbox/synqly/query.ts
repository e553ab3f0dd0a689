/**
 * Synqly's list queries: `filter` (`field[op]value`, ANDed) and `order` (`field[asc|desc]`), checked against
 * the fields a list's items have. Paging is in `paging.ts`, JSON Patch in `json-patch.ts`.
 */
import type { Obj } from './model.js';
import { badRequest } from './problem.js';

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
