/**
 * The API views of one call (src/call-view.ts): every request a handler sends carries the call's signal,
 * deadline, correlation id and audit hook without the handler passing them; a signal the handler narrows a
 * request with wins; an unconfigured API throws NotConfiguredError naming its variable.
 */
import { describe, expect, it } from 'vitest';
import { upstreamTrace } from '../../src/audit.js';
import { bindCall, type CallScope, CallView, type ServiceViews } from '../../src/call-view.js';
import { NotConfiguredError } from '../../src/errors.js';
import type { ApiResponse, RequestOptions } from '../../src/http/request.js';
import type { ApiView } from '../../src/http/view.js';

/** An ApiView that records what it was asked to send and answers 200. */
function recordingView(): { view: ApiView; sent: RequestOptions[] } {
  const sent: RequestOptions[] = [];
  const answer = async (opts: RequestOptions): Promise<ApiResponse> => {
    sent.push(opts);
    return { status: 200, data: { ok: true }, headers: {}, requestId: 'rq-1' };
  };
  const view = { request: answer, has: () => true } as unknown as ApiView;
  return { view, sent };
}

function scope(observe?: CallScope['observe']): CallScope {
  return { signal: new AbortController().signal, deadline: 1_000, correlationId: 'corr-1', observe };
}

describe('call views', () => {
  it("send every request, shorthands included, with the call's signal, deadline, correlation id and hook", async () => {
    const { view, sent } = recordingView();
    const { observe } = upstreamTrace();
    const call = scope(observe);
    const api = new CallView(view, call);
    await expect(api.post('/things', { body: { a: 1 } })).resolves.toEqual({ ok: true });
    await api.get('/things', { query: { q: 'x' } });
    await api.request({ method: 'DELETE', path: '/things/1' });
    const carried = { signal: call.signal, deadline: 1_000, correlationId: 'corr-1', observe };
    expect(sent).toEqual([
      { method: 'POST', path: '/things', body: { a: 1 }, ...carried },
      { method: 'GET', path: '/things', query: { q: 'x' }, ...carried },
      { method: 'DELETE', path: '/things/1', ...carried },
    ]);
  });

  it('let a handler narrow one request with a signal of its own', async () => {
    const { view, sent } = recordingView();
    const own = new AbortController().signal;
    await new CallView(view, scope()).get('/slow', { signal: own });
    expect(sent[0]?.signal).toBe(own);
    expect(sent[0]?.deadline).toBe(1_000);
  });

  it('are made once per call and API, and an unconfigured API names its variable', () => {
    const { view } = recordingView();
    let made = 0;
    const views: ServiceViews = {
      configured: { synap: view },
      bind: {
        synap: (call) => {
          made++;
          return new CallView(view, call);
        },
      },
    };
    const api = bindCall(views, scope());
    expect(api.synap).toBe(api.synap);
    expect(made).toBe(1);
    expect(bindCall(views, scope()).synap).not.toBe(api.synap);
    expect([api.configured('synap'), api.configured('syncguard')]).toEqual([true, false]);
    expect(() => api.syncguard).toThrow(NotConfiguredError);
    expect(() => api.syncguard).toThrow(/SyncGuard is not configured: set SYNCGUARD_API_KEY\./);
  });
});
