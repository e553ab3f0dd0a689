/**
 * createServer: what one syn-mcp server answers, over one precomputed catalog of the selected tools —
 * tools/call through the boundary (src/boundary.ts), the other methods from src/methods.ts. src/protocol.ts
 * serves it through the MCP SDK.
 */
import type { CallToolResult, InputRequiredResult, ListToolsResult } from '@modelcontextprotocol/server';
import { AppResources } from './apps/resources.js';
import type { AppView } from './apps/views.js';
import type { AuditSink } from './audit.js';
import { type CallExtra, createBoundary } from './boundary.js';
import type { ServiceViews } from './call-view.js';
import { Catalog } from './catalog.js';
import type { HumanStepsAdapter } from './confirm/human-steps.js';
import type { ConfirmMode } from './confirm/policy.js';
import type { StateSealer } from './confirm/state.js';
import type { Logger } from './log.js';
import { type ServerMethods, serverMethods } from './methods.js';
import type { SchemaProfile } from './profiles.js';
import type { AnyToolDef } from './tool.js';

/** What the server needs: the selected tools and the API views they call. */
export interface ServerOptions {
  tools: readonly AnyToolDef[];
  api: ServiceViews;
  log: Logger;
  version: string;
  /** Budget of one tool call (ms). */
  callDeadlineMs: number;
  now?: () => number;
  /** Provider keys BYOK tools may register (Config.byokKeys). */
  byokKeys?: Readonly<Record<string, string>>;
  /** Receives one entry per call of a write tool (readOnlyHint false): SYN_MCP_AUDIT_LOG. */
  audit?: AuditSink | undefined;
  /**
   * Published schema profile; `auto` (default) picks it from the client's name (at initialize, or the
   * 2026-07-28 request's clientInfo).
   */
  schemaProfile?: SchemaProfile | 'auto';
  /** Budget of one result's text, in characters (default 20,000). */
  maxResultChars?: number;
  /** `--confirm`: which calls the user confirms through the client first (default destructive). */
  confirm?: ConfirmMode;
  /** Seals input_required state (SYN_MCP_STATE_KEY); a sealer with a per-process key by default. */
  sealer?: StateSealer;
  /** Services whose runs pause for a person (Synapse): asked through the client when it can show a form. */
  humanSteps?: readonly HumanStepsAdapter[];
  /** How long a 2025 client's answer to a form is waited for (default 10 minutes). */
  askTimeoutMs?: number;
  /** The principal this server acts for (HTTP for teams): named in every audit entry. */
  principal?: string | undefined;
  /**
   * MCP Apps views (src/apps) to serve as `ui://` resources linked from their tools; none (the default, and
   * with `--no-apps`): no resources capability, no resources, no `_meta.ui` on any tool.
   */
  apps?: readonly AppView[] | undefined;
}

/** A built server: the answers of every session over one precomputed catalog. */
export interface SynServer {
  /** The handlers of the methods other than tools/call. */
  readonly methods: ServerMethods;
  /** The tools/list result under the full (claude) profile. */
  readonly catalog: ListToolsResult;
  /**
   * Runs one tool call through the boundary (what the tools/call handler does): a tool result, or an
   * input-required round when the handler asked the user something (ToolContext.ask).
   */
  call(name: string, args: unknown, extra: CallExtra): Promise<CallToolResult | InputRequiredResult>;
}

/** Builds the server of the selected tools: its catalog, its boundary and its other methods. */
export function createServer(opts: ServerOptions): SynServer {
  const byName = new Map(opts.tools.map((t) => [t.name, t]));
  const apps =
    opts.apps && opts.apps.length > 0 ? new AppResources(opts.apps, new Set(byName.keys())) : undefined;
  const served = apps && apps.views.length > 0 ? apps : undefined;
  const catalog = new Catalog(opts.tools, (name) => served?.toolMeta(name));
  return {
    methods: serverMethods(opts, catalog, served),
    get catalog() {
      return { tools: catalog.list('claude') };
    },
    call: createBoundary(opts, byName, catalog),
  };
}
