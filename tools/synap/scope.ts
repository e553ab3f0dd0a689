/**
 * How Synap picks the scope of a memory from its ids (api-notes §4), and the sentences that tell the model
 * which scope a search looked in: a search sees only the memories stored at that scope, so a client-scope
 * search without ids never finds what was stored for a user or a customer.
 */
import { cappedText } from '../memory/capped.js';

/** The scopes a context fetch can search. */
export type SynapScope = 'user' | 'customer' | 'client' | 'conversation';

/** The ids that select a scope. */
export interface ScopeIds {
  user_id?: string | undefined;
  customer_id?: string | undefined;
  conversation_id?: string | undefined;
}

/** The scope a search with these ids looks in (the same rule the API applies when memories are stored). */
export function scopeOfIds(ids: ScopeIds): 'user' | 'customer' | 'client' {
  if (ids.user_id) return 'user';
  if (ids.customer_id) return 'customer';
  return 'client';
}

/** One sentence naming the scope searched, with its ids. */
export function searchedText(scope: SynapScope, ids: ScopeIds): string {
  switch (scope) {
    case 'user':
      return `Synap searched the user scope of user_id ${ids.user_id ?? '?'}${ids.customer_id ? ` (customer_id ${ids.customer_id})` : ''}: memories stored for that user only.`;
    case 'customer':
      return `Synap searched the customer scope of customer_id ${ids.customer_id ?? '?'}: memories stored with that customer_id and no user_id only.`;
    case 'conversation':
      return `Synap searched the memories of conversation ${ids.conversation_id ?? '?'} only.`;
    default:
      return 'Synap searched the client scope only: memories stored without user_id and customer_id.';
  }
}

/** What to do when a search found nothing: which memories were not searched and which argument widens it. */
export function widenText(scope: SynapScope): string {
  switch (scope) {
    case 'client':
      return "Memories stored for a user or a customer were NOT searched: pass user_id (with customer_id on a B2B instance), or on B2B customer_id alone, to search those; on B2C either id was stored as the user's, so pass it as user_id.";
    case 'user':
      return 'Memories of other users, of customers (customer_id alone, B2B only) and of the client (no ids) were not searched: change user_id/customer_id, or omit both for client-scope memories.';
    case 'customer':
      return "Memories stored for a user (user_id) and client-scope memories (no ids) were not searched: add user_id, or omit customer_id for client-scope memories; on B2C what was stored under customer_id alone is the user's, so pass that id as user_id.";
    default:
      return 'Only this conversation was searched: use scope user, customer or client for the long-term memories.';
  }
}

/** Synap's default `max_results` of a context fetch (api-notes §4). */
export const DEFAULT_MAX_RESULTS = 10;

/**
 * The sentence for a fetch that came back full (memory/capped.ts): Synap returns at most `max_results`
 * memories, 50 at most, and says nothing of the rest. `arg` names the tool argument that raises the cap.
 */
export function synapCappedText(count: number, asked: number | undefined, arg: string): string | undefined {
  return cappedText(count, {
    service: 'Synap',
    noun: 'memories',
    arg,
    asked,
    fallback: DEFAULT_MAX_RESULTS,
    fallbackIs: "Synap's default",
    max: 50,
  });
}
