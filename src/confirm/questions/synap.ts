/** One table of data: the confirmation question of each Synap tool that needs one, by tool name. */
import { documentSize, ident, quoted } from '../words.js';
import { ask, given, type Wording } from './ask.js';

/** "for user u (customer c)", "for customer c", "for the whole client": the scope Synap stores under. */
function memoryScope(userId: unknown, customerId: unknown): string {
  if (given(userId))
    return `for user ${ident(userId)}${given(customerId) ? ` (customer ${ident(customerId)})` : ''}`;
  if (given(customerId)) return `for customer ${ident(customerId)}`;
  return 'for the whole client (no user or customer id)';
}

/** Synap's questions, by tool name. */
export const SYNAP_QUESTIONS: Readonly<Record<string, Wording>> = {
  add_memory: ask(
    ['document', 'user_id', 'customer_id'],
    (a) =>
      `Store a document of ${documentSize(a.document)} in Synap memory ${memoryScope(a.user_id, a.customer_id)}?`,
  ),
  update_memory: ask(
    ['memory_id', 'document', 'merge_strategy'],
    (a) =>
      `Change Synap memory ${ident(a.memory_id)} with a document of ${documentSize(a.document)} ` +
      `(${given(a.merge_strategy) ? ident(a.merge_strategy) : 'smart-merge'})? The stored memory is rewritten.`,
  ),
  record_conversation_message: ask(
    ['conversation_id', 'role', 'content'],
    (a) =>
      `Add this ${ident(a.role)} message to Synap conversation ${ident(a.conversation_id)}: ` +
      `${quoted(a.content, 160)}?`,
  ),
  compact_conversation: ask(
    ['conversation_id', 'force'],
    (a) =>
      `Compact Synap conversation ${ident(a.conversation_id)} into a summary${a.force === true ? ' (forced)' : ''}?`,
  ),
  delete_memory: ask(['memory_id'], (a) => `Permanently delete Synap memory ${ident(a.memory_id)}?`),
};
