/**
 * Records what the bin's fast start answers from (src/fast-start.ts): the server's own answer (its RpcSession's) to
 * `initialize` for every set of APIs the selected tools can cover, the tool registry without its schemas, and
 * each tool's tools/list entry under each schema profile (checked against the server's own tools/list frames).
 * scripts/bundle.mjs bundles this from source and runs it, so the record always matches the bin it goes into.
 */
import { LATEST_PROTOCOL_VERSION, SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/sdk/types.js';
import { Catalog } from '../../src/catalog.js';
import { SERVICE_LABEL, type ServiceName } from '../../src/errors.js';
import {
  type FastStartManifest,
  type InitializeFrame,
  type ToolListing,
  toolListFrame,
} from '../../src/fast-start.js';
import { createLogger } from '../../src/log.js';
import { PROFILES, type SchemaProfile } from '../../src/profiles.js';
import { createServer } from '../../src/server.js';
import type { AnyToolDef, ApiViews } from '../../src/tool.js';
import { RpcSession, serialiseAnswer } from '../../src/transports/rpc.js';
import { TOOLSETS } from '../../tools/index.js';

/** The frame the server sends back for a plain `initialize` when it serves `tools`. */
async function initializeAnswer(tools: readonly AnyToolDef[], version: string): Promise<string> {
  const server = createServer({
    tools,
    api: {} as ApiViews,
    log: createLogger('error', () => {}),
    version,
    callDeadlineMs: 1_000,
  });
  const clientInfo = { name: 'syn-mcp-build', version: '0' };
  const answer = await new RpcSession(server).request({
    jsonrpc: '2.0',
    id: 0,
    method: 'initialize',
    params: { protocolVersion: LATEST_PROTOCOL_VERSION, capabilities: {}, clientInfo },
  });
  if (!answer) throw new Error('fast start: initialize was not answered');
  return serialiseAnswer(answer);
}

/** The fast start's record for the package at `version`. */
export async function recordFastStart(version: string): Promise<FastStartManifest> {
  const services = Object.keys(SERVICE_LABEL) as ServiceName[];
  const tools = [...new Map(TOOLSETS.flatMap((ts) => ts.tools).map((t) => [t.name, t])).values()];
  const answers: Record<string, InitializeFrame> = {};
  for (let mask = 0; mask < 1 << services.length; mask++) {
    const covered = services.filter((_, i) => mask & (1 << i));
    const key = [...covered].sort().join(',');
    // One tool per API, then every tool of those APIs: the answer must depend on the APIs alone.
    const one = covered.map((s) => tools.find((t) => t.services.length === 1 && t.services[0] === s));
    const every = tools.filter((t) => t.services.every((s) => covered.includes(s)));
    if (one.some((t) => t === undefined))
      throw new Error(`fast start: an API without a tool of its own: ${key}`);
    const frame = await initializeAnswer(one as AnyToolDef[], version);
    if (covered.length > 0 && (await initializeAnswer(every, version)) !== frame) {
      throw new Error(`fast start: the initialize answer depends on more than the APIs covered (${key})`);
    }
    const parsed = JSON.parse(frame) as InitializeFrame;
    // The fields the fast start fills in must be where it puts them.
    if (
      parsed.id !== 0 ||
      parsed.result?.protocolVersion !== LATEST_PROTOCOL_VERSION ||
      parsed.result.serverInfo?.version !== version
    ) {
      throw new Error(`fast start: unexpected initialize answer ${frame}`);
    }
    answers[key] = parsed;
  }
  return {
    latestProtocolVersion: LATEST_PROTOCOL_VERSION,
    supportedProtocolVersions: [...SUPPORTED_PROTOCOL_VERSIONS],
    answers,
    toolsets: TOOLSETS.map((ts) => ({
      name: ts.name,
      service: ts.service,
      default: ts.default,
      tools: ts.tools.map((t) => ({
        name: t.name,
        services: [...t.services],
        readOnly: t.annotations.readOnlyHint,
        ...(t.needs === undefined ? {} : { needs: t.needs }),
      })),
    })),
  };
}

/** The server's own tools/list frame (id 1) for `tools`, under `profile`. */
async function toolListAnswer(tools: readonly AnyToolDef[], profile: SchemaProfile): Promise<string> {
  const server = createServer({
    tools,
    api: {} as ApiViews,
    log: createLogger('error', () => {}),
    version: '0.0.0',
    callDeadlineMs: 1_000,
    schemaProfile: profile,
  });
  const session = new RpcSession(server);
  const clientInfo = { name: 'syn-mcp-build', version: '0' };
  await session.request({
    jsonrpc: '2.0',
    id: 0,
    method: 'initialize',
    params: { protocolVersion: LATEST_PROTOCOL_VERSION, capabilities: {}, clientInfo },
  });
  const answer = await session.request({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
  if (!answer) throw new Error('fast start: tools/list was not answered');
  return serialiseAnswer(answer);
}

/**
 * Each tool's tools/list entry under each profile. Joined in the server's order (src/fast-start.ts), they
 * must make the server's own frame: checked for every tool, and for the tools of each toolset alone.
 */
export async function recordToolListing(): Promise<ToolListing> {
  const tools = [...new Map(TOOLSETS.flatMap((ts) => ts.tools).map((t) => [t.name, t])).values()];
  const listing = {} as ToolListing;
  for (const profile of PROFILES) {
    const entries = new Catalog(tools).list(profile);
    listing[profile] = Object.fromEntries(entries.map((e) => [e.name, JSON.stringify(e)]));
    for (const chosen of [tools, ...TOOLSETS.map((ts) => ts.tools)]) {
      const joined = toolListFrame(
        1,
        chosen.map((t) => listing[profile][t.name] as string),
      );
      if (joined !== (await toolListAnswer(chosen, profile))) {
        throw new Error(`fast start: the recorded tools/list differs from the server's own (${profile})`);
      }
    }
  }
  return listing;
}
