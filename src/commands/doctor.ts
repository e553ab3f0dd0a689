/**
 * `syn-mcp doctor`: for each service, is the credential there and of the right kind, is the base URL
 * well-formed and reachable (DNS, TCP, then HTTP), and does one cheap authenticated read succeed; then the tools
 * that would be enabled and the catalog's token count. Every failure comes with its fix; the exit code is 1
 * when anything failed. No secret is ever printed: values are described (kind, length), never shown, and every
 * line goes through the redactor. A command, not the MCP server: it prints to stdout.
 */
import { lookup } from 'node:dns/promises';
import { isIP, Socket } from 'node:net';
import {
  type Config,
  DEFAULT_BASE_URLS,
  type Env,
  isLoopbackHost,
  loadConfig,
  type ProxyConfig,
  readFlags,
  secretsOf,
  synapseBaseUrlWarning,
} from '../config.js';
import {
  AuthError,
  ConfigError,
  NetworkError,
  NotFoundError,
  RateLimitError,
  RedirectError,
  SERVICE_LABEL,
  type ServiceName,
  UpstreamError,
} from '../errors.js';
import { stripInvisible } from '../fence.js';
import { type ApiView, HttpClient } from '../http/client.js';
import { redact, registerSecret } from '../http/redact.js';
import { createApiViews } from '../services.js';
import { CLIENTS, type ClientId, readClientFile, SERVER_NAME } from './init.js';
import { catalogOf } from './tools.js';

/** Outcome of one check. */
export type Status = 'ok' | 'warn' | 'fail' | 'skip';

/** One line of the report. */
export interface Check {
  name: string;
  status: Status;
  detail: string;
  /** What to do about a `fail` or `warn`. */
  fix?: string;
}

/** The checks of one section (a service, the runtime, the client configuration). */
export interface Section {
  id: ServiceName | 'runtime' | 'client' | 'settings';
  title: string;
  checks: Check[];
}

/** What `doctor --json` prints. */
export interface DoctorReport {
  ok: boolean;
  problems: number;
  warnings: number;
  sections: Section[];
  tools?: { count: number; tokens: number; largest: number; byToolset: Record<string, string[]> };
}

/** The lowest Node version the package runs on (undici 7's `engines`). */
export const MIN_NODE = [20, 18, 1] as const;
const SERVICES = Object.keys(SERVICE_LABEL) as ServiceName[];

/** Credential kinds recognisable by their prefix (documented in api-notes). */
const KINDS: ReadonlyArray<{ kind: string; test: RegExp; shape: string }> = [
  { kind: 'a SyncGuard key', test: /^sg_/, shape: 'sg_…' },
  { kind: 'a Synapse key', test: /^sk-syn-/, shape: 'sk-syn-…' },
  { kind: 'a Synchronex key', test: /^(sx_live_|sxo_)/, shape: 'sx_live_…/sxo_…' },
  { kind: 'a Synap key', test: /^synap_/, shape: 'synap_…' },
  { kind: 'a JWT', test: /^eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/, shape: 'eyJ….….…' },
];

/** What each service's key must look like (DESIGN.md §6, api-notes), and where to get one. */
const EXPECTED: Readonly<
  Record<
    Exclude<ServiceName, 'synqly'>,
    { env: string; test: RegExp; shape: string; get: string; strict: boolean }
  >
> = {
  syncguard: {
    env: 'SYNCGUARD_API_KEY',
    test: /^sg_/,
    shape: 'sg_…',
    get: 'the workspace API key shown when the workspace was created or its key rotated',
    strict: true,
  },
  synapse: {
    env: 'SYNAPSE_API_KEY',
    test: /^sk-syn-/,
    shape: 'sk-syn-…',
    get: 'an API key created in your Synapse instance (Settings → API keys)',
    strict: true,
  },
  synap: {
    env: 'SYNAP_API_KEY',
    test: /^(synap_|sk_live_)/,
    shape: 'synap_… (one docs example shows sk_live_…)',
    get: 'the instance API key from the Synap dashboard',
    strict: false,
  },
  synchronex: {
    env: 'SYNCHRONEX_API_KEY',
    test: /^(sx_live_|sxo_)/,
    shape: 'sx_live_… (API key) or sxo_… (OAuth token)',
    get: 'a key from Synchronex → Settings → MCP API Keys',
    strict: true,
  },
};

/** The cheap authenticated read of each service. */
const PROBES: Readonly<Record<ServiceName, { path: string; query?: Record<string, number> }>> = {
  syncguard: { path: '/workspaces/me' },
  synapse: { path: '/agents' },
  synqly: { path: '/v1/accounts', query: { limit: 1 } },
  synap: { path: '/api/v1/auth/whoami' },
  synchronex: { path: '/scope' },
};

/** Where each service's base URL should end (the documented base), for the shape warning. */
const BASE_SHAPE: Readonly<Record<ServiceName, { test: RegExp; want: string }>> = {
  syncguard: { test: /\/api\/v1$/, want: 'end with /api/v1' },
  synapse: { test: /\/api\/v1$/, want: 'end with /api/v1' },
  synqly: { test: /^https?:\/\/[^/]+$/, want: 'be the host root (tool paths start with /v1)' },
  synap: { test: /^https?:\/\/[^/]+$/, want: 'be the host root (tool paths start with /api/v1 or /v1)' },
  synchronex: { test: /\/api\/v1$/, want: 'end with /api/v1' },
};

