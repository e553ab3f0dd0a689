/**
 * The bin's fast start over stdio: answers the client's first `initialize` before the SDK, zod and the tools'
 * schemas are loaded (they take most of a cold start), then leaves stdin to the server (transports/early.ts,
 * transports/stdio.ts), which still receives that request and whose own answer is then not sent again.
 *
 * The answer is the frame the SDK Server sends, recorded when the bin is built (scripts/bundle.mjs runs the
 * real server once per set of configured APIs: only `instructions` depend on it) with the request's id, the
 * negotiated protocol version and the package version put in. Anything this cannot answer exactly as the
 * server would — a configuration error, an unknown toolset, a first line that is not a plain `initialize`,
 * a field it does not know — is left to the server, unanswered here.
 */
import type { Readable, Writable } from 'node:stream';
import { ConfigError, SERVICE_LABEL, type ServiceName } from './errors.js';
import { MANIFEST } from './fast-start-manifest.js';
import { createLogger, type LogLevel } from './log.js';
import { startupConfig, version } from './startup.js';
import type { AnyToolDef, ApiViews, ToolsetDef } from './tool.js';
import { selectTools } from './toolsets.js';
import { type EarlyAnswer, EarlyInput, holdEarlyInput } from './transports/early.js';

/** One tool as the selection reads it, without its schemas or handler. */
export interface ToolStub {
  name: string;
  services: ServiceName[];
  readOnly: boolean;
  /** The tool has an `available()` check, which the fast start cannot run. */
  conditional: boolean;
}

/** One toolset as the selection reads it. */
export interface ToolsetStub {
  name: string;
  service: ServiceName;
  default: boolean;
  tools: ToolStub[];
}

/** The SDK's answer to `initialize`, as recorded at build time. */
export interface InitializeFrame {
  result: { protocolVersion: string; serverInfo: { version: string } } & Record<string, unknown>;
  jsonrpc: '2.0';
  id: string | number;
}

/** What the build records for the fast start (scripts/bundle.mjs). */
export interface FastStartManifest {
  /** The SDK's LATEST_PROTOCOL_VERSION: the answer to a version it does not support. */
  latestProtocolVersion: string;
  /** The SDK's SUPPORTED_PROTOCOL_VERSIONS: a requested one of these is answered as is. */
  supportedProtocolVersions: string[];
  /** The server's answer, by the APIs its tools cover (sorted names joined by ','). */
  answers: Record<string, InitializeFrame>;
  /** The tool registry, in catalog order. */
  toolsets: ToolsetStub[];
}

/** Longest first line considered (an `initialize` is a few hundred bytes). */
const MAX_FIRST_LINE = 64 * 1024;
/**
 * How long the first line is waited for before the server is loaded anyway. Clients write `initialize` as
 * soon as they spawn the server, so it is normally already there; one that arrives later while the server
 * is still loading is answered early all the same if the event loop gets to it first.
 */
const FIRST_LINE_WAIT_MS = 25;

/** What the fast start answers with, once the configuration is known. */
export interface FastPlan {
  manifest: FastStartManifest;
  frame: InitializeFrame;
  version: string;
  logLevel: LogLevel;
}

/**
 * The plan for `argv`/`env`, or undefined when the fast start does not apply: not the stdio server, a
 * configuration the CLI will reject, or a tool selection whose APIs depend on an `available()` check.
 */
export function planFastStart(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  manifest: FastStartManifest | undefined = MANIFEST,
  packageVersion: () => string = version,
): FastPlan | undefined {
  if (!manifest || ['tools', 'init', 'doctor'].includes(argv[0] ?? '')) return undefined;
  try {
    const config = startupConfig(argv, env);
    if (config.command !== 'serve' || config.transport !== 'stdio') return undefined;
    // --sandbox points every API at its emulator, with every credential.
    const names = config.sandbox
      ? (Object.keys(SERVICE_LABEL) as ServiceName[])
      : (Object.keys(config.services) as ServiceName[]);
    const configured = Object.fromEntries(names.map((s) => [s, {}])) as Partial<ApiViews>;
    const covered = [true, false].map((available) => {
      const registry = stubRegistry(manifest.toolsets, available);
      const { tools } = selectTools(registry, configured, config);
      return [...new Set(tools.flatMap((t) => t.services))].sort().join(',');
    });
    const frame = covered[0] === covered[1] ? manifest.answers[covered[0] ?? ''] : undefined;
    return frame && { manifest, frame, version: packageVersion(), logLevel: config.logLevel };
  } catch (err) {
    if (err instanceof ConfigError) return undefined;
    throw err;
  }
}

