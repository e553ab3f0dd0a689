/** One table of data: the confirmation question of each Synqly tool that needs one, by tool name. */
import { bytes, count, ident, lengthOf, oneLine, quoted, synqlyTarget } from '../words.js';
import { ask, given, text, type Wording } from './ask.js';

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

/** Synqly's questions, by tool name. */
export const SYNQLY_QUESTIONS: Readonly<Record<string, Wording>> = {
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
};
