import {
  type CallToolRequest,
  ErrorCode,
  type GetPromptRequest,
  type Implementation,
  type InitializeRequest,
  type JSONRPCErrorResponse,
  type JSONRPCMessage,
  type JSONRPCNotification,
  type JSONRPCRequest,
  type JSONRPCResultResponse,
  LATEST_PROTOCOL_VERSION,
  type RequestId,
  SUPPORTED_PROTOCOL_VERSIONS,
} from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';
import { ACCEPT, verdictOf } from '../accepts.js';
import { CLIENT_REQUESTS, invalidParamsText, type SynServer, structuredTextOf } from '../server.js';

/** The answer to one request. */
export type RpcAnswer = JSONRPCResultResponse | JSONRPCErrorResponse;

/** Sends a notification tied to the request being answered (progress), on the stream that carries its answer. */
export type RelatedNotify = (message: JSONRPCNotification) => void;

type Result = JSONRPCResultResponse['result'];

/**
 * The JSON text of an answer, exactly as JSON.stringify writes it; a tool result's structuredContent, which
 * the call serialised already, is spliced in as that text instead of being serialised again.
 */
export function serialiseAnswer(answer: RpcAnswer): string {
  const result = 'result' in answer ? answer.result : undefined;
  const structured = result === undefined ? undefined : structuredTextOf(result);
  if (result === undefined || structured === undefined) return JSON.stringify(answer);
  const { structuredContent: _, ...rest } = result;
  // `{"jsonrpc":"2.0","id":…,"result":{…}}` without its two closing braces, then the last member and them.
  const head = JSON.stringify({ jsonrpc: answer.jsonrpc, id: answer.id, result: rest });
  return `${head.slice(0, -2)},"structuredContent":${structured}}}`;
}

/** The error member of an answer to a handler that threw, as the SDK's Protocol builds it. */
function errorOf(err: unknown): JSONRPCErrorResponse['error'] {
  const e = (typeof err === 'object' && err !== null ? err : {}) as {
    code?: unknown;
    message?: unknown;
    data?: unknown;
  };
  const error: JSONRPCErrorResponse['error'] = {
    code: Number.isSafeInteger(e.code) ? (e.code as number) : ErrorCode.InternalError,
    message: typeof e.message === 'string' ? e.message : 'Internal error',
  };
  if (e.data !== undefined) error.data = e.data;
  return error;
}

const fail = (id: RequestId, code: number, message: string): JSONRPCErrorResponse => ({
  jsonrpc: '2.0',
  id,
  error: { code, message },
});

/**
 * One MCP session's protocol side without the SDK's Server: answers JSON-RPC requests with the SynServer's own
 * methods, the way its SDK Server does (the same results, error codes and messages; test/unit/rpc.test.ts holds
 * them side by side), minus what the SDK does per message that syn-mcp does not need: a Protocol object per
 * connection, a promise chain and a second and third zod parse of every request, a zod parse of every result.
 * Params are validated once, against the SDK's own request schema (-32602 when they do not match).
 */
export class RpcSession {
  readonly #server: SynServer;
  #client: Implementation | undefined;
  /** The requests being answered, by id, so that notifications/cancelled can stop one. */
  readonly #inflight = new Map<RequestId, AbortController>();
  #closed = false;

  constructor(server: SynServer) {
    this.#server = server;
  }

  /** The name and version the client gave at initialize. */
  get client(): Implementation | undefined {
    return this.#client;
  }

