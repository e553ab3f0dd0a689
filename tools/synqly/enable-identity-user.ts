import { identityUserAction } from './identity-action.js';

export default identityUserAction('enable', {
  title: 'Synqly · Enable identity user',
  description:
    'Re-enable a user of the Synqly-connected identity provider, e.g. after disable_identity_user; userId from list_identity_users.',
  destructive: false,
});
