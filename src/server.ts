import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  type CallToolResult,
  ErrorCode,
  ListToolsRequestSchema,
  type ListToolsResult,
  McpError,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';
import { CancelledError, InputError, SynError, toToolResult } from './errors.js';
import { containsSecret, redact, registerSecret } from './http/redact.js';
import type { Logger } from './log.js';
import { toPublishedSchema } from './schema.js';
import type { AnyToolDef, ApiViews, ProgressUpdate, ToolContext } from './tool.js';

/** What the server needs: the selected tools and the API views they call. */
export interface ServerOptions {
  tools: readonly AnyToolDef[];
  api: ApiViews;
  log: Logger;
  version: string;
  /** Budget of one tool call (ms). */
  callDeadlineMs: number;
  now?: () => number;
  /** Provider keys BYOK tools may register (Config.byokKeys). */
  byokKeys?: Readonly<Record<string, string>>;
}

/** A built server: a factory of SDK Server instances (one per connection) over one precomputed catalog. */
export interface SynServer {
  /** A new SDK Server with the handlers registered; connect it to one transport. */
  connect(): Server;
  /** The tools/list result, computed once at startup. */
  readonly catalog: ListToolsResult;
  /** Runs one tool call through the boundary (what the tools/call handler does). */
  call(
    name: string,
    args: unknown,
    extra: { signal: AbortSignal; progressToken?: string | number | undefined; notify?: NotifyFn },
  ): Promise<CallToolResult>;
}

type NotifyFn = (params: {
  progressToken: string | number;
  progress: number;
  total?: number;
  message: string;
}) => Promise<void>;

const INSTRUCTIONS =
  'syn-mcp exposes SyncGuard, Synapse, Synqly, Synap and Synchronex as tools. List tools return ' +
  '{items, nextCursor}: pass nextCursor back as `cursor` for the next page. Errors say what to fix.';

function describeTool(tool: AnyToolDef): Tool {
  return {
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: toPublishedSchema(tool.input, 'input'),
    outputSchema: toPublishedSchema(tool.output, 'output'),
    annotations: { title: tool.title, ...tool.annotations },
  };
}

function issuesOf(error: z.ZodError): InputError {
  const issues = error.issues.map((i) => ({
    path: i.path.map(String).join('.'),
    message:
      i.code === 'unrecognized_keys' ? `unknown field(s) ${i.keys.join(', ')}; remove them` : i.message,
  }));
  return new InputError('Nothing was sent; correct the arguments and call again.', issues);
}

/**
 * createServer: registers the selected tools and holds the single error boundary. Every failure of a
 * handler, the HTTP client or validation becomes one isError result here, and nowhere else.
 */
export function createServer(opts: ServerOptions): SynServer {
  const now = opts.now ?? Date.now;
  const byName = new Map(opts.tools.map((t) => [t.name, t]));
  const catalog: ListToolsResult = { tools: opts.tools.map(describeTool) };

  async function call(
    name: string,
    rawArgs: unknown,
    extra: { signal: AbortSignal; progressToken?: string | number | undefined; notify?: NotifyFn },
  ): Promise<CallToolResult> {
    const tool = byName.get(name);
    if (!tool) throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${name}`);
    try {
      const parsed = tool.input.safeParse(rawArgs ?? {});
      if (!parsed.success) throw issuesOf(parsed.error);
      let step = 0;
      const shown = new Set<string>();
      const { progressToken, notify } = extra;
      const ctx: ToolContext = {
        api: opts.api,
        signal: extra.signal,
        deadline: now() + opts.callDeadlineMs,
        log: opts.log,
        byokKeys: opts.byokKeys ?? {},
        secret(value, { showOnce }) {
          registerSecret(value);
          if (showOnce) shown.add(value);
        },
        wantsProgress: progressToken !== undefined && notify !== undefined,
        async progress(update: ProgressUpdate) {
          if (progressToken === undefined || !notify) return;
          step = update.progress ?? step + 1;
          const params = { progressToken, progress: step, message: redact(update.message) };
          await notify(update.total === undefined ? params : { ...params, total: update.total });
        },
      };
      const result = await tool.handler(parsed.data, ctx);
      const checked = tool.output.safeParse(result);
      if (!checked.success) {
        opts.log.error(`tool ${name}: result does not match its output schema: ${checked.error.message}`);
        throw new SynError(`${tool.title}: the API answered in a shape syn-mcp does not understand.`);
      }
      let text = JSON.stringify(checked.data);
      let structured = checked.data as Record<string, unknown>;
      if (containsSecret(text, shown)) {
        text = redact(text, shown);
        structured = JSON.parse(text) as Record<string, unknown>;
      }
      return { content: [{ type: 'text', text }], structuredContent: structured };
    } catch (err) {
      if (extra.signal.aborted) {
        opts.log.debug(`tool ${name}: cancelled`);
        return toToolResult(new CancelledError());
      }
      if (err instanceof SynError) opts.log.debug(`tool ${name}: ${err.name}: ${err.message}`);
      else opts.log.error(`tool ${name} failed unexpectedly`, err);
      return toToolResult(err, { listTool: tool.listTool });
    }
  }

  function connect(): Server {
    const server = new Server(
      { name: 'syn-mcp', title: 'syn-mcp', version: opts.version },
      { capabilities: { tools: { listChanged: false }, logging: {} }, instructions: INSTRUCTIONS },
    );
    server.setRequestHandler(ListToolsRequestSchema, () => catalog);
    server.setRequestHandler(CallToolRequestSchema, (request, extra) =>
      call(request.params.name, request.params.arguments, {
        signal: extra.signal,
        progressToken: request.params._meta?.progressToken,
        notify: (params) => extra.sendNotification({ method: 'notifications/progress', params }),
      }),
    );
    server.onerror = (err) => opts.log.warn(`protocol error: ${err.message}`);
    return server;
  }

  return { connect, catalog, call };
}