const BASE_ENV: Readonly<Record<ServiceName, string>> = {
  syncguard: 'SYNCGUARD_BASE_URL',
  synapse: 'SYNAPSE_BASE_URL',
  synqly: 'SYNQLY_BASE_URL',
  synap: 'SYNAP_BASE_URL',
  synchronex: 'SYNCHRONEX_BASE_URL',
};

const PREFIX: ReadonlyArray<[string, ServiceName]> = [
  ['SYNCGUARD_', 'syncguard'],
  ['SYNAPSE_', 'synapse'],
  ['SYNQLY_', 'synqly'],
  ['SYNAP_', 'synap'],
  ['SYNCHRONEX_', 'synchronex'],
];

/** Variables that hold secrets (registered for redaction before anything is printed). */
const SECRET_VARS = [
  'SYNCGUARD_API_KEY',
  'SYNCGUARD_JWT',
  'SYNAPSE_API_KEY',
  'SYNQLY_ORG_TOKEN',
  'SYNQLY_INTEGRATION_TOKEN',
  'SYNAP_API_KEY',
  'SYNCHRONEX_API_KEY',
  'SYN_MCP_HTTP_TOKEN',
];

const ok = (name: string, detail: string): Check => ({ name, status: 'ok', detail });
const warn = (name: string, detail: string, fix: string): Check => ({ name, status: 'warn', detail, fix });
/**
 * Upstream text fit for the report: invisible characters out and secrets redacted first, then one line cut
 * to `max` characters (a cut before redaction could leave half a secret that no longer matches).
 */
