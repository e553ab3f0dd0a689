/**
 * The MCP Apps views syn-mcp serves (the `io.modelcontextprotocol/ui` extension, ext-apps 2.x, apps spec
 * 2026-01-26): one `ui://` HTML resource per view, linked from the tools whose results it draws. The HTML is
 * built by scripts/build-views.mjs from views/ into one self-contained file per view.
 */

/** MIME type of an MCP Apps HTML resource (ext-apps `RESOURCE_MIME_TYPE`). */
export const APP_MIME_TYPE = 'text/html;profile=mcp-app';

/** The deprecated flat tool `_meta` key hosts still read (ext-apps `RESOURCE_URI_META_KEY`). */
export const LEGACY_RESOURCE_URI_KEY = 'ui/resourceUri';

/** One view: its resource and the tools whose results it shows. */
export interface AppViewDef {
  /** File name under the built views directory. */
  file: string;
  uri: string;
  name: string;
  title: string;
  description: string;
  /** Tools whose results this view draws (`_meta.ui.resourceUri` points here). */
  tools: readonly string[];
}

/** A view with its built HTML. */
export interface AppView extends AppViewDef {
  html: string;
}

/** The three views of issue 21. */
export const APP_VIEWS: readonly AppViewDef[] = [
  {
    file: 'incidents.html',
    uri: 'ui://syn-mcp/incidents.html',
    name: 'incidents',
    title: 'SyncGuard incidents',
    description:
      'Incidents by status with pattern, confidence, tenants and age; the selected one shows its lifecycle timeline and can be resolved.',
    tools: ['list_incidents', 'get_incident'],
  },
  {
    file: 'trends.html',
    uri: 'ui://syn-mcp/trends.html',
    name: 'trends',
    title: 'SyncGuard trends',
    description: 'Incidents opened per day and pattern, and the workspace headline figures.',
    tools: ['get_workspace_trends', 'get_workspace_stats'],
  },
  {
    file: 'orchestration-run.html',
    uri: 'ui://syn-mcp/orchestration-run.html',
    name: 'orchestration-run',
    title: 'Synapse orchestration run',
    description:
      "An orchestration run's steps with their status; a paused human step shows its typed form, which resumes the run.",
    tools: ['run_orchestration', 'resume_orchestration_run'],
  },
];
