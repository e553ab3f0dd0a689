/**
 * The API views of one tool call (`ctx.api`). The process holds one `ApiView` per configured API (and per
 * principal in HTTP for teams); a call sees them through small objects bound to it, so that every request a
 * handler sends carries the call's cancellation, deadline, correlation id and audit trace without the handler
 * passing them. No Proxy and no lookup keyed by the signal: one small object per call, whose getters are
 * defined once from src/apis.ts, and one CallView per API the handler touches, made on first use.
 */
import { APIS, enablingVars, type ServiceName } from './apis.js';
import type { SynqlyView } from './credentials/synqly/view.js';
import { NotConfiguredError } from './errors.js';
import type { ApiResponse, ApiStream, Endpoint, RequestOptions } from './http/request.js';
import type { ApiView } from './http/view.js';

/** What every request of one call carries. */
export interface CallScope {
  /** Aborted when the MCP client cancels the call. */
  readonly signal: AbortSignal;
  /** Absolute deadline (epoch ms) of the whole call. */
  readonly deadline: number;
  /** Sent upstream as `x-correlation-id` and put on the call's log lines. */
  readonly correlationId: string;
  /** Notes each final upstream answer (the audit log's trace); undefined when the call is not audited. */
  readonly observe: RequestOptions['observe'];
}

/** Request options a handler gives: the call's scope is added by the view (a handler may narrow `signal`). */
export type CallRequest = Omit<RequestOptions, 'correlationId' | 'observe'>;
type Shorthand = Omit<CallRequest, 'method' | 'path'>;

/** One API's view bound to one call: the ApiView's requests with the call's scope added. */
export class CallView {
  constructor(
    protected readonly view: ApiView,
    protected readonly call: CallScope,
  ) {}

  /** The API's base URL and credentials (read-only for tools; owner names the principal). */
  get endpoint(): Endpoint {
    return this.view.endpoint;
  }

  /** True when the named credential is configured. */
  has(credential: string): boolean {
    return this.view.has(credential);
  }

  /** Replaces a credential's secret for the whole process (SyncGuard key rotation). */
  setSecret(credential: string, secret: string): void {
    this.view.setSecret(credential, secret);
  }

  /** GET, resolving to the unwrapped data. */
  async get<T = unknown>(path: string, opts: Shorthand = {}): Promise<T> {
    return (await this.request<T>({ ...opts, method: 'GET', path })).data;
  }

  /** POST, resolving to the unwrapped data. */
  async post<T = unknown>(path: string, opts: Shorthand = {}): Promise<T> {
    return (await this.request<T>({ ...opts, method: 'POST', path })).data;
  }

  /** Sends a request with the client's retry policy; resolves to the unwrapped answer or throws a typed error. */
  request<T = unknown>(opts: CallRequest): Promise<ApiResponse<T>> {
    return this.view.request<T>(this.scoped(opts));
  }

  /** Opens an SSE stream. */
  stream(opts: CallRequest): Promise<ApiStream> {
    return this.view.stream(this.scoped(opts));
  }

  /** The request with the call's scope; a `signal` the handler gives (one that follows the call's) wins. */
  private scoped(opts: CallRequest): RequestOptions {
    const { call } = this;
    return {
      ...opts,
      signal: opts.signal ?? call.signal,
      deadline: opts.deadline ?? call.deadline,
      correlationId: call.correlationId,
      observe: call.observe,
    };
  }
}

/** What each API's view is within a call; Synqly's also picks its credential (src/credentials/synqly). */
interface ViewOf {
  synqly: SynqlyView;
}

/**
 * The per-API views a handler calls (`ctx.api.<service>`); an unconfigured one throws NotConfiguredError, so
 * `configured(service)` asks first without touching it (every service name is a getter: `in` cannot tell).
 */
export type ApiViews = { readonly [S in ServiceName]: S extends keyof ViewOf ? ViewOf[S] : CallView } & {
  configured(service: ServiceName): boolean;
};

/** Makes one API's call view for a call. */
export type BindView<S extends ServiceName = ServiceName> = (call: CallScope) => ApiViews[S];

/** The process's API views (one set per principal in HTTP for teams), as src/services.ts builds them. */
export interface ServiceViews {
  /** The configured APIs' process-wide views. */
  readonly configured: Readonly<Partial<Record<ServiceName, ApiView>>>;
  /** How each configured API's view is bound to a call. */
  readonly bind: { readonly [S in ServiceName]?: BindView<S> };
}

/** `ctx.api` of one call: each API's call view made on first use; its getters are defined once, below. */
class CallApis {
  private readonly made: Partial<Record<ServiceName, CallView>> = {};
  constructor(
    readonly views: ServiceViews,
    readonly call: CallScope,
  ) {}

  configured(service: ServiceName): boolean {
    return this.views.bind[service] !== undefined;
  }

  viewOf(service: ServiceName, missingEnv: string): CallView {
    const hit = this.made[service];
    if (hit) return hit;
    const bind = this.views.bind[service] as BindView | undefined;
    if (!bind) throw new NotConfiguredError(service, missingEnv);
    const view = bind(this.call);
    this.made[service] = view;
    return view;
  }
}

for (const api of APIS) {
  const missingEnv = enablingVars(api, ' or ');
  Object.defineProperty(CallApis.prototype, api.name, {
    get(this: CallApis) {
      return this.viewOf(api.name, missingEnv);
    },
  });
}

/** The API views of one call over the process's `views`. */
export function bindCall(views: ServiceViews, call: CallScope): ApiViews {
  return new CallApis(views, call) as unknown as ApiViews;
}
