/**
 * The test host of the views (run in the browser page): the view's HTML in a sandboxed iframe (scripts
 * only, an opaque origin, like a real host's sandbox), connected through ext-apps' own AppBridge and
 * PostMessageTransport. It gives the view the tool input and result the test recorded, a host context
 * (theme, locale, time zone, style variables), and forwards the view's tools/call to the test
 * (`window.hostCallTool`, which calls the real server).
 */
import {
  AppBridge,
  type McpUiHostContext,
  PostMessageTransport,
} from '@modelcontextprotocol/ext-apps/app-bridge';
import type { CallToolRequest, CallToolResult } from '@modelcontextprotocol/server';

/** What the test passes to `showView`. */
export interface ShowView {
  html: string;
  args: Record<string, unknown>;
  result: CallToolResult;
  context: McpUiHostContext;
}

declare global {
  interface Window {
    /** Exposed by the test: runs a tools/call the view asked for against the real server. */
    hostCallTool(params: CallToolRequest['params']): Promise<CallToolResult>;
    /** Loads a view and feeds it; resolves once the view has initialized and been given the result. */
    showView(view: ShowView): Promise<{ initialized: boolean; appName: string | undefined }>;
    /** Changes the host context (e.g. the theme) of the loaded view. */
    setHostContext(context: McpUiHostContext): Promise<void>;
    /** The heights the view reported (ui/notifications/size-changed). */
    viewHeights: number[];
  }
}

let current: AppBridge | undefined;
window.viewHeights = [];

window.showView = async (view) => {
  const iframe = document.createElement('iframe');
  iframe.setAttribute('sandbox', 'allow-scripts');
  iframe.setAttribute('title', 'MCP App view');
  iframe.id = 'view';
  iframe.style.cssText = 'width: 720px; height: 400px; border: 1px solid #ccc; display: block;';
  document.body.replaceChildren(iframe);
  const target = iframe.contentWindow;
  if (!target) throw new Error('the iframe has no window');
  const bridge = new AppBridge(
    null,
    { name: 'syn-mcp test host', version: '1' },
    { serverTools: {}, openLinks: {} },
    { hostContext: view.context },
  );
  current = bridge;
  bridge.oncalltool = (params) => window.hostCallTool(params);
  bridge.onsizechange = ({ height }) => {
    if (typeof height === 'number') {
      window.viewHeights.push(height);
      iframe.style.height = `${height}px`;
    }
  };
  const initialized = new Promise<void>((resolve) => {
    bridge.oninitialized = () => resolve();
  });
  await bridge.connect(new PostMessageTransport(target, target));
  iframe.srcdoc = view.html;
  await initialized;
  await bridge.sendToolInput({ arguments: view.args });
  await bridge.sendToolResult(view.result);
  return { initialized: true, appName: bridge.getAppVersion()?.name };
};

window.setHostContext = async (context) => {
  if (!current) throw new Error('no view loaded');
  current.setHostContext(context);
};
