/** What a Synqly route is: its request, context and reply, and matching a path against its template. */
import type { AccessToken, SynqlyState } from './model.js';

/** How a request body was read. */
export type BodyKind = 'empty' | 'json' | 'multipart' | 'malformed' | 'other';

/** A request after its body was read. */
export interface SynqlyRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: Record<string, string>;
  readonly bodyKind: BodyKind;
  /** Parsed JSON body (bodyKind `json`). */
  readonly json: unknown;
  /** Parsed multipart body (bodyKind `multipart`). */
  readonly form: FormData | undefined;
}

/** What a handler answers: JSON (200 unless `status`), raw bytes, or nothing (204). */
export type Reply = { status?: number; body: unknown } | { bytes: Buffer; contentType: string } | undefined;

/** What a handler gets. */
export interface RouteContext {
  readonly state: SynqlyState;
  readonly req: SynqlyRequest;
  readonly params: Record<string, string>;
  readonly now: number;
  /** The authenticated token (organization on Management routes, integration on Connector routes). */
  readonly token: AccessToken;
}

/** One endpoint. `:name` is one path segment; `*name` takes the rest (each segment decoded, joined by `/`). */
export interface Route {
  method: string;
  path: string;
  surface: 'management' | 'connector';
  body?: 'json' | 'multipart';
  handler(ctx: RouteContext): Reply | Promise<Reply>;
}

/** The parameters of `path` under a route template, undefined when it does not match. */
export function matchRoute(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split('/');
  const got = path.split('/');
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i] ?? '';
    if (w.startsWith('*')) {
      const rest = got.slice(i);
      if (rest.length === 0 || rest.every((s) => s === '')) return undefined;
      try {
        params[w.slice(1)] = rest.map((s) => decodeURIComponent(s)).join('/');
      } catch {
        return undefined;
      }
      return params;
    }
    const g = got[i];
    if (g === undefined) return undefined;
    if (w.startsWith(':')) {
      if (g === '') return undefined;
      try {
        params[w.slice(1)] = decodeURIComponent(g);
      } catch {
        return undefined;
      }
    } else if (w !== g) {
      return undefined;
    }
  }
  return want.length === got.length ? params : undefined;
}
