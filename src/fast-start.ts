/**
 * The bin's fast start over stdio: answers the client's first `initialize`, and the `tools/list` that clients
 * send right after it, before the SDK, zod and the tools' schemas are loaded (they take most of a cold
 * start), then leaves stdin to the server (transports/early.ts, transports/stdio.ts), which still receives
 * those requests and whose own answers to them are then not sent again.
 *
 * The answers are the frames the server sends, recorded when the bin is built (scripts/bundle.mjs runs the
 * real server): `initialize` once per set of configured APIs (only `instructions` depend on it), with the
 * request's id, the negotiated protocol version and the package version put in; `tools/list` as each tool's
 * entry under each schema profile (a file per profile beside the bin, read only when a `tools/list` comes
 * this early), joined in the order the server lists the tools selected. Anything this cannot answer exactly
 * as the server would — a configuration error, an unknown toolset, a line that is not a plain `initialize`,
 * `notifications/initialized` or `tools/list`, a field it does not know — is left to the server, unanswered
 * here.
 */
import { readFileSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import type { Config } from './config.js';
import { ConfigError, SERVICE_LABEL, type ServiceName } from './errors.js';
import { MANIFEST } from './fast-start-manifest.js';
import { createLogger, type LogLevel } from './log.js';
import { profileForClient, type SchemaProfile } from './profiles.js';
import { endpointsFrom } from './services.js';
import { startupConfig, version } from './startup.js';
import type { AnyToolDef, ApiViews, ToolsetDef } from './tool.js';
import { selectTools } from './toolsets.js';
import { type EarlyAnswer, EarlyInput, holdEarlyInput } from './transports/early.js';

/** One tool as the selection reads it, without its schemas or handler. */
export interface ToolStub {
  name: string;
  services: ServiceName[];
  readOnly: boolean;
  /** The credential the tool needs beyond its API's own (ToolDef.needs). */
  needs?: string;
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

/** Each tool's tools/list entry (its JSON text) by name, under each schema profile. */
export type ToolListing = Record<SchemaProfile, Record<string, string>>;

/** The file beside the bin that holds a profile's part of the ToolListing (the build writes it). */
export const listingFile = (profile: SchemaProfile) => `syn-mcp-tools.${profile}.json`;

/** Longest line considered (an `initialize` is a few hundred bytes). */
const MAX_EARLY_LINE = 64 * 1024;
/**
 * How long the first line is waited for before the server is loaded anyway. Clients write `initialize` as
 * soon as they spawn the server, so it is normally already there; one that arrives later while the server
 * is still loading is answered early all the same if the event loop gets to it first.
 */
const FIRST_LINE_WAIT_MS = 25;
/**
 * How long, once `initialize` is answered, the next lines are waited for before the server is loaded anyway:
 * clients send `notifications/initialized` and `tools/list` as soon as they read that answer.
 */
const LIST_WAIT_MS = 50;

/** What the fast start answers with, once the configuration is known. */
export interface FastPlan {
  manifest: FastStartManifest;
  frame: InitializeFrame;
  version: string;
  logLevel: LogLevel;
  /** The names of the tools the server will list, in its order, and the profile it was given. */
  tools: { names: string[]; profile: SchemaProfile | 'auto' };
  /** Reads the recorded tools/list entries of a profile (undefined when there is no record). */
  listing: (profile: SchemaProfile) => ToolListing[SchemaProfile] | undefined;
}

/** A profile's recorded entries beside the bin, or undefined (the unbundled build has none). */
function listingBesideBin(profile: SchemaProfile): ToolListing[SchemaProfile] | undefined {
  try {
    const file = new URL(`./${listingFile(profile)}`, import.meta.url);
    return JSON.parse(readFileSync(file, 'utf8')) as ToolListing[SchemaProfile];
  } catch {
    return undefined;
  }
}

/**
 * The plan for `argv`/`env`, or undefined when the fast start does not apply: not the stdio server, or a
 * configuration the CLI will reject.
 */
export function planFastStart(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  manifest: FastStartManifest | undefined = MANIFEST,
  packageVersion: () => string = version,
  listing: FastPlan['listing'] = listingBesideBin,
): FastPlan | undefined {
  if (!manifest || ['tools', 'init', 'doctor'].includes(argv[0] ?? '')) return undefined;
  try {
    const config = startupConfig(argv, env);
    if (config.command !== 'serve' || config.transport !== 'stdio') return undefined;
    const { tools } = selectTools(stubRegistry(manifest.toolsets), configuredViews(config), config);
    const covered = [...new Set(tools.flatMap((t) => t.services))].sort().join(',');
    const frame = manifest.answers[covered];
    if (!frame) return undefined;
    return {
      manifest,
      frame,
      version: packageVersion(),
      logLevel: config.logLevel,
      tools: { names: tools.map((t) => t.name), profile: config.schemaProfile },
      listing,
    };
  } catch (err) {
    if (err instanceof ConfigError) return undefined;
    throw err;
  }
}

/**
 * The configured APIs as selectTools reads them: which credentials each holds (ApiView.has). --sandbox points
 * every API at its emulator with every credential (src/sandbox/index.ts; a test holds the two together).
 */
export function configuredViews(config: Config): Partial<ApiViews> {
  if (config.sandbox) {
    const names = Object.keys(SERVICE_LABEL) as ServiceName[];
    return Object.fromEntries(names.map((s) => [s, { has: () => true }])) as unknown as Partial<ApiViews>;
  }
  const endpoints = Object.values(endpointsFrom(config)).filter((e) => e !== undefined);
  return Object.fromEntries(
    endpoints.map((e) => [e.service, { has: (c: string) => Boolean(e.credentials[c]?.secret) }]),
  ) as unknown as Partial<ApiViews>;
}

/** The registry as selectTools reads it. */
function stubRegistry(toolsets: readonly ToolsetStub[]): ToolsetDef[] {
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
          ...(t.needs === undefined ? {} : { needs: t.needs }),
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
 * The id, requested protocol version and client name of a plain `initialize` request — one the SDK accepts
 * for certain — else undefined.
 */
export function plainInitialize(
  v: unknown,
): { id: string | number; protocolVersion: string; clientName: string } | undefined {
  if (!isObject(v) || !only(v, ['jsonrpc', 'id', 'method', 'params'])) return undefined;
  if (v.jsonrpc !== '2.0' || v.method !== 'initialize') return undefined;
  const { id, params } = v;
  if (!(typeof id === 'string' || (typeof id === 'number' && Number.isSafeInteger(id)))) return undefined;
  if (!isObject(params) || !only(params, ['protocolVersion', 'capabilities', 'clientInfo'])) return undefined;
  const { protocolVersion } = params;
  if (typeof protocolVersion !== 'string') return undefined;
  if (!isClientCapabilities(params.capabilities) || !isClientInfo(params.clientInfo)) return undefined;
  return { id, protocolVersion, clientName: (params.clientInfo as Json).name as string };
}

/** A line as the transport reads it (transports/lines.ts), or undefined when it holds no JSON. */
function jsonOf(line: Buffer): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(line));
  } catch {
    return undefined;
  }
}

