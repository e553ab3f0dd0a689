#!/usr/bin/env node
import { TOOLSETS } from '../tools/index.js';
import { synapseHumanSteps } from '../tools/synapse/human-steps.js';
import { loadAppViews } from './apps/load.js';
import type { AppView } from './apps/views.js';
import { openAuditLog } from './audit.js';
import type { ServiceViews } from './call-view.js';
import { type Config, type Env, HELP, loadConfig, type PrincipalConfig, secretsOf } from './config.js';
import { parseStateKey } from './confirm/key.js';
import { MemoryNonceStore, sharedNonceStore } from './confirm/nonces.js';
import { createStateSealer } from './confirm/state.js';
import { ConfigError } from './errors.js';
import { HttpClient } from './http/client.js';
import { RateLimiter } from './http/ratelimit.js';
import { registerSecret } from './http/redact.js';
import { createLogger, type Logger, withFields } from './log.js';
import { createServer, type SynServer } from './server.js';
import { createApiViews } from './services.js';
import { startupConfig, version } from './startup.js';
import { connectRedis, memoryState, type SharedState } from './state/redis.js';
import { SharedRotations } from './state/rotation.js';
import { type Selected, selectTools } from './toolsets.js';
import type { Caller, TokenPrincipal } from './transports/auth.js';
import type { HttpOptions } from './transports/http.js';
import type { JwksCache } from './transports/oauth.js';

/** How long SIGTERM lets HTTP calls in flight finish (a load balancer's usual grace is 30 s). */
const DRAIN_MS = 25_000;

/** Rate budgets and the shared cache: in Redis when SYN_MCP_REDIS_URL is set, else in memory. */
async function sharedState(config: Config, log: Logger): Promise<SharedState> {
  if (!config.redisUrl) return memoryState();
  return connectRedis({ url: config.redisUrl, log });
}

/** Keeps stdout for MCP frames: anything that would print there goes to stderr instead. */
function protectStdout(): void {
  const toStderr = (...args: unknown[]) => console.error(...args);
  console.log = toStderr;
  console.info = toStderr;
  console.debug = toStderr;
}

function fail(message: string): never {
  process.stderr.write(`syn-mcp: ${message}\n`);
  process.exit(2);
}

async function withSandbox(
  argv: string[],
  env: Env,
): Promise<{ config: Config; close: () => Promise<void> }> {
  const { startSandbox, SERVICE_ENV_PREFIXES } = await import('./sandbox/index.js');
  const sandbox = await startSandbox();
  const clean = Object.fromEntries(
    Object.entries(env).filter(([k]) => !SERVICE_ENV_PREFIXES.some((p) => k.startsWith(p))),
  );
  return { config: loadConfig(argv, { ...clean, ...sandbox.env }), close: () => sandbox.close() };
}