  /**
   * Answers one request; resolves to undefined when it was cancelled (notifications/cancelled, or the session
   * closed): MCP sends no answer then. Never rejects.
   */
  async request(message: JSONRPCRequest, notify?: RelatedNotify): Promise<RpcAnswer | undefined> {
    const { id, method } = message;
    const schema = CLIENT_REQUESTS.get(method);
    if (!schema) return fail(id, ErrorCode.MethodNotFound, 'Method not found');
    // The request as the method's schema sees it (zod would strip jsonrpc and id): told without zod when
    // it passes as it is (accepts.ts), else zod decides and words the error.
    const request = message.params === undefined ? { method } : { method, params: message.params };
    const parsed =
      verdictOf(schema, request) === ACCEPT
        ? ({ success: true, data: request } as const)
        : schema.safeParse(message);
    if (!parsed.success) {
      return fail(id, ErrorCode.InvalidParams, invalidParamsText(method, parsed.error as z.ZodError));
    }
    const controller = new AbortController();
    if (this.#closed) controller.abort();
    // A request id reused while the first is still in flight: the later one is the one cancellation reaches.
    this.#inflight.set(id, controller);
    try {
      const result = await this.#dispatch(parsed.data as JSONRPCRequest, controller.signal, notify);
      if (controller.signal.aborted) return undefined;
      if (result === undefined) return fail(id, ErrorCode.MethodNotFound, 'Method not found');
      return { jsonrpc: '2.0', id, result };
    } catch (err) {
      if (controller.signal.aborted) return undefined;
      return { jsonrpc: '2.0', id, error: errorOf(err) };
    } finally {
      if (this.#inflight.get(id) === controller) this.#inflight.delete(id);
    }
  }

  /** Handles a notification from the client: only notifications/cancelled does anything. */
  notification(message: JSONRPCNotification): void {
    if (message.method !== 'notifications/cancelled') return;
    const params = message.params as { requestId?: unknown; reason?: unknown } | undefined;
    const id = params?.requestId;
    if (typeof id === 'string' || typeof id === 'number') this.#inflight.get(id)?.abort(params?.reason);
  }

  /** Handles any message read from the client; answers (resolved) only requests. */
  receive(message: JSONRPCMessage, notify?: RelatedNotify): Promise<RpcAnswer | undefined> | undefined {
    if ('method' in message) {
      if ('id' in message) return this.request(message, notify);
      this.notification(message);
    }
    // A response: syn-mcp sends the client no requests, so there is nothing it could answer.
    return undefined;
  }

  /** Number of requests being answered. */
  get inflight(): number {
    return this.#inflight.size;
  }

  /** Stops every request in flight (their answers are dropped) and any started later. */
  close(): void {
    this.#closed = true;
    for (const controller of this.#inflight.values()) controller.abort();
    this.#inflight.clear();
  }

  /** The result of a request already validated; undefined for a method syn-mcp does not serve. */
  async #dispatch(
    request: JSONRPCRequest,
    signal: AbortSignal,
    notify: RelatedNotify | undefined,
  ): Promise<Result | undefined> {
    const { methods } = this.#server;
    switch (request.method) {
      case 'tools/call': {
        const { params } = request as unknown as CallToolRequest;
        // A task-augmented call: the SDK Server refuses it so (no tasks capability), with -32603.
        if (typeof params.task === 'object' && params.task !== null) {
          throw new Error('Server does not support task creation (required for tools/call)');
        }
        const progressToken = params._meta?.progressToken;
        if (!notify) return this.#server.call(params.name, params.arguments, { signal, progressToken });
        return this.#server.call(params.name, params.arguments, {
          signal,
          progressToken,
          notify: async (progress) => {
            if (!signal.aborted)
              notify({ jsonrpc: '2.0', method: 'notifications/progress', params: progress });
          },
        });
      }
      case 'tools/list':
        return methods.listTools(this.#client?.name);
      case 'initialize': {
        const { params } = request as unknown as InitializeRequest;
        this.#client = params.clientInfo;
        const wanted = params.protocolVersion;
        return {
          protocolVersion: SUPPORTED_PROTOCOL_VERSIONS.includes(wanted) ? wanted : LATEST_PROTOCOL_VERSION,
          capabilities: methods.info.capabilities,
          serverInfo: methods.info.serverInfo,
          instructions: methods.info.instructions,
        };
      }
      case 'ping':
      case 'logging/setLevel':
        // syn-mcp sends no log messages to the client, so a level has nothing to filter.
        return {};
      case 'prompts/list':
        return methods.listPrompts();
      case 'prompts/get':
        return methods.getPrompt((request as unknown as GetPromptRequest).params);
      default:
        return undefined;
    }
  }
}
