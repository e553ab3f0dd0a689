import { identityUserAction } from './identity-action.js';

export default identityUserAction('enable', {
  title: 'Synqly · Enable identity user',
  description:
    'Re-enable a user in the Synqly-connected identity provider, e.g. after disable_identity_user. userId is the uid from list_identity_users. Returns the integration used. Without accountId and integrationId it writes to the integration SYNQLY_INTEGRATION_TOKEN belongs to; the result names the integration used (or the call is refused when that cannot be known).',
  destructive: false,
});
