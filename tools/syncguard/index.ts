import type { ToolsetDef } from '../../src/tool.js';
import activateTenant from './activate-tenant.js';
import createTenant from './create-tenant.js';
import createWorkspace from './create-workspace.js';
import deactivateTenant from './deactivate-tenant.js';
import getIncident from './get-incident.js';
import getIncidentTimeline from './get-incident-timeline.js';
import getWorkspace from './get-workspace.js';
import getWorkspaceStats from './get-workspace-stats.js';
import getWorkspaceTrends from './get-workspace-trends.js';
import listEvents from './list-events.js';
import listIncidents from './list-incidents.js';
import listPatterns from './list-patterns.js';
import listTenants from './list-tenants.js';
import removeAlertChannel from './remove-alert-channel.js';
import resolveIncident from './resolve-incident.js';
import rotateApiKey from './rotate-api-key.js';
import sendEvent from './send-event.js';
import setAlertChannel from './set-alert-channel.js';
import updatePattern from './update-pattern.js';
import updateWorkspace from './update-workspace.js';

/** SyncGuard toolsets: the everyday set on by default, workspace administration opt-in. */
export const syncguardToolsets: ToolsetDef[] = [
  {
    name: 'syncguard',
    service: 'syncguard',
    description:
      'Integration incidents: send events, investigate and resolve incidents, patterns, stats and trends.',
    default: true,
    tools: [
      sendEvent,
      listIncidents,
      getIncident,
      getIncidentTimeline,
      listEvents,
      resolveIncident,
      listPatterns,
      getWorkspaceStats,
      getWorkspaceTrends,
    ],
  },
  {
    name: 'syncguard_admin',
    service: 'syncguard',
    description:
      'Workspace administration: patterns, windows, key rotation, alert channels, tenants, new workspaces.',
    default: false,
    tools: [
      getWorkspace,
      updateWorkspace,
      updatePattern,
      rotateApiKey,
      setAlertChannel,
      removeAlertChannel,
      listTenants,
      createTenant,
      deactivateTenant,
      activateTenant,
      createWorkspace,
    ],
  },
];
