import {
  type CacheHint,
  type CallToolResult,
  CLIENT_CAPABILITIES_META_KEY,
  type ClientCapabilities,
  type ElicitRequestFormParams,
  type InputRequiredResult,
  type JSONRPCRequest,
  type McpRequestContext,
  type McpServerFactory,
  ProtocolError,
  ProtocolErrorCode,
  type Result,
  Server,
  type ServerCapabilities,
  type ServerContext,
} from '@modelcontextprotocol/server';
import type { SynServer } from './server.js';

/**
 * How long a client may reuse tools/list, prompts/list and server/discover answers on 2026-07-28
 * (`ttlMs`/`cacheScope`): the catalog is fixed for the life of the process, but it depends on this
 * server's configuration and the client's schema profile, so it is private to the client.
 */
const LIST_CACHE: CacheHint = { ttlMs: 300_000, cacheScope: 'private' };

/** What the SDK needs besides the server: whether a 2025 connection can be asked for input. */
export interface ProtocolOptions {
  /**
   * True where the SDK's legacy shim can turn an input-required round into a server-initiated
   * elicitation (stdio, stateful HTTP); false for per-request 2025 serving (`--stateless`).
   */
  legacyCanElicit: boolean;
  /**
   * Verifies an echoed 2026-07-28 `requestState` before the handler runs (throw to refuse: the SDK then
   * answers -32602); what it returns is what `ctx.input.state` holds. Unset: the raw string.
   */
  verifyState?: ((state: string) => unknown) | undefined;
}

/** Whether a client's declared capabilities include form elicitation (`{}` means form only). */
function formElicitation(capabilities: ClientCapabilities | undefined): boolean {
  const e = capabilities?.elicitation;
  if (e === undefined) return false;
  return e.form !== undefined || e.url === undefined;
}

type Handler = (request: JSONRPCRequest, ctx: ServerContext) => Promise<Result>;

/** The -32602 message for params that do not validate, from the SDK's issue list (JSON) when it is one. */
function invalidParamsText(method: string, message: string): string {
  let text = message;
  try {
    const issues = JSON.parse(message) as Array<{ path?: unknown[]; message?: string }>;
    text = issues
      .map((i) => `${(i.path ?? []).map(String).join('.') || '(params)'}: ${i.message}`)
      .join('; ');
  } catch {
    // not an issue list: the message as it is
  }
  return `Invalid params for ${method}: ${text}`.slice(0, 500);
}

/**
 * The SDK's low-level Server, but a request whose params do not match the method's schema is answered
 * -32602 `Invalid params for <method>: <path>: <issue>; …`, as JSON-RPC 2.0 and MCP require: the SDK 2.4.0
 * answers -32603 with the raw validation issues for every method but tools/call (a plain Error, which none
 * of syn-mcp's handlers let escape: the boundary turns every failure into a result, the others throw
 * ProtocolError), and -32602 with the raw issues for tools/call.
 */
class SynSdkServer extends Server {
  protected override _wrapHandler(method: string, handler: Handler): Handler {
    const guarded: Handler = async (request, ctx) => {
      try {
        return await handler(request, ctx);
      } catch (err) {
        if (err instanceof Error && err.constructor === Error) {
          throw new ProtocolError(ProtocolErrorCode.InvalidParams, invalidParamsText(method, err.message));
        }
        throw err;
      }
    };
    const wrapped = super._wrapHandler(method, guarded);
    const prefix = `Invalid ${method} request: `;
    return async (request, ctx) => {
      try {
        return await wrapped(request, ctx);
      } catch (err) {
        if (
          err instanceof ProtocolError &&
          err.code === ProtocolErrorCode.InvalidParams &&
          err.message.startsWith(prefix)
        ) {
          throw new ProtocolError(err.code, invalidParamsText(method, err.message.slice(prefix.length)));
        }
        throw err;
      }
    };
  }
}

