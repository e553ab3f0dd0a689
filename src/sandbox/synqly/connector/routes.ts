/**
 * Connector API routes (integration token), api-notes §1b: SIEM events, identity audit log, users and user
 * actions, tickets, storage and notifications. Every integration holds data for every connector category
 * (the sandbox does not check an integration's category).
 */
import type { Route } from '../route.js';
import { IDENTITY_ROUTES } from './identity.js';
import { NOTIFICATION_ROUTES } from './notifications.js';
import { SIEM_ROUTES } from './siem.js';
import { STORAGE_ROUTES } from './storage.js';
import { TICKETING_ROUTES } from './ticketing.js';

/** The Connector routes. */
export const connectorRoutes: readonly Route[] = [
  ...SIEM_ROUTES,
  ...IDENTITY_ROUTES,
  ...TICKETING_ROUTES,
  ...STORAGE_ROUTES,
  ...NOTIFICATION_ROUTES,
];
