/**
 * The SDK's own Server with syn-mcp's handlers registered: the reference RpcSession (src/transports/rpc.ts) is
 * held against in test/unit/rpc.test.ts. syn-mcp itself no longer runs an SDK Server on any transport.
 */
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  CallToolRequestSchema,
  ErrorCode,
  GetPromptRequestSchema,
  isJSONRPCRequest,
  ListPromptsRequestSchema,
  ListToolsRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { CLIENT_REQUESTS, invalidParamsText, type SynServer } from '../../src/server.js';

/**
 * An SDK Server answering a known request whose params do not validate with -32602 Invalid params (JSON-RPC
 * 2.0), as syn-mcp does: the SDK alone validates params inside the handler and reports -32603 Internal error.
 */
class GuardedServer extends Server {
  override async connect(transport: Transport): Promise<void> {
    await super.connect(transport);
    const receive = transport.onmessage;
    transport.onmessage = (message, extra) => {
      if (isJSONRPCRequest(message)) {
        const parsed = CLIENT_REQUESTS.get(message.method)?.safeParse(message);
        if (parsed && !parsed.success) {
          const error = {
            code: ErrorCode.InvalidParams,
            message: invalidParamsText(message.method, parsed.error),
          };
          transport.send({ jsonrpc: '2.0', id: message.id, error }).catch(() => {});
          return;
        }
      }
      receive?.(message, extra);
    };
  }
}

/** A new SDK Server answering with `server`'s methods; connect it to one transport. */
export function sdkServerFor(server: SynServer): Server {
  const { methods } = server;
  const sdk = new GuardedServer(methods.info.serverInfo, {
    capabilities: methods.info.capabilities,
    instructions: methods.info.instructions,
  });
  sdk.setRequestHandler(ListToolsRequestSchema, () => methods.listTools(sdk.getClientVersion()?.name));
  sdk.setRequestHandler(ListPromptsRequestSchema, () => methods.listPrompts());
  sdk.setRequestHandler(GetPromptRequestSchema, (request) => methods.getPrompt(request.params));
  sdk.setRequestHandler(CallToolRequestSchema, (request, extra) =>
    server.call(request.params.name, request.params.arguments, {
      signal: extra.signal,
      progressToken: request.params._meta?.progressToken,
      notify: (params) => extra.sendNotification({ method: 'notifications/progress', params }),
    }),
  );
  return sdk;
}
