import { identityUserAction } from './identity-action.js';

export default identityUserAction('enable', {
  title: 'Synqly · Enable identity user',
  description:
    "Re-enable a user in the Synqly-connected identity provider, e.g. after disable_identity_user. userId is the uid from list_identity_users. No ids: the configured token's integration, named in the result (refused if unknown).",
  destructive: false,
});
