/** One table of data: the confirmation question of each Synchronex tool that needs one, by tool name. */
import { count, fieldNames, ident, listOf, quoted } from '../words.js';
import { ask, changes, fields, given, type Wording } from './ask.js';

/** Synchronex's questions, by tool name. */
export const SYNCHRONEX_QUESTIONS: Readonly<Record<string, Wording>> = {
  update_identity_kernel: ask(
    ['identity', 'products', 'constraints', 'model_preferences'],
    (a) =>
      `Overwrite these parts of the Synchronex identity kernel: ${changes([
        [a.identity, () => 'identity'],
        [a.products, fields('products')],
        [a.constraints, fields('constraints')],
        [a.model_preferences, () => 'model preferences'],
      ])}? The stored values of these parts are replaced.`,
  ),
  update_product_state: ask(
    ['name', 'status', 'what_works', 'what_is_blocked', 'open_questions', 'next_session_starts_here'],
    (a) =>
      `Overwrite the Synchronex state of product ${ident(a.name)}: ${changes([
        [a.status, (v) => `status ${quoted(v, 60)}`],
        [a.what_works, fields('what works')],
        [a.what_is_blocked, fields('what is blocked')],
        [a.open_questions, fields('open questions')],
        [a.next_session_starts_here, () => 'the handoff note'],
      ])}?`,
  ),
  create_decision: ask(
    ['decision', 'product_name'],
    (a) =>
      `Record the decision ${quoted(a.decision, 160)} for product ${ident(a.product_name)} in Synchronex?`,
  ),
  consolidate_memory: ask(
    [],
    () =>
      'Start Synchronex memory consolidation? It merges duplicates and may rewrite or remove redundant entries.',
  ),
  ingest_project_signal: ask(['project_id', 'signal'], (a) => {
    const type = (a.signal as { type?: unknown } | undefined)?.type;
    return `Send a ${given(type) ? `${ident(type)} ` : ''}signal to Synchronex for project ${ident(a.project_id)}?`;
  }),
  set_scope: ask(
    ['workspace_id'],
    (a) =>
      `Switch Synchronex to ${a.workspace_id === null ? 'personal memory' : `workspace ${ident(a.workspace_id)}`}? ` +
      'Every later Synchronex call uses it.',
  ),
  delete_decision: ask(['id'], (a) => `Permanently delete Synchronex decision ${ident(a.id)}?`),
  import_mif: ask(['document'], (a) => {
    const doc = (a.document ?? {}) as Record<string, unknown>;
    const parts = [
      given(doc.identity_kernel) ? 'an identity kernel' : undefined,
      Array.isArray(doc.product_states) ? count(doc.product_states.length, 'product state') : undefined,
      Array.isArray(doc.decisions) ? count(doc.decisions.length, 'decision') : undefined,
    ].filter((p): p is string => p !== undefined);
    const names = fieldNames(doc);
    const holds = parts.length ? listOf(parts) : names.length ? `the fields ${listOf(names)}` : 'empty';
    return (
      `Import a Memory Interchange Format document (${holds}) into Synchronex? It replaces the identity ` +
      'kernel, product states and decisions it holds.'
    );
  }),
  create_byok_credential: ask(
    ['service', 'label', 'key_env'],
    (a) =>
      `Register the ${ident(a.service)} key held in ${ident(a.key_env)} with Synchronex as ${quoted(a.label)}? ` +
      'AI workers may then use it.',
  ),
  delete_byok_credential: ask(
    ['id'],
    (a) => `Remove Synchronex BYOK credential ${ident(a.id)}? AI workers stop using that key.`,
  ),
};