export function clip(text: string, max: number): string {
  const line = redact(stripInvisible(text)).replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max)}…` : line;
}

const fail = (name: string, detail: string, fix: string): Check => ({ name, status: 'fail', detail, fix });
const skip = (name: string, detail: string): Check => ({ name, status: 'skip', detail });

function serviceOfVar(name: string): ServiceName | undefined {
  return PREFIX.find(([p]) => name.startsWith(p))?.[1];
}

/** Which known kind a value looks like (never the value itself). */
function kindOf(value: string): { kind: string; shape: string } | undefined {
  return KINDS.find((k) => k.test.test(value));
}

/** A placeholder left from a template (`<your key>`, `sg_replace_with_your_key`, `${input:…}`…). */
function placeholderOf(value: string): boolean {
  return /[<>…]|\$\{|replace[_-]?with|your[_-]?(api[_-]?)?(key|token)|changeme|^x{4,}$/i.test(value);
}

/** Problems any credential can have, whatever its service: placeholder, quotes, whitespace. */
function hygiene(env: string, value: string): Check | undefined {
  if (placeholderOf(value)) {
    return fail(env, 'still holds a placeholder, not a credential', `put the real value in ${env}`);
  }
  if (/^["']|["']$/.test(value)) {
    return fail(env, 'is wrapped in quotes', `remove the quotes around the value of ${env}`);
  }
  if (/\s/.test(value)) {
    return fail(
      env,
      'contains whitespace (a line break or space pasted in?)',
      `paste ${env} again on one line`,
    );
  }
  return undefined;
}

function describe(value: string): string {
  return `${value.length} characters`;
}

/** The credential checks of a key-per-service API; `sendable` is false when the key must not be sent. */
function keyChecks(
  service: Exclude<ServiceName, 'synqly'>,
  value: string,
): { checks: Check[]; sendable: boolean } {
  const want = EXPECTED[service];
  const bad = hygiene(want.env, value);
  if (bad) return { checks: [bad], sendable: false };
  if (want.test.test(value)) {
    return {
      checks: [
        ok(
          want.env,
          `${SERVICE_LABEL[service]} key of the documented kind (${want.shape.split(' ')[0]}, ${describe(value)})`,
        ),
      ],
      sendable: true,
    };
  }
  const looks = kindOf(value);
  if (looks) {
    const jwtHint =
      service === 'syncguard' && looks.kind === 'a JWT'
        ? '; a JWT belongs in SYNCGUARD_JWT (workspace creation only).'
        : '';
    return {
      checks: [
        fail(
          want.env,
          `looks like ${looks.kind} (${looks.shape}), not a ${SERVICE_LABEL[service]} key (${want.shape}); not sent, so it does not leak to another vendor`,
          `set ${want.env} to ${want.get}; it starts with ${want.shape}${jwtHint}`,
        ),
      ],
      sendable: false,
    };
  }
  if (!want.strict) {
    return {
      checks: [
        warn(
          want.env,
          `unrecognised prefix (${describe(value)}); the documents show ${want.shape}`,
          `if the read below fails, check that ${want.env} is ${want.get}`,
        ),
      ],
      sendable: true,
    };
  }
  return {
    checks: [
      fail(
        want.env,
        `does not start with ${want.shape} (${describe(value)}), so it is not a ${SERVICE_LABEL[service]} key`,
        `set ${want.env} to ${want.get}; it starts with ${want.shape}`,
      ),
    ],
    sendable: false,
  };
}

function jwtCheck(value: string, now: number): Check {
  const bad = hygiene('SYNCGUARD_JWT', value);
  if (bad) return bad;
  const parts = value.split('.');
  if (parts.length !== 3 || !value.startsWith('eyJ')) {
    return fail(
      'SYNCGUARD_JWT',
      `is not a JWT (three base64url parts starting eyJ; ${describe(value)})`,
      'set SYNCGUARD_JWT to the token /auth/login returns, or unset it (only create_workspace needs it)',
    );
  }
  try {
    const payload = JSON.parse(Buffer.from(parts[1] ?? '', 'base64url').toString('utf8')) as {
      exp?: unknown;
    };
    if (typeof payload.exp === 'number' && payload.exp * 1000 < now) {
      return warn(
        'SYNCGUARD_JWT',
        `expired at ${new Date(payload.exp * 1000).toISOString()}`,
        'log in again for a fresh token, or unset SYNCGUARD_JWT (only create_workspace needs it)',
      );
    }
  } catch {
    // an unreadable payload is the API's business; the shape is right
  }
  return ok('SYNCGUARD_JWT', `a JWT (${describe(value)}); offers create_workspace`);
}

function synqlyChecks(
  org: string | undefined,
  integration: string | undefined,
): { checks: Check[]; org: boolean; integration: boolean } {
  const checks: Check[] = [];
  let orgOk = org !== undefined;
  let intOk = integration !== undefined;
  for (const [env, value] of [
    ['SYNQLY_ORG_TOKEN', org],
    ['SYNQLY_INTEGRATION_TOKEN', integration],
  ] as const) {
    if (value === undefined) continue;
    const bad = hygiene(env, value);
    const looks = kindOf(value);
    if (bad) checks.push(bad);
    else if (looks && looks.kind !== 'a JWT') {
      checks.push(
        fail(
          env,
          `looks like ${looks.kind} (${looks.shape}), not a Synqly token; not sent`,
          `set ${env} to a Synqly ${env === 'SYNQLY_ORG_TOKEN' ? 'organization' : 'integration'} token`,
        ),
      );
    } else {
      checks.push(ok(env, `set (${describe(value)}); its kind is checked against the API below`));
      continue;
    }
    if (env === 'SYNQLY_ORG_TOKEN') orgOk = false;
    else intOk = false;
  }
  if (org !== undefined && org === integration) {
    checks.push(
      fail(
        'SYNQLY_ORG_TOKEN / SYNQLY_INTEGRATION_TOKEN',
        'both hold the same token, but the two kinds are never interchangeable',
        'keep the organization token in SYNQLY_ORG_TOKEN; unset SYNQLY_INTEGRATION_TOKEN (connector tools mint their own) or set it to an integration token',
      ),
    );
    intOk = false;
  }
  if (org === undefined) {
    checks.push(
      warn(
        'SYNQLY_ORG_TOKEN',
        'not set: the Management tools (accounts, integrations, tokens) are not offered',
        'set SYNQLY_ORG_TOKEN to an organization token to manage accounts and mint integration tokens',
      ),
    );
  }
  return { checks, org: orgOk, integration: intOk };
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(Object.assign(new Error(`${what}: no answer within ${ms / 1000} s`), { code: 'ETIMEDOUT' })),
      ms,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function tcpConnect(host: string, port: number, ms: number): Promise<number> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    const done = (err?: Error) => {
      socket.destroy();
      if (err) reject(err);
      else resolve(Date.now() - started);
    };
    socket.setTimeout(ms, () =>
      done(Object.assign(new Error(`no answer within ${ms / 1000} s`), { code: 'ETIMEDOUT' })),
    );
    socket.once('error', done);
    socket.connect(port, host, () => done());
  });
}

function codeOf(err: unknown): string {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? code : err instanceof Error ? err.message : String(err);
}

const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|SSL|EPROTO/;

/** The proxy that carries requests to `target` (as the client's EnvHttpProxyAgent picks it), if any. */
export function proxyFor(target: URL, proxy: ProxyConfig | undefined): URL | undefined {
  if (!proxy) return undefined;
  const host = target.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  for (const raw of proxy.noProxy.split(/[\s,]+/)) {
    const entry = raw.trim().toLowerCase().replace(/:\d+$/, '');
    if (entry === '') continue;
    if (entry === '*') return undefined;
    const suffix = entry.replace(/^\*?\./, '');
    if (host === suffix || host.endsWith(`.${suffix}`)) return undefined;
  }
  const chosen = target.protocol === 'https:' ? (proxy.httpsProxy ?? proxy.httpProxy) : proxy.httpProxy;
  return chosen ? new URL(chosen) : undefined;
}

/** DNS and TCP reachability of a base URL, or of the proxy that carries its requests. */
async function reachability(
  service: ServiceName,
  baseUrl: string,
  ms: number,
  proxy: URL | undefined,
): Promise<{ checks: Check[]; reachable: boolean }> {
  const env = BASE_ENV[service];
  const url = proxy ?? new URL(baseUrl);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
  // Only host and port of a proxy are shown: its URL may carry a password.
  const via = proxy ? `proxy ${host}:${port} (HTTPS_PROXY/HTTP_PROXY)` : undefined;
  const where = proxy ? 'the proxy variables (HTTPS_PROXY, HTTP_PROXY, NO_PROXY)' : env;
  const checks: Check[] = [];
  if (isIP(host) === 0) {
    try {
      const addrs = await withTimeout(lookup(host, { all: true }), ms, 'DNS');
      const shown = addrs.map((a) => a.address).slice(0, 3);
      checks.push(ok('DNS', `${via ? `${via}: ` : ''}${host} → ${shown.join(', ')}`));
    } catch (err) {
      const code = codeOf(err);
      checks.push(
        fail(
          'DNS',
          `${via ? `${via}: ` : ''}${host} does not resolve (${code})`,
          code === 'ENOTFOUND'
            ? proxy
              ? `check the proxy host in ${where}`
              : `check the host name in ${env} for a typo (the documented default is ${defaultBase(service)})`
            : 'check the network connection and DNS settings (VPN?)',
        ),
      );
      return { checks, reachable: false };
    }
  }
  try {
    const took = await tcpConnect(host, port, ms);
    checks.push(ok('TCP', `${via ? `${via}: ` : ''}${host}:${port} accepts connections (${took} ms)`));
  } catch (err) {
    const code = codeOf(err);
    const fix =
      code === 'ECONNREFUSED'
        ? service === 'synapse' && !proxy && isLoopbackHost(host)
          ? 'Synapse is self-hosted: start it (its API listens on port 8765 by default), or set SYNAPSE_BASE_URL to where it runs'
          : `nothing listens there: check the host and port in ${where}`
        : `a firewall, VPN or proxy is in the way, or the host in ${where} is wrong` +
          (proxy ? '' : '; behind a corporate proxy, set HTTPS_PROXY (see Troubleshooting → proxies)');
    checks.push(fail('TCP', `${via ? `${via}: ` : ''}cannot connect to ${host}:${port} (${code})`, fix));
    return { checks, reachable: false };
  }
  return { checks, reachable: true };
}

function defaultBase(service: ServiceName): string {
  return service === 'synqly'
    ? 'https://api.synqly.com (SYNQLY_REGION=eu: https://api-eu.synqly.com)'
    : DEFAULT_BASE_URLS[service];
}

/** The fix for a failed authenticated read. */
function readFailure(service: ServiceName, credentialEnv: string, err: unknown, name: string): Check {
  const label = SERVICE_LABEL[service];
  const baseEnv = BASE_ENV[service];
  if (err instanceof AuthError) {
    const refused = err.status === 401 || service === 'synapse';
    return fail(
      name,
      `${label} refused the credential (HTTP ${err.status}: ${clip(err.apiMessage, 200)})`,
      refused
        ? `the value of ${credentialEnv} is wrong, revoked or expired: create a new one and set ${credentialEnv}`
        : `${credentialEnv} is valid but lacks permission for this read: give it read access (or use a key with the right scope)`,
    );
  }
  if (err instanceof NotFoundError) {
    return fail(
      name,
      `HTTP 404: ${baseEnv} does not point at the ${label} API`,
      `set ${baseEnv} to the documented base URL (default ${defaultBase(service)}); a missing or doubled path such as /api/v1 is the usual cause`,
    );
  }
  if (err instanceof RateLimitError) {
    return warn(
      name,
      `rate limited (HTTP 429)${err.retryAfterSeconds ? `, retry after ${err.retryAfterSeconds} s` : ''}`,
      'wait and run doctor again',
    );
  }
  if (err instanceof RedirectError) {
    return fail(
      name,
      `${label} answered HTTP ${err.status}, a redirect${err.location ? ` to ${clip(err.location, 200)}` : ''}; syn-mcp never follows redirects`,
      `set ${baseEnv} to the API's own address (often the https:// URL the redirect names; default ${defaultBase(service)})`,
    );
  }
  if (err instanceof UpstreamError) {
    return fail(
      name,
      `${label} answered HTTP ${err.status}: ${clip(err.apiMessage, 200)}`,
      err.status >= 500 ? `${label} is failing right now: retry later` : `check ${baseEnv}`,
    );
  }
  if (err instanceof NetworkError) {
    const detail = err.message;
    if (err.kind === 'malformed') {
      return fail(
        name,
        `the answer is not the ${label} API's (${detail})`,
        `${baseEnv} points at some other server (a web page, a proxy?): set it to the documented base URL (default ${defaultBase(service)})`,
      );
    }
    if (TLS_CODES.test(detail)) {
      return fail(
        name,
        `TLS failed (${detail})`,
        'a proxy or antivirus intercepting TLS? give Node its CA with NODE_EXTRA_CA_CERTS=/path/to/ca.pem',
      );
    }
    return fail(
      name,
      `no usable answer (${err.kind}: ${detail})`,
      `check ${baseEnv} and the network; then run doctor again`,
    );
  }
  return fail(
    name,
    `failed: ${err instanceof Error ? err.message : String(err)}`,
    'run doctor again; report it if it persists',
  );
}

