import { identityUserAction } from './identity-action.js';

export default identityUserAction('disable', {
  title: 'Synqly · Disable identity user',
  description:
    "Disable (suspend) a user in the Synqly-connected identity provider (Okta, Entra ID, …): no sign-in until enable_identity_user. userId is the uid from list_identity_users. Confirm with the user first. No ids: the configured token's integration, named in the result (refused if unknown).",
  destructive: true,
});
