/**
 * What the user is asked before a tool call that needs confirmation: one question per tool, naming what the
 * call does and its target (account, integration, file, key, tenant, memory …) in plain words from the
 * call's own arguments, and the form the client shows. One table keyed by tool name, beside the tools rather
 * than in them (tools/ owns the tool files); a meta-test checks every destructive and write tool has its own
 * question and that every argument a question reads is a field of that tool's input.
 */
import type { ToolAnnotations } from '../tool.js';
import {
  bytes,
  count,
  documentSize,
  fieldNames,
  ident,
  lengthOf,
  listOf,
  oneLine,
  quoted,
  synqlyTarget,
} from './words.js';

/** A call's arguments as a question reads them: only the ones it declared. */
type Args<K extends string> = { readonly [P in K]: unknown };

/** One tool's confirmation question. */
export interface Wording {
  /** The arguments the question reads; each is a field of the tool's input schema (meta-tested). */
  readonly args: readonly string[];
  /** The question, from the call's arguments. */
  ask(args: Readonly<Record<string, unknown>>): string;
  /**
   * For the highest-risk tools: the text the user must type to confirm (the target's id), as GitHub does
   * for deleting a repository, rather than tick a box.
   */
  typed?(args: Readonly<Record<string, unknown>>): string | undefined;
}

function pick<K extends string>(names: readonly K[], args: Readonly<Record<string, unknown>>): Args<K> {
  const out: Record<string, unknown> = {};
  for (const name of names) out[name] = args[name];
  return out as Args<K>;
}

/** Declares a question that reads exactly the arguments `names`. */
function ask<const K extends string>(
  names: readonly K[],
  question: (a: Args<K>) => string,
  typed?: (a: Args<K>) => string | undefined,
): Wording {
  return {
    args: names,
    ask: (args) => question(pick(names, args)),
    ...(typed ? { typed: (args: Readonly<Record<string, unknown>>) => typed(pick(names, args)) } : {}),
  };
}

const given = (v: unknown) => v !== undefined && v !== null && v !== '';
const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

/** "for user u (customer c)", "for customer c", "for the whole client": the scope Synap stores under. */
function memoryScope(userId: unknown, customerId: unknown): string {
  if (given(userId))
    return `for user ${ident(userId)}${given(customerId) ? ` (customer ${ident(customerId)})` : ''}`;
  if (given(customerId)) return `for customer ${ident(customerId)}`;
  return 'for the whole client (no user or customer id)';
}

