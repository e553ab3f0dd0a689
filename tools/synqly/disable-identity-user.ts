import { identityUserAction } from './identity-action.js';

export default identityUserAction('disable', {
  title: 'Synqly · Disable identity user',
  description:
    'Suspend a user of the Synqly-connected identity provider until enable_identity_user; userId from list_identity_users. Confirm with the user first.',
  destructive: true,
});