/** A request or notification `method`, with no params or params `{}`: its id (null for a notification). */
function bareMessage(v: unknown, method: string): string | number | null | undefined {
  if (!isObject(v) || !only(v, ['jsonrpc', 'id', 'method', 'params'])) return undefined;
  if (v.jsonrpc !== '2.0' || v.method !== method) return undefined;
  if ('params' in v && !(isObject(v.params) && Object.keys(v.params).length === 0)) return undefined;
  if (!('id' in v)) return null;
  const { id } = v;
  return typeof id === 'string' || (typeof id === 'number' && Number.isSafeInteger(id)) ? id : undefined;
}

/** The frame the server answers `tools/list` with: the entries, in order, as recorded. */
export function toolListFrame(id: string | number, entries: readonly string[]): string {
  return `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":{"tools":[${entries.join(',')}]}}`;
}

/**
 * The early answer to a plain `tools/list` line, for a client that named itself `clientName`; undefined
 * when the line is anything else or the plan cannot answer it.
 */
export function listAnswerFor(line: Buffer, plan: FastPlan, clientName: string): EarlyAnswer | undefined {
  const id = bareMessage(jsonOf(line), 'tools/list');
  if (id === undefined || id === null) return undefined;
  const { names, profile: chosen } = plan.tools;
  const profile = chosen === 'auto' ? profileForClient(clientName) : chosen;
  const entries = plan.listing(profile);
  if (!entries) return undefined;
  const listed = names.map((n) => entries[n]);
  if (listed.some((e) => typeof e !== 'string')) return undefined;
  return { id, frame: toolListFrame(id, listed as string[]) };
}