/** How HTTP callers authenticate with principals: their token hashes, and OAuth access tokens in OAuth mode. */
async function teamAuth(
  config: Config,
  principals: readonly TokenPrincipal[],
  issuerKeys: JwksCache | undefined,
): Promise<Pick<HttpOptions, 'authenticate' | 'tokenHint' | 'protectedResource'>> {
  if (!config.principals) return {};
  const { principalAuth } = await import('./transports/auth.js');
  if (!config.oauth || !issuerKeys)
    return { authenticate: principalAuth(principals), tokenHint: '<your own token>' };
  const oauth = await import('./transports/oauth.js');
  const subjects = new Map<string, Caller>();
  for (const p of principals) if (p.subject) subjects.set(p.subject, { name: p.name, server: p.server });
  return {
    authenticate: principalAuth(
      principals,
      oauth.oauthVerifier(config.oauth, issuerKeys, subjects),
      oauth.looksLikeJwt,
    ),
    tokenHint: `<an access token from ${config.oauth.issuer}>`,
    protectedResource: {
      metadataUrl: oauth.resourceMetadataUrl(config.oauth.resource),
      document: oauth.protectedResourceMetadata(config.oauth),
    },
  };
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv[0] === 'tools') {
    const { toolsCommand } = await import('./commands/tools.js');
    try {
      process.exitCode = await toolsCommand(argv.slice(1), process.env);
    } catch (err) {
      if (err instanceof ConfigError) fail(err.message);
      throw err;
    }
    return;
  }
  if (argv[0] === 'init') {
    const { initCommand } = await import('./commands/init.js');
    try {
      process.exitCode = initCommand(argv.slice(1), process.env);
    } catch (err) {
      if (err instanceof ConfigError) fail(err.message);
      throw err;
    }
    return;
  }
  if (argv[0] === 'doctor') {
    const { doctorCommand } = await import('./commands/doctor.js');
    try {
      process.exitCode = await doctorCommand(argv.slice(1), process.env, version());
    } catch (err) {
      if (err instanceof ConfigError) fail(err.message);
      throw err;
    }
    return;
  }
  let config: Config;
  try {
    config = startupConfig(argv, process.env);
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message);
    throw err;
  }
  if (config.command === 'help') {
    process.stdout.write(HELP);
    return;
  }
  if (config.command === 'version') {
    process.stdout.write(`${version()}\n`);
    return;
  }
  protectStdout();
  let closeSandbox = async () => {};
  if (config.sandbox) ({ config, close: closeSandbox } = await withSandbox(argv, process.env));
  for (const s of secretsOf(config)) registerSecret(s);

  const log = createLogger(config.logLevel);
  const ver = version();
  const state = await sharedState(config, log);
  const rates = new RateLimiter(state.rates, config.rateLimits);
  const client = new HttpClient({ userAgent: `syn-mcp/${ver}`, proxy: config.proxy, rates });
  const rotations = state.cache ? new SharedRotations(state.cache, log) : undefined;
  const views = createApiViews(client, config, { rotations, shared: state.cache });
  let selected: ReturnType<typeof selectTools>;
  try {
    selected = selectTools(TOOLSETS, views.configured, config);
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message);
    throw err;
  }
  // HTTP for teams: each principal its own tools (checked before anything is logged) over its own credentials.
  const teams: Array<{ p: PrincipalConfig; own: ServiceViews; chosen: Selected }> = [];
  for (const p of config.principals ?? []) {
    const own = createApiViews(client, p, { owner: p.name, rotations, shared: state.cache });
    try {
      const chosen = selectTools(TOOLSETS, own.configured, {
        toolsets: p.toolsets,
        tools: p.tools,
        readOnly: p.readOnly || config.readOnly,
      });
      teams.push({ p, own, chosen });
    } catch (err) {
      if (err instanceof ConfigError) fail(`SYN_MCP_PRINCIPALS_FILE: principal ${p.name}: ${err.message}`);
      throw err;
    }
  }
  // OAuth mode: the issuer's metadata and keys are read before anything else is logged (unreachable: exit 2).
  let issuerKeys: JwksCache | undefined;
  if (config.oauth) {
    const { discoverIssuer, JwksCache } = await import('./transports/oauth.js');
    try {
      const meta = await discoverIssuer(config.oauth.issuer);
      issuerKeys = new JwksCache(meta.jwksUri, log);
      await issuerKeys.load();
    } catch (err) {
      if (err instanceof ConfigError) fail(err.message);
      throw err;
    }
  }
  // A configuration warning (e.g. a Synapse base URL without /api/v1) is logged as one.
  for (const notice of config.notices) {
    if (/^\w+: warning: /.test(notice)) log.warn(notice);
    else log.info(notice);
  }
  for (const warning of selected.warnings) log.warn(warning);
  if (config.sandbox) log.info('sandbox: every service points at the embedded emulators on loopback');

  const audit = config.auditLog ? openAuditLog(config.auditLog, log) : undefined;
  let apps: AppView[] | undefined;
  if (config.apps) {
    try {
      apps = loadAppViews();
    } catch (err) {
      log.warn(`MCP Apps views are off: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  const serverOptions = {
    version: ver,
    callDeadlineMs: client.policy.callDeadlineMs,
    byokKeys: config.byokKeys,
    schemaProfile: config.schemaProfile,
    maxResultChars: config.maxResultChars,
    audit,
    confirm: config.confirm,
    // Replicas share the key (SYN_MCP_STATE_KEY) and, with Redis, the spent states.
    sealer: createStateSealer({
      key: config.stateKey === undefined ? undefined : parseStateKey(config.stateKey),
      nonces: state.cache ? sharedNonceStore(state.cache) : new MemoryNonceStore(),
    }),
    humanSteps: [synapseHumanSteps],
    apps,
  };
  const server = createServer({ ...serverOptions, tools: selected.tools, api: views, log });

  // Each principal its own server, over API views of its own credentials (one shared pool).
  const principals: TokenPrincipal[] = [];
  for (const { p, own, chosen } of teams) {
    const plog = withFields(log, { principal: p.name });
    for (const warning of chosen.warnings) plog.warn(warning);
    const ownServer: SynServer = createServer({
      ...serverOptions,
      tools: chosen.tools,
      api: own,
      log: plog,
      principal: p.name,
    });
    plog.info(`principal ${p.name}: ${chosen.tools.length} tools`, { tools: chosen.tools.length });
    principals.push({ name: p.name, tokenSha256: p.tokenSha256, subject: p.subject, server: ownServer });
  }

  let closeTransport = async () => {};
  let drainTransport = async () => {};
  let stopping = false;
  const shutdown = (reason: string) => {
    if (stopping) return;
    stopping = true;
    log.debug(`shutting down (${reason})`);
    // In HTTP mode calls in flight get DRAIN_MS to finish; the rest of the shutdown gets 5 s more.
    const force = setTimeout(() => process.exit(0), (config.transport === 'http' ? DRAIN_MS : 0) + 5_000);
    force.unref();
    void drainTransport()
      .then(() => Promise.allSettled([closeTransport(), client.close(), closeSandbox(), state.close()]))
      .then(() => audit?.close())
      .then(() => process.exit(0));
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));

  if (config.transport === 'http') {
    const { serveHttp } = await import('./transports/http.js');
    const handle = await serveHttp(server, config.http, log, {
      health: { redis: state.health },
      ...(await teamAuth(config, principals, issuerKeys)),
    });
    closeTransport = () => handle.close();
    drainTransport = () => handle.drain(DRAIN_MS);
    const mode = config.http.stateless ? 'stateless' : 'stateful';
    log.info(`listening on ${handle.url} (${mode}, ${selected.tools.length} tools)`, {
      url: handle.url,
      mode,
      tools: selected.tools.length,
    });
  } else {
    const { serveStdio } = await import('./transports/stdio.js');
    const running = serveStdio(server, { onClosed: () => shutdown('stdin closed'), log });
    closeTransport = () => running.close();
    log.info(`serving ${selected.tools.length} tools over stdio`, { tools: selected.tools.length });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`syn-mcp: fatal: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