/** The registry as selectTools reads it, every `available()` check answering `available`. */
function stubRegistry(toolsets: readonly ToolsetStub[], available: boolean): ToolsetDef[] {
  return toolsets.map((ts) => ({
    name: ts.name,
    service: ts.service,
    default: ts.default,
    description: '',
    tools: ts.tools.map(
      (t) =>
        ({
          name: t.name,
          services: t.services,
          annotations: { readOnlyHint: t.readOnly },
          ...(t.conditional ? { available: () => available } : {}),
        }) as unknown as AnyToolDef,
    ),
  }));
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const only = (o: Json, keys: readonly string[]) => Object.keys(o).every((k) => keys.includes(k));
const optional = (o: Json, key: string, test: (v: unknown) => boolean) => !(key in o) || test(o[key]);
const isString = (v: unknown) => typeof v === 'string';
/** An object whose values are all objects (experimental, extensions, sampling). */
const isObjectOfObjects = (v: unknown) => isObject(v) && Object.values(v).every(isObject);

/** clientInfo: the Implementation fields, all strings (icons and anything else: not answered early). */
function isClientInfo(v: unknown): boolean {
  if (!isObject(v) || !only(v, ['name', 'version', 'title', 'description', 'websiteUrl'])) return false;
  return isString(v.name) && isString(v.version) && Object.values(v).every(isString);
}

/** capabilities: the client capabilities the SDK knows, in their plain forms (tasks: not answered early). */
function isClientCapabilities(v: unknown): boolean {
  if (!isObject(v) || !only(v, ['roots', 'sampling', 'elicitation', 'experimental', 'extensions'])) {
    return false;
  }
  const roots = (r: unknown) =>
    isObject(r) && only(r, ['listChanged']) && optional(r, 'listChanged', (x) => typeof x === 'boolean');
  const sampling = (s: unknown) => isObjectOfObjects(s) && only(s as Json, ['context', 'tools']);
  const form = (f: unknown) =>
    isObject(f) && only(f, ['applyDefaults']) && optional(f, 'applyDefaults', (x) => typeof x === 'boolean');
  const elicitation = (e: unknown) =>
    isObject(e) && only(e, ['form', 'url']) && optional(e, 'form', form) && optional(e, 'url', isObject);
  return (
    optional(v, 'roots', roots) &&
    optional(v, 'sampling', sampling) &&
    optional(v, 'elicitation', elicitation) &&
    optional(v, 'experimental', isObjectOfObjects) &&
    optional(v, 'extensions', isObjectOfObjects)
  );
}

/**
 * The id and requested protocol version of a plain `initialize` request — one the SDK accepts for certain —
 * else undefined.
 */
export function plainInitialize(v: unknown): { id: string | number; protocolVersion: string } | undefined {
  if (!isObject(v) || !only(v, ['jsonrpc', 'id', 'method', 'params'])) return undefined;
  if (v.jsonrpc !== '2.0' || v.method !== 'initialize') return undefined;
  const { id, params } = v;
  if (!(typeof id === 'string' || (typeof id === 'number' && Number.isSafeInteger(id)))) return undefined;
  if (!isObject(params) || !only(params, ['protocolVersion', 'capabilities', 'clientInfo'])) return undefined;
  const { protocolVersion } = params;
  if (typeof protocolVersion !== 'string') return undefined;
  if (!isClientCapabilities(params.capabilities) || !isClientInfo(params.clientInfo)) return undefined;
  return { id, protocolVersion };
}

/** The early answer to a first line, or undefined when it is not a plain `initialize`. */
export function answerFor(line: Buffer, plan: FastPlan): EarlyAnswer | undefined {
  let request: ReturnType<typeof plainInitialize>;
  try {
    // Decoded as the transport decodes a line (transports/lines.ts).
    request = plainInitialize(JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(line)));
  } catch {
    return undefined;
  }
  if (!request) return undefined;
  const { latestProtocolVersion, supportedProtocolVersions } = plan.manifest;
  const frame = structuredClone(plan.frame);
  frame.id = request.id;
  frame.result.protocolVersion = supportedProtocolVersions.includes(request.protocolVersion)
    ? request.protocolVersion
    : latestProtocolVersion;
  frame.result.serverInfo.version = plan.version;
  return { id: request.id, frame: JSON.stringify(frame) };
}

/**
 * Starts reading stdin and answers a first `initialize` when the plan allows; resolves when the rest of
 * the server should be loaded: once that answer is written, the first line is known not to be one, or
 * FIRST_LINE_WAIT_MS has passed.
 */
export function fastStart(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  stdin: Readable = process.stdin,
  stdout: Writable = process.stdout,
): Promise<void> {
  const plan = planFastStart(argv, env);
  if (!plan) return Promise.resolve();
  const early = new EarlyInput(stdin, MAX_FIRST_LINE);
  holdEarlyInput(early);
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, FIRST_LINE_WAIT_MS);
    const go = () => {
      clearTimeout(timer);
      resolve();
    };
    early.onFirstLine((line) => {
      const answer = line && answerFor(line, plan);
      if (!answer) return go();
      early.answer = answer;
      // A client that is already gone makes this fail; the server's transport reports it.
      stdout.once('error', () => {});
      stdout.write(`${answer.frame}\n`, () => go());
      createLogger(plan.logLevel).debug('fast start: answered initialize before loading the server');
    });
  });
}
