/** One table of data: the confirmation question of each SyncGuard tool that needs one, by tool name. */
import { ident, oneLine, quoted } from '../words.js';
import { ask, changes, given, seconds, type Wording } from './ask.js';

/** SyncGuard's questions, by tool name. */
export const SYNCGUARD_QUESTIONS: Readonly<Record<string, Wording>> = {
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
};
