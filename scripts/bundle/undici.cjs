'use strict';
// What the bundle gives for `import … from 'undici'`: the things syn-mcp uses (Agent, request, and FormData
// and EnvHttpProxyAgent lazily), taken from undici's own modules. undici's index.js loads every feature at
// startup (fetch, the cache, WebSocket, EventSource, the mock agents, proxies, interceptors…), which costs
// tens of ms at every cold start. `request` is undici's own `makeDispatcher(api.request)` (undici 7.30.2
// index.js), reproduced line for line; scripts/bundle.mjs refuses to build against any other undici version
// until this file has been checked against it.
const Dispatcher = require('undici/lib/dispatcher/dispatcher');
const Agent = require('undici/lib/dispatcher/agent');
const api = require('undici/lib/api');
const util = require('undici/lib/core/util');
const { InvalidArgumentError } = require('undici/lib/core/errors');
const { getGlobalDispatcher } = require('undici/lib/global');

Object.assign(Dispatcher.prototype, api);

function makeDispatcher(fn) {
  return (url, opts, handler) => {
    if (typeof opts === 'function') {
      handler = opts;
      opts = null;
    }

    if (!url || (typeof url !== 'string' && typeof url !== 'object' && !(url instanceof URL))) {
      throw new InvalidArgumentError('invalid url');
    }

    if (opts != null && typeof opts !== 'object') {
      throw new InvalidArgumentError('invalid opts');
    }

    if (opts && opts.path != null) {
      if (typeof opts.path !== 'string') {
        throw new InvalidArgumentError('invalid opts.path');
      }

      let path = opts.path;
      if (!opts.path.startsWith('/')) {
        path = `/${path}`;
      }

      url = new URL(util.parseOrigin(url).origin + path);
    } else {
      if (!opts) {
        opts = typeof url === 'object' ? url : {};
      }

      url = util.parseURL(url);
    }

    const { agent, dispatcher = getGlobalDispatcher() } = opts;

    if (agent) {
      throw new InvalidArgumentError('unsupported opts.agent. Did you mean opts.client?');
    }

    return fn.call(
      dispatcher,
      {
        ...opts,
        origin: url.origin,
        path: url.search ? `${url.pathname}${url.search}` : url.pathname,
        method: opts.method || (opts.body ? 'PUT' : 'GET'),
      },
      handler,
    );
  };
}

module.exports = { Agent, Dispatcher, request: makeDispatcher(api.request) };

// The outbound proxy (HTTPS_PROXY/HTTP_PROXY): loaded on first use only, so a run without a proxy pays nothing.
// FormData (one Synqly tool's uploads) is loaded on first use too: it brings undici's web fetch helpers,
// ~7 ms of a cold start that no other tool needs.
Object.defineProperty(module.exports, 'FormData', {
  enumerable: true,
  get: () => require('undici/lib/web/fetch/formdata').FormData,
});

Object.defineProperty(module.exports, 'EnvHttpProxyAgent', {
  enumerable: true,
  get: () => require('undici/lib/dispatcher/env-http-proxy-agent'),
});