async function probe(
  view: ApiView,
  service: ServiceName,
  credential: string,
  ms: number,
): Promise<{ ms: number; data: unknown }> {
  const started = Date.now();
  const { path, query } = PROBES[service];
  const res = await view.request({ method: 'GET', path, query, credential, deadline: Date.now() + ms });
  return { ms: Date.now() - started, data: res.data };
}

function probeDetail(service: ServiceName, data: unknown): string {
  if (service === 'syncguard' && typeof data === 'object' && data !== null && 'name' in data) {
    return ` (workspace "${String((data as { name: unknown }).name)}")`;
  }
  if (service === 'synapse' && Array.isArray(data)) return ` (${data.length} agents)`;
  if (service === 'synchronex' && typeof data === 'object' && data !== null && 'scope' in data) {
    return ` (scope ${String((data as { scope: unknown }).scope)})`;
  }
  return '';
}

/** The checks of one configured service. */
async function checkService(
  service: ServiceName,
  config: Config,
  views: Partial<Record<ServiceName, ApiView>>,
  env: Env,
  ms: number,
  now: number,
  networkAllowed: boolean,
): Promise<Check[]> {
  const s = config.services;
  const checks: Check[] = [];
  let sendable: string[] = [];
  let synqlyIntegration = false;
  if (service === 'syncguard' && s.syncguard) {
    const r = keyChecks('syncguard', s.syncguard.apiKey);
    checks.push(...r.checks);
    if (r.sendable) sendable = ['apiKey'];
    if (s.syncguard.jwt) checks.push(jwtCheck(s.syncguard.jwt, now));
  } else if (service === 'synqly' && s.synqly) {
    const r = synqlyChecks(s.synqly.orgToken, s.synqly.integrationToken);
    checks.push(...r.checks);
    if (r.org) sendable.push('org');
    synqlyIntegration = r.integration;
  } else if ((service === 'synapse' || service === 'synap' || service === 'synchronex') && s[service]) {
    const r = keyChecks(service, s[service].apiKey);
    checks.push(...r.checks);
    if (r.sendable) sendable = ['apiKey'];
    const pathWarning = service === 'synapse' ? synapseBaseUrlWarning(s[service].baseUrl) : undefined;
    if (pathWarning) {
      checks.push(
        warn('base URL path', pathWarning, 'set SYNAPSE_BASE_URL to the API root, ending in /api/v1'),
      );
    }
  }
  if (!networkAllowed) {
    checks.push(skip('network checks', 'not tried: fix the base URL first'));
    return checks;
  }
  const baseUrl = views[service]?.endpoint.baseUrl ?? '';
  const baseEnv = BASE_ENV[service];
  const given = env[baseEnv]?.trim();
  const origin = given
    ? baseEnv
    : service === 'synqly' && env.SYNQLY_REGION
      ? `SYNQLY_REGION=${env.SYNQLY_REGION}`
      : 'default';
  const shape = BASE_SHAPE[service];
  const host = new URL(baseUrl).hostname;
  if (!shape.test.test(baseUrl)) {
    checks.push(
      warn(
        baseEnv,
        `${baseUrl} (${origin}) does not ${shape.want}`,
        `set ${baseEnv} to the documented base URL (default ${defaultBase(service)})`,
      ),
    );
  } else if (baseUrl.startsWith('http:') && !isLoopbackHost(host.replace(/^\[|\]$/g, ''))) {
    checks.push(
      warn(
        baseEnv,
        `${baseUrl} (${origin}) is plain http: the key travels unencrypted`,
        `use https:// in ${baseEnv}`,
      ),
    );
  } else {
    checks.push(ok(baseEnv, `${baseUrl} (${origin})`));
  }
  const reach = await reachability(service, baseUrl, ms, proxyFor(new URL(baseUrl), config.proxy));
  checks.push(...reach.checks);
  const view = views[service];
  const { path, query } = PROBES[service];
  const what = `GET ${path}${
    query
      ? `?${Object.entries(query)
          .map(([k, v]) => `${k}=${v}`)
          .join('&')}`
      : ''
  }`;
  if (!reach.reachable || !view) {
    checks.push(skip(what, 'not tried: the API cannot be reached'));
    return checks;
  }
  if (sendable.length === 0 && !synqlyIntegration) {
    checks.push(skip(what, 'not tried: fix the credential first'));
    return checks;
  }
  for (const credential of sendable) {
    const credentialEnv = view.endpoint.credentials[credential]?.env ?? '';
    const name = service === 'synqly' ? `${what} with SYNQLY_ORG_TOKEN` : what;
    try {
      const r = await probe(view, service, credential, ms);
      checks.push(ok(name, `HTTP 200 in ${r.ms} ms${probeDetail(service, r.data)}`));
    } catch (err) {
      checks.push(readFailure(service, credentialEnv, err, name));
    }
  }
  if (service === 'synqly' && synqlyIntegration) {
    // An integration token must be refused by the Management API (403); accepted, it is an organization token.
    const name = `${what} with SYNQLY_INTEGRATION_TOKEN`;
    try {
      await probe(view, service, 'integration', ms);
      checks.push(
        fail(
          name,
          'the Management API accepted it: SYNQLY_INTEGRATION_TOKEN holds an organization token',
          'put the organization token in SYNQLY_ORG_TOKEN and unset SYNQLY_INTEGRATION_TOKEN (connector tools mint integration tokens themselves)',
        ),
      );
    } catch (err) {
      if (err instanceof AuthError && err.status === 403) {
        checks.push(ok(name, 'refused with 403, as an integration token should be: the kind is right'));
      } else {
        checks.push(readFailure(service, 'SYNQLY_INTEGRATION_TOKEN', err, name));
      }
    }
  }
  return checks;
}