/**
 * The SDK server factory for `server`: one low-level SDK `Server` per connection (stdio, a stateful HTTP
 * session) or per request (2026-07-28, `--stateless`), answering with syn-mcp's own catalog, prompts and
 * error boundary. The SDK owns everything else: framing, the era of each request, initialize and
 * server/discover, the per-request `_meta` envelope, cache fields, ping, cancellation, input_required.
 * tools/list publishes syn-mcp's post-processed JSON Schemas (src/catalog.ts, src/profiles.ts) as they are.
 * The `logging` capability is declared to 2025 clients only (deprecated on 2026-07-28); syn-mcp sends no
 * log messages, so `logging/setLevel` only records the level.
 */
export function serverFactory(server: SynServer, options: ProtocolOptions): McpServerFactory {
  const { info } = server.methods;
  const modernCapabilities: ServerCapabilities = info.capabilities;
  const legacyCapabilities: ServerCapabilities = { ...info.capabilities, logging: {} };
  const verify = options.verifyState;
  return ({ era }: McpRequestContext) => {
    const sdk = new SynSdkServer(info.serverInfo, {
      capabilities: era === 'modern' ? modernCapabilities : legacyCapabilities,
      instructions: info.instructions,
      cacheHints: {
        'tools/list': LIST_CACHE,
        'prompts/list': LIST_CACHE,
        'server/discover': LIST_CACHE,
        // The MCP Apps views are built once and fixed for the life of the process too.
        'resources/list': LIST_CACHE,
        'resources/templates/list': LIST_CACHE,
        'resources/read': LIST_CACHE,
      },
      ...(verify ? { requestState: { verify: (state: string) => verify(state) } } : {}),
    });
    // 2026-07-28: only what this request declares counts (its own _meta envelope); 2025: the session's.
    const canElicit = (ctx: ServerContext) =>
      era === 'modern'
        ? formElicitation(
            (ctx.mcpReq.envelope as Record<string, unknown> | undefined)?.[CLIENT_CAPABILITIES_META_KEY] as
              | ClientCapabilities
              | undefined,
          )
        : options.legacyCanElicit && formElicitation(sdk.getClientCapabilities());
    sdk.setRequestHandler('tools/list', () => server.methods.listTools());
    sdk.setRequestHandler('prompts/list', () => server.methods.listPrompts());
    sdk.setRequestHandler('prompts/get', (request) => server.methods.getPrompt(request.params));
    // MCP Apps views (src/apps): only when the server serves them (not with --no-apps).
    const resources = server.methods.resources;
    if (resources) {
      sdk.setRequestHandler('resources/list', () => resources.list());
      sdk.setRequestHandler('resources/templates/list', () => ({ resourceTemplates: [] }));
      sdk.setRequestHandler('resources/read', (request) => resources.read(request.params));
    }
    sdk.setRequestHandler('tools/call', (request, ctx: ServerContext) =>
      callTool(server, request.params, ctx, canElicit(ctx), era !== 'modern'),
    );
    return sdk;
  };
}

/** tools/call: the boundary (SynServer.call) with the request's signal, progress and human input. */
function callTool(
  server: SynServer,
  params: {
    name: string;
    arguments?: Record<string, unknown> | undefined;
    _meta?: { progressToken?: string | number | undefined } | undefined;
  },
  ctx: ServerContext,
  canElicit: boolean,
  legacy: boolean,
): Promise<CallToolResult | InputRequiredResult> {
  const { mcpReq } = ctx;
  // A 2025 connection is asked with a server-to-client elicitation on the spot, and waited for; a
  // 2026-07-28 request through input_required rounds (the boundary decides, src/confirm/gate.ts).
  const elicit = legacy
    ? (
        request: { mode: 'form'; message: string; requestedSchema: object },
        opts: { timeoutMs: number; signal: AbortSignal },
      ) =>
        mcpReq.elicitInput(request as ElicitRequestFormParams, {
          timeout: opts.timeoutMs,
          signal: opts.signal,
        })
    : undefined;
  return server.call(params.name, params.arguments, {
    signal: mcpReq.signal,
    progressToken: mcpReq._meta?.progressToken ?? params._meta?.progressToken,
    notify: (progress) => mcpReq.notify({ method: 'notifications/progress', params: progress }),
    input: { responses: mcpReq.inputResponses, state: mcpReq.requestState(), canElicit, elicit },
    principal: ctx.http?.authInfo?.clientId ?? '',
  });
}
