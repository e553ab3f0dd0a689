import type { ToolsetDef } from '../../src/tool.js';
import createAccount from './create-account.js';
import createIntegration from './create-integration.js';
import createIntegrationPoint from './create-integration-point.js';
import createIntegrationToken from './create-integration-token.js';
import createNotification from './create-notification.js';
import createTicket from './create-ticket.js';
import deleteAccount from './delete-account.js';
import deleteFile from './delete-file.js';
import deleteIntegration from './delete-integration.js';
import disableIdentityUser from './disable-identity-user.js';
import downloadFile from './download-file.js';
import enableIdentityUser from './enable-identity-user.js';
import getAccount from './get-account.js';
import getIntegration from './get-integration.js';
import listAccounts from './list-accounts.js';
import listIdentityUsers from './list-identity-users.js';
import listIntegrationPoints from './list-integration-points.js';
import listIntegrations from './list-integrations.js';
import listStorageFiles from './list-storage-files.js';
import listTokens from './list-tokens.js';
import queryIdentityAuditLog from './query-identity-audit-log.js';
import querySiemEvents, { querySiemEventsTool } from './query-siem-events.js';
import queryTickets from './query-tickets.js';
import updateTicket from './update-ticket.js';
import uploadFile from './upload-file.js';

/** Options of the Synqly toolsets (tests shorten the SIEM poll interval). */
export interface SynqlyToolsetOptions {
  /** Pause between two polls of a PENDING SIEM query (ms); default 2000. */
  siemPollIntervalMs?: number;
}

/**
 * Synqly toolsets: reads (Management lists and Connector queries) on by default; account, integration
 * and token changes opt-in (`synqly_admin`); connector writes in `synqly_write`.
 */
export function createSynqlyToolsets(opts: SynqlyToolsetOptions = {}): ToolsetDef[] {
  const siem =
    opts.siemPollIntervalMs === undefined
      ? querySiemEvents
      : querySiemEventsTool({ intervalMs: opts.siemPollIntervalMs });
  return [
    {
      name: 'synqly',
      service: 'synqly',
      description:
        'Synqly reads: accounts, integrations, integration points and tokens (organization token); SIEM ' +
        'events, identity audit log and users, tickets and storage files (integration token).',
      default: true,
      tools: [
        listAccounts,
        getAccount,
        listIntegrations,
        getIntegration,
        listIntegrationPoints,
        listTokens,
        siem,
        queryIdentityAuditLog,
        listIdentityUsers,
        queryTickets,
        listStorageFiles,
        downloadFile,
      ],
    },
    {
      name: 'synqly_write',
      service: 'synqly',
      description:
        'Synqly connector writes: create and update tickets, upload and delete files, send notifications, ' +
        'disable and enable identity users.',
      default: false,
      tools: [
        createTicket,
        updateTicket,
        uploadFile,
        deleteFile,
        createNotification,
        disableIdentityUser,
        enableIdentityUser,
      ],
    },
    {
      name: 'synqly_admin',
      service: 'synqly',
      description:
        'Synqly administration (organization token): create and delete accounts and integrations, ' +
        'integration points, and integration tokens.',
      default: false,
      tools: [
        createAccount,
        deleteAccount,
        createIntegration,
        deleteIntegration,
        createIntegrationPoint,
        createIntegrationToken,
      ],
    },
  ];
}

/** The Synqly toolsets as registered. */
export const synqlyToolsets: ToolsetDef[] = createSynqlyToolsets();
