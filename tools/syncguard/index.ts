import type { ToolsetDef } from '../../src/tool.js';
import listIncidents from './list-incidents.js';
import resolveIncident from './resolve-incident.js';
import sendEvent from './send-event.js';

/** SyncGuard toolsets. */
export const syncguardToolsets: ToolsetDef[] = [
  {
    name: 'syncguard',
    service: 'syncguard',
    description: 'Integration incidents: send events, list and resolve incidents.',
    default: true,
    tools: [sendEvent, listIncidents, resolveIncident],
  },
];