/** The early answer to a first line, or undefined when it is not a plain `initialize`. */
export function answerFor(line: Buffer, plan: FastPlan): (EarlyAnswer & { clientName: string }) | undefined {
  const request = plainInitialize(jsonOf(line));
  if (!request) return undefined;
  const { latestProtocolVersion, supportedProtocolVersions } = plan.manifest;
  const frame = structuredClone(plan.frame);
  frame.id = request.id;
  frame.result.protocolVersion = supportedProtocolVersions.includes(request.protocolVersion)
    ? request.protocolVersion
    : latestProtocolVersion;
  frame.result.serverInfo.version = plan.version;
  return { id: request.id, frame: JSON.stringify(frame), clientName: request.clientName };
}

/**
 * Starts reading stdin and answers a first `initialize` when the plan allows, then a `tools/list` right
 * after `notifications/initialized`; resolves when the rest of the server should be loaded: once a
 * line is known not to be answered here, or a wait (FIRST_LINE_WAIT_MS, then LIST_WAIT_MS) has passed, or
 * the `tools/list` answer is written.
 */
export function fastStart(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  stdin: Readable = process.stdin,
  stdout: Writable = process.stdout,
): Promise<void> {
  const plan = planFastStart(argv, env);
  if (!plan) return Promise.resolve();
  const early = new EarlyInput(stdin, MAX_EARLY_LINE);
  holdEarlyInput(early);
  return new Promise<void>((resolve) => {
    let timer = setTimeout(resolve, FIRST_LINE_WAIT_MS);
    const go = () => {
      clearTimeout(timer);
      resolve();
    };
    const log = createLogger(plan.logLevel);
    /**
     * After `initialize`: waits for `notifications/initialized`, then answers a `tools/list` that follows;
     * stops at anything else.
     */
    const nextLine = (clientName: string, initialized: boolean) => (line: Buffer | undefined) => {
      if (!line) return go();
      if (!initialized) {
        if (bareMessage(jsonOf(line), 'notifications/initialized') !== null) return go();
        early.onNextLine(nextLine(clientName, true));
        return;
      }
      const answer = listAnswerFor(line, plan, clientName);
      if (!answer) return go();
      early.answers.push(answer);
      stdout.write(`${answer.frame}\n`, () => go());
      log.debug('fast start: answered tools/list before loading the server');
    };
    early.onNextLine((line) => {
      const answer = line && answerFor(line, plan);
      if (!answer) return go();
      early.answers.push({ id: answer.id, frame: answer.frame });
      // A client that is already gone makes this fail; the server's transport reports it.
      stdout.once('error', () => {});
      stdout.write(`${answer.frame}\n`, () => {
        clearTimeout(timer);
        timer = setTimeout(go, LIST_WAIT_MS);
        early.onNextLine(nextLine(answer.clientName, false));
      });
      log.debug('fast start: answered initialize before loading the server');
    });
  });
}
