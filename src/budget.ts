import { InputError } from './errors.js';

/** Default size of a result's text, in characters (`--max-result-chars`). */
export const DEFAULT_MAX_RESULT_CHARS = 20_000;

/** Strings shorter than this are never cut (ids, enums, dates). */
const MIN_CUT = 200;

const PREFIX = 'b.';

/** Where a list cut by the budget resumes: the page it came from and how many of its items were shown. */
export interface BudgetCursor {
  tool: string;
  /** The `cursor` argument that produced the page (undefined: the first page). */
  page: string | undefined;
  /** Items of that page already delivered. */
  offset: number;
}

/** True for a cursor the budget made (it wraps a tool's own cursor). */
export function isBudgetCursor(cursor: unknown): cursor is string {
  return typeof cursor === 'string' && cursor.startsWith(PREFIX);
}

function encode(c: BudgetCursor): string {
  return (
    PREFIX + Buffer.from(JSON.stringify([c.tool, c.page ?? null, c.offset]), 'utf8').toString('base64url')
  );
}

/** Decodes a budget cursor for this tool; a foreign or damaged one is an InputError. */
export function decodeBudgetCursor(tool: string, cursor: string): BudgetCursor {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor.slice(PREFIX.length), 'base64url').toString('utf8'));
    if (
      Array.isArray(v) &&
      v[0] === tool &&
      Number.isInteger(v[2]) &&
      (v[1] === null || typeof v[1] === 'string')
    ) {
      return { tool, page: v[1] ?? undefined, offset: v[2] as number };
    }
  } catch {
    // fall through
  }
  throw new InputError(`cursor is not one that ${tool} returned; omit it to start from the first page.`, [
    { path: 'cursor', message: 'unknown cursor' },
  ]);
}

/** A result shaped to the budget: the structured data, its text, and a note for the model when cut. */
export interface Fitted {
  data: Record<string, unknown>;
  text: string;
  note: string | undefined;
}

/** What the budget needs to know about the tool and the call. */
export interface BudgetContext {
  tool: string;
  maxChars: number;
  /** The tool takes a `cursor` argument and may return `nextCursor`: lists can be resumed. */
  pageable: boolean;
  /** The page cursor of this call (after unwrapping a budget cursor). */
  page: string | undefined;
  /** Items of this page already delivered by earlier calls (from a budget cursor). */
  offset: number;
  /** `JSON.stringify(data)` when the caller has it already: a result is not serialised twice. */
  text?: string | undefined;
}

function cutStrings(value: unknown, overBy: number): unknown {
  // Cut the longest strings first until the excess is gone; each keeps its head and says what was cut.
  const strings: { path: (string | number)[]; length: number }[] = [];
  const collect = (v: unknown, path: (string | number)[]) => {
    if (typeof v === 'string' && v.length >= MIN_CUT) strings.push({ path, length: v.length });
    else if (Array.isArray(v)) {
      for (const [i, x] of v.entries()) collect(x, [...path, i]);
    } else if (typeof v === 'object' && v !== null)
      for (const [k, x] of Object.entries(v)) collect(x, [...path, k]);
  };
  collect(value, []);
  strings.sort((a, b) => b.length - a.length);
  const copy: unknown = structuredClone(value);
  let remaining = overBy;
  for (const s of strings) {
    if (remaining <= 0) break;
    const keep = Math.max(MIN_CUT / 2, s.length - remaining - 160);
    let parent: unknown = copy;
    for (const key of s.path.slice(0, -1)) parent = (parent as Record<string | number, unknown>)[key];
    const last = s.path.at(-1);
    if (last === undefined) return `${String(copy).slice(0, keep)}${marker(s.length - keep)}`;
    const holder = parent as Record<string | number, unknown>;
    const text = String(holder[last]);
    holder[last] = `${text.slice(0, keep)}${marker(text.length - keep)}`;
    remaining -= text.length - keep - 120;
  }
  return copy;
}

function marker(cut: number): string {
  return ` …[syn-mcp cut ${cut} characters to fit the result budget; narrow the request (one id, a smaller page or range) to read the rest]`;
}

/**
 * Keeps a result's text within the budget. A list (`items`) stops at the budget with a `nextCursor` that
 * resumes at the first item left out (when the tool pages) and a note of what was left out; a single
 * oversized value is cut with a marker. The same payload is never repeated to make up for a cut.
 */
export function fitToBudget(data: Record<string, unknown>, ctx: BudgetContext): Fitted {
  let items = Array.isArray(data.items) ? data.items : undefined;
  const pageNext = typeof data.nextCursor === 'string' ? data.nextCursor : undefined;
  if (items && ctx.offset > 0) items = items.slice(ctx.offset);
  const base = items ? { ...data, items } : data;
  // With nothing skipped, `base` serialises exactly as `data` does (same keys, same order).
  const text = ctx.text !== undefined && ctx.offset === 0 ? ctx.text : JSON.stringify(base);
  // Room for the note the model reads when something was left out.
  const room = ctx.maxChars - 400;
  if (text.length <= ctx.maxChars) return { data: base, text, note: undefined };

  if (items && items.length > 1) {
    const total = items.length;
    const attempt = (k: number) => {
      const resume = ctx.pageable
        ? encode({ tool: ctx.tool, page: ctx.page, offset: ctx.offset + k })
        : undefined;
      const shaped: Record<string, unknown> = { ...data, items: (items as unknown[]).slice(0, k) };
      if (resume) shaped.nextCursor = resume;
      else delete shaped.nextCursor;
      return shaped;
    };
    let lo = 1;
    let hi = total - 1;
    let best = 0;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (JSON.stringify(attempt(mid)).length <= room) {
        best = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (best > 0) {
      const shaped = attempt(best);
      const left = total - best;
      const how = ctx.pageable
        ? 'call again with the nextCursor above for the rest'
        : 'narrow the request to see them';
      const note = `[syn-mcp: ${best} of ${total} items shown to stay within the ${ctx.maxChars}-character result budget; ${left} left out — ${how}.]`;
      return { data: shaped, text: JSON.stringify(shaped), note };
    }
    // Not even one item fits: deliver the first one, cut, and resume after it.
    const first = attempt(1);
    const cut = cutStrings(first, JSON.stringify(first).length - room) as Record<string, unknown>;
    return {
      data: cut,
      text: JSON.stringify(cut),
      note: `[syn-mcp: 1 of ${total} items shown, and cut to fit the result budget${ctx.pageable ? '; call again with the nextCursor above for the next item' : ''}.]`,
    };
  }

  const cut = cutStrings(base, text.length - room) as Record<string, unknown>;
  const cutText = JSON.stringify(cut);
  const shaped = pageNext !== undefined && items ? { ...cut, nextCursor: pageNext } : cut;
  return {
    data: shaped,
    text: cutText.length <= ctx.maxChars ? JSON.stringify(shaped) : cutText.slice(0, ctx.maxChars),
    note: '[syn-mcp: the result was larger than the result budget; long values were cut as marked.]',
  };
}
