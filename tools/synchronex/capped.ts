/**
 * When a Synchronex search answer may hold less than matched. Synchronex publishes neither its searches'
 * default `limit` nor their response shape (api-notes §8.1), so syn-mcp sends a limit of its own when the
 * caller gives none (a known cap is what lets a full answer be told), and reads a cut only from fields an
 * answer may carry (`truncated`, `has_more`, a `total` above what came back).
 */
import { cappedText } from '../memory/capped.js';

/** The `limit` syn-mcp sends `GET /memory/decisions/search` when the caller gives none. */
export const DECISIONS_LIMIT = 20;

/** The `limit` syn-mcp sends `GET /memory/search` when the caller gives none (Synap's default too). */
export const SEARCH_LIMIT = 10;

/** What limited a search: the cap asked for (or syn-mcp's), its highest value, and its token budget. */
export interface SearchLimits {
  asked: number | undefined;
  fallback: number;
  max: number;
  /** The search takes a `token_budget` (search_decisions); `tokenBudget` is the one given, if any. */
  budgeted: boolean;
  tokenBudget?: number | undefined;
}

/**
 * The sentence telling that more may match, or undefined: the answer is full at its cap, or the answer says
 * it was cut (`rest` holds its scalar fields). With a token budget given and the cap not reached the budget
 * may have stopped it, but a limit of the server's own may have too, so the sentence does not say which.
 */
export function sxCutText(
  count: number,
  rest: Record<string, unknown>,
  limits: SearchLimits,
  noun: string,
): string | undefined {
  const full = cappedText(count, {
    service: 'Synchronex',
    noun,
    arg: 'limit',
    asked: limits.asked,
    fallback: limits.fallback,
    fallbackIs: 'the default syn-mcp sends',
    max: limits.max,
  });
  if (full) return full;
  const says = cutField(count, rest);
  if (says === undefined) return undefined;
  const next = !limits.budgeted
    ? 'narrow the search'
    : limits.tokenBudget !== undefined
      ? `token_budget ${limits.tokenBudget} may have stopped it: raise token_budget or narrow the search`
      : 'raise token_budget or narrow the search';
  return `Synchronex returned ${count} ${noun} and its answer says more matched (${says}): ${next}.`;
}

/** The field of an answer that says it holds less than matched, as `name: value`. */
function cutField(count: number, rest: Record<string, unknown>): string | undefined {
  for (const key of ['truncated', 'has_more']) if (rest[key] === true) return `${key}: true`;
  for (const key of ['total', 'total_count']) {
    const total = rest[key];
    if (typeof total === 'number' && total > count) return `${key}: ${total}`;
  }
  return undefined;
}