function nodeCheck(): Check {
  const [maj = 0, min = 0, pat = 0] = process.versions.node.split('.').map(Number);
  const need = MIN_NODE.join('.');
  const good =
    maj !== MIN_NODE[0] ? maj > MIN_NODE[0] : min !== MIN_NODE[1] ? min > MIN_NODE[1] : pat >= MIN_NODE[2];
  const detail = `${process.versions.node} at ${process.execPath}`;
  return good
    ? ok('Node.js', `${detail} (syn-mcp needs ≥ ${need})`)
    : fail(
        'Node.js',
        `${detail} is older than ${need}`,
        `install Node ${need} or newer; with nvm: nvm install 22 && nvm alias default 22. A client launched from the desktop may find an older Node than your shell: see Troubleshooting → nvm`,
      );
}

/** Resolves one value of a client's env block the way the client would, when it can be known here. */
function resolveClientValue(client: ClientId, value: string, env: Env): string | undefined {
  if (client === 'claude-code') {
    return value.replace(
      /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g,
      (_m, name: string, dflt?: string) => env[name] ?? dflt ?? '',
    );
  }
  if (client === 'cursor')
    return value.replace(/\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g, (_m, name: string) => env[name] ?? '');
  if (client === 'vscode' && /\$\{input:/.test(value)) return undefined;
  return value;
}

/** Reads syn-mcp's entry from a client's configuration: the env it gives the server, and checks of the entry. */
function clientSection(
  client: ClientId,
  file: string,
  env: Env,
  platform: string,
): { section: Section; env: Record<string, string>; prompted: string[] } {
  const spec = CLIENTS[client];
  const checks: Check[] = [];
  const prompted: string[] = [];
  const out: Record<string, string> = {};
  const section: Section = { id: 'client', title: `${spec.label} configuration`, checks };
  let data: Record<string, unknown>;
  try {
    const read = readClientFile(file);
    if (!read.exists) {
      checks.push(
        fail(file, 'does not exist', `create it with: npx -y syn-mcp init --client ${client} --write`),
      );
      return { section, env: out, prompted };
    }
    data = read.data;
  } catch (err) {
    checks.push(
      fail(
        file,
        err instanceof Error ? err.message : String(err),
        'fix the JSON (a missing comma or brace?)',
      ),
    );
    return { section, env: out, prompted };
  }
  const servers = data[spec.serversKey];
  const entry =
    typeof servers === 'object' && servers !== null
      ? (servers as Record<string, unknown>)[SERVER_NAME]
      : undefined;
  if (typeof entry !== 'object' || entry === null) {
    checks.push(
      fail(
        file,
        `has no "${SERVER_NAME}" entry under "${spec.serversKey}"`,
        `add it with: npx -y syn-mcp init --client ${client} --write`,
      ),
    );
    return { section, env: out, prompted };
  }
  const e = entry as { command?: unknown; args?: unknown; env?: unknown };
  const command = typeof e.command === 'string' ? e.command : '';
  const args = Array.isArray(e.args) ? e.args.filter((a): a is string => typeof a === 'string') : [];
  if (platform === 'win32' && /^npx(\.cmd)?$/i.test(command)) {
    checks.push(
      fail(
        'command',
        `"${command}" cannot be spawned directly on Windows (spawn npx ENOENT)`,
        'use "command": "cmd", "args": ["/c", "npx", "-y", "syn-mcp"] (syn-mcp init does this)',
      ),
    );
  } else {
    checks.push(ok('command', [command, ...args].join(' ')));
  }
  if (typeof e.env === 'object' && e.env !== null) {
    for (const [name, raw] of Object.entries(e.env as Record<string, unknown>)) {
      if (typeof raw !== 'string') continue;
      const value = resolveClientValue(client, raw, env);
      if (value === undefined) {
        // VS Code prompts for it and keeps it to itself: the value in this shell, if any, stands in for it.
        const fromShell = env[name]?.trim();
        if (fromShell) {
          checks.push(ok(name, `${spec.label} asks for it (${raw}); checking the value set in this shell`));
          out[name] = fromShell;
        } else {
          checks.push(
            skip(name, `${spec.label} asks for it (${raw}); set ${name} in this shell too to check it`),
          );
          prompted.push(name);
        }
        continue;
      }
      out[name] = value;
    }
  }
  checks.push(ok(file, `read; ${Object.keys(out).length} variable(s) taken from its "${SERVER_NAME}" entry`));
  return { section, env: out, prompted };
}

/**
 * Loads the configuration as the server would, turning each invalid service variable into a failed check
 * (that variable is then left out) instead of stopping: the rest can still be checked.
 */
function lenientConfig(
  argv: readonly string[],
  env: Env,
): { config: Config; problems: Map<string, Check[]>; blocked: Set<ServiceName> } {
  const problems = new Map<string, Check[]>();
  const blocked = new Set<ServiceName>();
  const work: Record<string, string | undefined> = { ...env };
  for (let i = 0; i < 64; i++) {
    try {
      return { config: loadConfig(argv, work), problems, blocked };
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      const name = /^([A-Z][A-Z0-9_]*):/.exec(err.message)?.[1];
      if (!name || !(name in work)) throw err;
      const base = name.endsWith('_FILE') ? name.slice(0, -5) : name;
      const service = serviceOfVar(name);
      const key = service ?? 'settings';
      const fix = name.endsWith('_FILE')
        ? `make ${work[name]} readable and non-empty, or unset ${name} and set ${base} itself`
        : name === 'SYNQLY_REGION'
          ? 'set SYNQLY_REGION to na or eu (or unset it)'
          : name.endsWith('_BASE_URL') && service
            ? `set ${name} to a full http(s) URL without query or fragment, e.g. the default ${defaultBase(service)}`
            : `fix ${name}`;
      problems.set(key, [
        ...(problems.get(key) ?? []),
        fail(name, err.message.slice(name.length + 1).trim(), fix),
      ]);
      if (service && name.endsWith('_BASE_URL')) blocked.add(service);
      delete work[name];
    }
  }
  return { config: loadConfig(argv, work), problems, blocked };
}

/** Options of `doctor`. */
interface DoctorOptions {
  json: boolean;
  timeoutMs: number;
  client: ClientId | undefined;
  config: string | undefined;
  platform: string;
  /** Selection flags passed on to the configuration (--toolsets, --tools, --read-only). */
  selection: string[];
}

function parseDoctorArgs(argv: readonly string[]): DoctorOptions {
  const values = readFlags(
    argv,
    {
      json: { type: 'boolean' },
      timeout: { type: 'string' },
      client: { type: 'string' },
      config: { type: 'string' },
      platform: { type: 'string' },
      toolsets: { type: 'string' },
      tools: { type: 'string' },
      'read-only': { type: 'boolean' },
    },
    (message) => `doctor: ${message}. Usage: ${DOCTOR_USAGE}`,
  );
  const timeout = values.timeout === undefined ? 5 : Number(values.timeout);
  if (!Number.isFinite(timeout) || timeout <= 0 || timeout > 120) {
    throw new ConfigError(
      `doctor: --timeout must be a number of seconds from 0 to 120 (got "${String(values.timeout)}").`,
    );
  }
  const client = typeof values.client === 'string' ? values.client : undefined;
  if (client !== undefined && !(client in CLIENTS)) {
    throw new ConfigError(
      `doctor: --client must be one of ${Object.keys(CLIENTS).join(', ')} (got "${client}").`,
    );
  }
  const selection: string[] = [];
  if (typeof values.toolsets === 'string') selection.push('--toolsets', values.toolsets);
  if (typeof values.tools === 'string') selection.push('--tools', values.tools);
  if (values['read-only'] === true) selection.push('--read-only');
  return {
    json: values.json === true,
    timeoutMs: timeout * 1000,
    client: client as ClientId | undefined,
    config: typeof values.config === 'string' ? values.config : undefined,
    platform: typeof values.platform === 'string' ? values.platform : process.platform,
    selection,
  };
}

/** One-line usage of `doctor`. */
export const DOCTOR_USAGE =
  'syn-mcp doctor [--client claude-desktop|claude-code|cursor|vscode [--config <file>]] [--toolsets …] [--tools …] [--read-only] [--timeout S] [--json]';

/** Runs every check; never throws for a problem it can describe. */
export async function runDoctor(
  argv: readonly string[],
  baseEnv: Env,
  cwd: string = process.cwd(),
): Promise<DoctorReport> {
  const opts = parseDoctorArgs(argv);
  const sections: Section[] = [{ id: 'runtime', title: 'Runtime', checks: [nodeCheck()] }];
  let env: Env = baseEnv;
  /** Variables the client prompts the user for (VS Code inputs) and that could not be checked here. */
  const prompted: string[] = [];
  if (opts.client) {
    const spec = CLIENTS[opts.client];
    const platform = (['win32', 'darwin', 'linux'].includes(opts.platform) ? opts.platform : 'linux') as
      | 'win32'
      | 'darwin'
      | 'linux';
    const file = opts.config ?? spec.configPath(platform, baseEnv, cwd);
    const fromClient = clientSection(opts.client, file, baseEnv, opts.platform);
    sections.push(fromClient.section);
    prompted.push(...fromClient.prompted);
    // The server sees the client's variables for the services; this shell's service variables are left out.
    const own = Object.fromEntries(Object.entries(baseEnv).filter(([k]) => !serviceOfVar(k)));
    env = { ...own, ...fromClient.env };
  }
  for (const name of SECRET_VARS) registerSecret(env[name]?.trim());
  const { config, problems, blocked } = lenientConfig(opts.selection, env);
  for (const s of secretsOf(config)) registerSecret(s);

  if (config.proxy) {
    const hostOf = (u: string | undefined) => (u ? new URL(u).host : 'none');
    sections[0]?.checks.push(
      ok(
        'proxy',
        `HTTPS requests go through ${hostOf(config.proxy.httpsProxy ?? config.proxy.httpProxy)}, HTTP through ${hostOf(config.proxy.httpProxy)}; direct: ${config.proxy.noProxy}`,
      ),
    );
  }
  const http = new HttpClient({
    policy: { maxRetries: 0, attemptTimeoutMs: opts.timeoutMs, callDeadlineMs: opts.timeoutMs },
    proxy: config.proxy,
  });
  try {
    const { configured } = createApiViews(http, config);
    const now = Date.now();
    const perService = await Promise.all(
      SERVICES.map(async (service): Promise<Section> => {
        const title = SERVICE_LABEL[service];
        const checks = [...(problems.get(service) ?? [])];
        if (!config.services[service]) {
          const notice = config.notices.find((n) => n.startsWith(`${title}:`));
          if (checks.length === 0)
            checks.push(
              skip(
                'not configured',
                notice?.replace(`${title}: skipped `, '').replace(/^\((.*)\)$/, '$1') ?? 'no credential',
              ),
            );
          return { id: service, title, checks };
        }
        const networkAllowed = !blocked.has(service);
        checks.push(
          ...(await checkService(service, config, configured, env, opts.timeoutMs, now, networkAllowed)),
        );
        return { id: service, title, checks };
      }),
    );
    sections.push(...perService);
    const settings = problems.get('settings') ?? [];
    if (Object.keys(config.services).length === 0 && prompted.length === 0) {
      settings.push(
        fail(
          'services',
          'no service is configured: syn-mcp would offer no tools',
          'set the credential of at least one service (syn-mcp init --client … prints the variables), or try everything with no account: npx -y syn-mcp --sandbox',
        ),
      );
    }
    if (settings.length > 0) sections.push({ id: 'settings', title: 'Settings', checks: settings });

    let tools: DoctorReport['tools'];
    try {
      const { rows, total, largest } = await catalogOf(config);
      const byToolset: Record<string, string[]> = {};
      for (const r of rows) byToolset[r.toolset] = [...(byToolset[r.toolset] ?? []), r.name];
      tools = { count: rows.length, tokens: total, largest, byToolset };
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      sections.push({
        id: 'settings',
        title: 'Tool selection',
        checks: [fail('selection', err.message, 'fix --toolsets/--tools')],
      });
    }
    const all = sections.flatMap((s) => s.checks);
    const problemsCount = all.filter((c) => c.status === 'fail').length;
    return {
      ok: problemsCount === 0,
      problems: problemsCount,
      warnings: all.filter((c) => c.status === 'warn').length,
      sections,
      ...(tools ? { tools } : {}),
    };
  } finally {
    await http.close();
  }
}

const TAG: Readonly<Record<Status, string>> = {
  ok: '[ok]  ',
  warn: '[warn]',
  fail: '[FAIL]',
  skip: '[--]  ',
};

/** The report as the terminal shows it. */
export function formatReport(report: DoctorReport, version: string): string {
  const lines: string[] = [`syn-mcp doctor ${version}`];
  for (const section of report.sections) {
    lines.push('', section.title);
    for (const c of section.checks) {
      lines.push(`  ${TAG[c.status]} ${c.name}: ${c.detail}`);
      if (c.fix && c.status !== 'ok') lines.push(`         fix: ${c.fix}`);
    }
  }
  if (report.tools) {
    const t = report.tools;
    lines.push(
      '',
      `Tools: ${t.count} would be enabled, ${t.tokens} tokens in all (o200k; largest ${t.largest})`,
    );
    const width = Math.max(0, ...Object.keys(t.byToolset).map((k) => k.length));
    for (const [toolset, names] of Object.entries(t.byToolset))
      lines.push(`  ${toolset.padEnd(width)}  ${names.join(', ')}`);
  }
  lines.push(
    '',
    report.ok
      ? `No problems found${report.warnings > 0 ? ` (${report.warnings} warning${report.warnings === 1 ? '' : 's'})` : ''}.`
      : `${report.problems} problem${report.problems === 1 ? '' : 's'} found. Apply the fixes above, then run syn-mcp doctor again.`,
  );
  return `${lines.join('\n')}\n`;
}

/** `syn-mcp doctor …`: prints the report (redacted) and returns 0 when nothing failed, 1 otherwise. */
export async function doctorCommand(
  argv: readonly string[],
  env: Env,
  version: string,
  out: (text: string) => void = (t) => process.stdout.write(t),
): Promise<number> {
  const report = await runDoctor(argv, env);
  const json = argv.includes('--json');
  out(redact(json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report, version)));
  return report.ok ? 0 : 1;
}