/** The JSON Patch operations of update_ticket, as "replace /status, add /tags". */
function patchSummary(operations: unknown): string {
  if (!Array.isArray(operations)) return '';
  const parts = operations.slice(0, 4).map((op) => {
    const o = (op ?? {}) as Record<string, unknown>;
    return `${oneLine(o.op, 12)} ${oneLine(o.path, 40)}`;
  });
  if (operations.length > 4) parts.push(`${operations.length - 4} more`);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

/** The size of upload_file's content once decoded. */
function uploadSize(content: unknown, encoding: unknown): string {
  if (typeof content !== 'string') return 'a file';
  const n =
    encoding === 'base64' ? Buffer.from(content, 'base64').length : Buffer.byteLength(content, 'utf8');
  return bytes(n);
}

/** Named changes, e.g. ["rename to \"Ops\"", "recovery window 300 s"]. */
function changes(entries: readonly [unknown, (v: unknown) => string][]): string {
  const said = entries.filter(([v]) => given(v)).map(([v, say]) => say(v));
  return said.length ? listOf(said) : 'no field given (nothing would change)';
}

const seconds = (label: string) => (v: unknown) => `${label} ${oneLine(v, 12)} s`;
const fields = (label: string) => (v: unknown) =>
  label + (Array.isArray(v) ? ` (${count(v.length, 'item')})` : '');

/** Every tool's question, by tool name. */
export const WORDINGS: Readonly<Record<string, Wording>> = {
  // ── SyncGuard ──────────────────────────────────────────────────────────────────────────────────────────
  send_event: ask(
    ['integrationKey', 'eventType', 'tenantId', 'errorCode'],
    (a) =>
      `Report the failure ${ident(a.eventType)} of integration ${ident(a.integrationKey)} for tenant ` +
      `${ident(a.tenantId)}${given(a.errorCode) ? ` (error ${ident(a.errorCode)})` : ''} to SyncGuard? ` +
      'It opens an incident or joins the open one.',
  ),
  resolve_incident: ask(['id'], (a) => `Resolve (close) SyncGuard incident ${ident(a.id)}?`),
  update_workspace: ask(
    ['name', 'recoveryWindowSeconds', 'closeWindowSeconds', 'cooldownWindowSeconds'],
    (a) =>
      `Change the SyncGuard workspace: ${changes([
        [a.name, (v) => `rename it to ${quoted(v)}`],
        [a.recoveryWindowSeconds, seconds('recovery window')],
        [a.closeWindowSeconds, seconds('close window')],
        [a.cooldownWindowSeconds, seconds('cooldown window')],
      ])}?`,
  ),
  update_pattern: ask(
    ['id', 'isEnabled', 'thresholdCount', 'thresholdWindowSeconds'],
    (a) =>
      `Change SyncGuard failure pattern ${ident(a.id)}: ${changes([
        [a.isEnabled, (v) => (v === false ? 'disable it (it stops matching events)' : 'enable it')],
        [a.thresholdCount, (v) => `alert after ${oneLine(v, 12)} events`],
        [a.thresholdWindowSeconds, seconds('threshold window')],
      ])}?`,
  ),
  rotate_api_key: ask(
    [],
    () =>
      'Rotate the SyncGuard API key? The current key stops working at once; the new one is shown once and ' +
      'must be stored in SYNCGUARD_API_KEY before syn-mcp restarts.',
  ),
  set_alert_channel: ask(
    ['provider', 'isEnabled'],
    (a) =>
      `Set the SyncGuard ${ident(a.provider)} alert channel, replacing any existing ${ident(a.provider)} ` +
      `channel${a.isEnabled === false ? ' (kept, but paused)' : '; it is alerted at every incident transition'}?`,
  ),
  remove_alert_channel: ask(
    ['provider'],
    (a) =>
      `Remove the SyncGuard ${ident(a.provider)} alert channel and forget its credential? Its alerts stop.`,
  ),
  create_tenant: ask(
    ['externalId', 'name'],
    (a) =>
      `Register tenant ${ident(a.externalId)}${given(a.name) ? ` (${quoted(a.name)})` : ''} in SyncGuard?`,
  ),
  deactivate_tenant: ask(
    ['id'],
    (a) => `Deactivate SyncGuard tenant ${ident(a.id)}? (activate_tenant switches it back on.)`,
  ),
  activate_tenant: ask(['id'], (a) => `Re-activate SyncGuard tenant ${ident(a.id)}?`),
  create_workspace: ask(
    ['name'],
    (a) => `Create a new SyncGuard workspace ${quoted(a.name)}? Its API key is shown once.`,
  ),

  // ── Synapse ────────────────────────────────────────────────────────────────────────────────────────────
  chat: ask(
    ['message', 'agent'],
    (a) =>
      `Send this message to Synapse agent ${given(a.agent) ? ident(a.agent) : '(the first agent)'}: ` +
      `${quoted(a.message, 200)}?`,
  ),
  run_orchestration: ask(
    ['orch_id', 'message'],
    (a) =>
      `Start a new run of Synapse orchestration ${ident(a.orch_id)}` +
      `${given(a.message) ? ` with the input ${quoted(a.message, 200)}` : ''}?`,
  ),
  resume_orchestration_run: ask(
    ['run_id', 'response'],
    (a) => `Resume paused Synapse run ${ident(a.run_id)} with the answers ${oneLine(a.response, 200)}?`,
  ),

  // ── Synqly ─────────────────────────────────────────────────────────────────────────────────────────────
  create_ticket: ask(
    ['accountId', 'integrationId', 'name', 'project'],
    (a) =>
      `Create the ticket ${quoted(a.name)}${given(a.project) ? ` in project ${ident(a.project)}` : ''} ` +
      `through ${synqlyTarget(a.accountId, a.integrationId)}?`,
  ),
  update_ticket: ask(
    ['accountId', 'integrationId', 'ticketId', 'operations'],
    (a) =>
      `Change ticket ${ident(a.ticketId)} through ${synqlyTarget(a.accountId, a.integrationId)} with ` +
      `${count(lengthOf(a.operations), 'JSON Patch operation')}${patchSummary(a.operations)}?`,
  ),
  upload_file: ask(
    ['accountId', 'integrationId', 'path', 'content', 'encoding'],
    (a) =>
      `Write ${uploadSize(a.content, a.encoding)} to the file ${ident(a.path)} in the storage of ` +
      `${synqlyTarget(a.accountId, a.integrationId)}, replacing any file at that path?`,
  ),
  delete_file: ask(
    ['accountId', 'integrationId', 'path'],
    (a) =>
      `Delete the file ${ident(a.path)} from the storage of ${synqlyTarget(a.accountId, a.integrationId)}? ` +
      'Irreversible.',
  ),
  create_notification: ask(
    ['accountId', 'integrationId', 'summary', 'project'],
    (a) =>
      `Send the notification ${quoted(a.summary, 120)}${given(a.project) ? ` to ${ident(a.project)}` : ''} ` +
      `through ${synqlyTarget(a.accountId, a.integrationId)}?`,
  ),
  disable_identity_user: ask(
    ['accountId', 'integrationId', 'userId'],
    (a) =>
      `Disable user ${ident(a.userId)} in the identity provider of ${synqlyTarget(a.accountId, a.integrationId)}? ` +
      'They cannot sign in until enable_identity_user.',
  ),
  enable_identity_user: ask(
    ['accountId', 'integrationId', 'userId'],
    (a) =>
      `Re-enable user ${ident(a.userId)} in the identity provider of ${synqlyTarget(a.accountId, a.integrationId)}?`,
  ),
  create_account: ask(
    ['name', 'fullname', 'environment'],
    (a) =>
      `Create the Synqly account ${given(a.name) ? ident(a.name) : '(name generated)'}` +
      `${given(a.fullname) ? ` (${quoted(a.fullname)})` : ''} in environment ` +
      `${given(a.environment) ? ident(a.environment) : 'prod'}?`,
  ),
  delete_account: ask(
    ['accountId'],
    (a) =>
      `Delete Synqly account ${ident(a.accountId)} together with all its integrations and their tokens? ` +
      'Irreversible: its connectors stop working at once.',
    (a) => text(a.accountId),
  ),
  create_integration: ask(['accountId', 'provider_config', 'name'], (a) => {
    const type = (a.provider_config as { type?: unknown } | undefined)?.type;
    return (
      `Create a ${given(type) ? ident(type) : 'provider'} integration` +
      `${given(a.name) ? ` ${ident(a.name)}` : ''} in Synqly account ${ident(a.accountId)}? ` +
      'Its token pair is shown once.'
    );
  }),
  delete_integration: ask(
    ['accountId', 'integrationId'],
    (a) =>
      `Delete Synqly integration ${ident(a.integrationId)} of account ${ident(a.accountId)} and revoke its ` +
      'tokens? Irreversible: the connector stops working at once.',
    (a) => text(a.integrationId),
  ),
  create_integration_point: ask(
    ['connector', 'name'],
    (a) =>
      `Create a Synqly ${ident(a.connector)} integration point${given(a.name) ? ` ${ident(a.name)}` : ''}, ` +
      'where customers connect a provider?',
  ),
  create_integration_token: ask(
    ['accountId', 'integrationId', 'token_ttl'],
    (a) =>
      `Mint a token for Synqly integration ${ident(a.integrationId)} (account ${ident(a.accountId)}), valid ` +
      `for ${given(a.token_ttl) ? ident(a.token_ttl) : '10m'}? The secret is shown once.`,
  ),

  // ── Synap ──────────────────────────────────────────────────────────────────────────────────────────────
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

  // ── Synchronex ─────────────────────────────────────────────────────────────────────────────────────────
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

/** A form field of an elicitation (form mode allows flat primitive fields only). */
export type FormField =
  | { type: 'boolean'; title: string; description: string; default: boolean }
  | { type: 'string'; title: string; description: string; minLength: number; maxLength: number };

/** The requested schema of a form elicitation. */
export type FormSchema = {
  type: 'object';
  properties: Record<string, FormField>;
  required: string[];
};

/** What the user is shown and asked for before one call. */
export interface Confirmation {
  /** The elicitation's message: the question and who is asking. */
  message: string;
  /** A boolean `confirm` (default false), or a string `confirm` the user types. */
  requestedSchema: FormSchema;
  /** The text the user must type, for a typed confirmation. */
  expected: string | undefined;
  /** False when no question was written for the tool and the generic one was used. */
  specific: boolean;
}

/** The tool as a confirmation sees it. */
export interface ConfirmableTool {
  name: string;
  title: string;
  annotations: ToolAnnotations;
}

/** The key of the single field of every confirmation form. */
export const CONFIRM_FIELD = 'confirm';

/** The confirmation of one call of `tool` with these (validated) arguments. */
export function confirmationFor(
  tool: ConfirmableTool,
  args: Readonly<Record<string, unknown>>,
): Confirmation {
  const wording = WORDINGS[tool.name];
  const question =
    wording?.ask(args) ?? `Run ${quoted(tool.title)} with the arguments ${oneLine(args, 300)}?`;
  const expected = wording?.typed?.(args);
  const message =
    `${question}\n\nThe AI assistant asks to run the syn-mcp tool ${tool.name} (${tool.title}). ` +
    'Nothing is sent until you confirm.';
  const field: FormField =
    expected === undefined
      ? {
          type: 'boolean',
          title: tool.annotations.destructiveHint ? 'Confirm this change' : 'Confirm',
          description: 'Tick to let syn-mcp make this call; leave it unticked to cancel.',
          default: false,
        }
      : {
          type: 'string',
          title: `Type ${oneLine(expected)} to confirm`,
          description: `Type exactly ${oneLine(expected)}; anything else cancels. Irreversible.`,
          minLength: 1,
          maxLength: 200,
        };
  return {
    message,
    requestedSchema: { type: 'object', properties: { [CONFIRM_FIELD]: field }, required: [CONFIRM_FIELD] },
    expected,
    specific: wording !== undefined,
  };
}
