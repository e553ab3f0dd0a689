import {
  type ListResourcesResult,
  type ReadResourceResult,
  type Resource,
  ResourceNotFoundError,
} from '@modelcontextprotocol/server';
import { APP_MIME_TYPE, type AppView, LEGACY_RESOURCE_URI_KEY } from './views.js';

/**
 * The views' resource metadata (apps spec `McpUiResourceMeta`): a CSP that allows no network origin at all
 * (no connect, resource, frame or base-uri domains: the HTML carries its scripts, styles and fonts inline)
 * and a border around the view.
 */
const RESOURCE_UI_META = {
  ui: {
    csp: { connectDomains: [], resourceDomains: [], frameDomains: [], baseUriDomains: [] },
    prefersBorder: true,
  },
};

/**
 * The MCP Apps wire contract, served through syn-mcp's low-level handlers (what ext-apps'
 * `registerAppResource`/`registerAppTool` do on McpServer's high-level API): each view a `ui://` resource of
 * MIME `text/html;profile=mcp-app` with its CSP in `_meta.ui`, and each of its tools carrying
 * `_meta.ui.resourceUri` (plus the legacy flat `ui/resourceUri` key, as `registerAppTool` also writes).
 * Only views with at least one served tool are offered.
 */
export class AppResources {
  readonly views: readonly AppView[];
  readonly #toolMeta = new Map<string, Record<string, unknown>>();

  constructor(views: readonly AppView[], served: ReadonlySet<string>) {
    this.views = views.filter((v) => v.tools.some((t) => served.has(t)));
    for (const view of this.views) {
      for (const tool of view.tools) {
        if (!served.has(tool)) continue;
        this.#toolMeta.set(tool, { ui: { resourceUri: view.uri }, [LEGACY_RESOURCE_URI_KEY]: view.uri });
      }
    }
  }

  /** The `_meta` a tool's tools/list entry carries, when a view draws its results. */
  toolMeta(name: string): Record<string, unknown> | undefined {
    return this.#toolMeta.get(name);
  }

  /** resources/list. */
  list(): ListResourcesResult {
    return {
      resources: this.views.map(
        (v): Resource => ({
          uri: v.uri,
          name: v.name,
          title: v.title,
          description: v.description,
          mimeType: APP_MIME_TYPE,
          _meta: RESOURCE_UI_META,
        }),
      ),
    };
  }

  /** resources/read; an unknown URI is the SDK's ResourceNotFoundError (-32602 naming the URI). */
  read(uri: string): ReadResourceResult {
    const view = this.views.find((v) => v.uri === uri);
    if (!view) throw new ResourceNotFoundError(uri);
    return {
      contents: [{ uri: view.uri, mimeType: APP_MIME_TYPE, text: view.html, _meta: RESOURCE_UI_META }],
    };
  }
}
