/**
 * The view side of the MCP Apps protocol (apps spec 2026-01-26), over postMessage to the host: the
 * `ui/initialize` handshake, the tool input and result the host pushes, host context changes (theme, styles,
 * fonts), `tools/call` through the host and size reports. The wire types are ext-apps' own (type imports,
 * nothing of its runtime is bundled): its `App` class brings @modelcontextprotocol/client and zod, ~330 KB
 * minified, more than twice the 150 KB a view may weigh.
 */
import type {
  McpUiHostContext,
  McpUiInitializeResult,
  McpUiToolCancelledNotification,
  McpUiToolInputNotification,
} from '@modelcontextprotocol/ext-apps';
import type { CallToolResult } from '@modelcontextprotocol/server';

/** The apps protocol version this view speaks (ext-apps `LATEST_PROTOCOL_VERSION`). */
export const APPS_PROTOCOL_VERSION = '2026-01-26';

/** What a view does with what the host sends. */
export interface ViewHandlers {
  /** The arguments the tool was called with (`ui/notifications/tool-input`). */
  toolInput?(args: Record<string, unknown>): void;
  /** The tool's result (`ui/notifications/tool-result`). */
  toolResult?(result: CallToolResult): void;
  /** The call was cancelled (`ui/notifications/tool-cancelled`). */
  toolCancelled?(reason: string | undefined): void;
  /** The host context after a change (merged with what was known). */
  hostContext?(context: McpUiHostContext): void;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

type Message = {
  jsonrpc: '2.0';
  id?: string | number;
  method?: string;
  params?: Record<string, unknown>;
  result?: unknown;
  error?: { code: number; message: string };
};

function isMessage(data: unknown): data is Message {
  return typeof data === 'object' && data !== null && (data as { jsonrpc?: unknown }).jsonrpc === '2.0';
}

/** A JSON-RPC peer over `window.parent` speaking the view side of MCP Apps. */
export class ViewBridge {
  #next = 1;
  readonly #pending = new Map<string | number, Pending>();
  #context: McpUiHostContext = {};
  readonly #handlers: ViewHandlers;
  readonly #target: Window;

  constructor(
    private readonly appInfo: { name: string; version: string },
    handlers: ViewHandlers,
    target: Window = window.parent,
  ) {
    this.#handlers = handlers;
    this.#target = target;
    window.addEventListener('message', (event) => {
      if (event.source !== this.#target || !isMessage(event.data)) return;
      this.#receive(event.data);
    });
  }

  /** The host context as last known. */
  get context(): McpUiHostContext {
    return this.#context;
  }

  /** The handshake: `ui/initialize`, then `ui/notifications/initialized`; resolves to the host's answer. */
  async connect(): Promise<McpUiInitializeResult> {
    const result = (await this.request('ui/initialize', {
      appInfo: this.appInfo,
      appCapabilities: { availableDisplayModes: ['inline'] },
      protocolVersion: APPS_PROTOCOL_VERSION,
    })) as McpUiInitializeResult;
    this.#context = result.hostContext ?? {};
    this.#handlers.hostContext?.(this.#context);
    this.#notify('ui/notifications/initialized', {});
    this.#watchSize();
    return result;
  }

  /** `tools/call` through the host: the host decides (and may ask the user) before the server sees it. */
  async callTool(name: string, args: Record<string, unknown>): Promise<CallToolResult> {
    return (await this.request('tools/call', { name, arguments: args })) as CallToolResult;
  }

  /** One request to the host. */
  request(method: string, params: Record<string, unknown>): Promise<unknown> {
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#send({ jsonrpc: '2.0', id, method, params });
    });
  }

  #notify(method: string, params: Record<string, unknown>): void {
    this.#send({ jsonrpc: '2.0', method, params });
  }

  #send(message: Message): void {
    this.#target.postMessage(message, '*');
  }

  #receive(message: Message): void {
    if (message.method === undefined) {
      if (message.id === undefined) return;
      const pending = this.#pending.get(message.id);
      if (!pending) return;
      this.#pending.delete(message.id);
      if (message.error) pending.reject(new Error(message.error.message));
      else pending.resolve(message.result);
      return;
    }
    const params = message.params ?? {};
    if (message.id !== undefined) {
      // Requests from the host: teardown and ping are answered; this view offers no other method.
      const known = message.method === 'ui/resource-teardown' || message.method === 'ping';
      this.#send(
        known
          ? { jsonrpc: '2.0', id: message.id, result: {} }
          : {
              jsonrpc: '2.0',
              id: message.id,
              error: { code: -32601, message: `Method not found: ${message.method}` },
            },
      );
      return;
    }
    switch (message.method) {
      case 'ui/notifications/tool-input':
        this.#handlers.toolInput?.((params as McpUiToolInputNotification['params']).arguments ?? {});
        break;
      case 'ui/notifications/tool-result':
        this.#handlers.toolResult?.(params as CallToolResult);
        break;
      case 'ui/notifications/tool-cancelled':
        this.#handlers.toolCancelled?.((params as McpUiToolCancelledNotification['params']).reason);
        break;
      case 'ui/notifications/host-context-changed':
        this.#context = { ...this.#context, ...(params as McpUiHostContext) };
        this.#handlers.hostContext?.(this.#context);
        break;
    }
  }

  /** Reports the document's size whenever it changes (`ui/notifications/size-changed`). */
  #watchSize(): void {
    let last = '';
    const report = () => {
      const el = document.documentElement;
      const size = { width: Math.ceil(el.scrollWidth), height: Math.ceil(el.scrollHeight) };
      const key = `${size.width}x${size.height}`;
      if (key === last) return;
      last = key;
      this.#notify('ui/notifications/size-changed', size);
    };
    new ResizeObserver(report).observe(document.body);
    report();
  }
}
