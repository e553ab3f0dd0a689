import { identityUserAction } from './identity-action.js';

export default identityUserAction('disable', {
  title: 'Synqly · Disable identity user',
  description:
    'Disable (suspend) a user in the Synqly-connected identity provider (Okta, Entra ID, …): no sign-in until enable_identity_user. userId is the uid from list_identity_users. Confirm with the user first. Returns the integration used. Without accountId and integrationId it writes to the integration SYNQLY_INTEGRATION_TOKEN belongs to; the result names the integration used (or the call is refused when that cannot be known).',
  destructive: true,
});
