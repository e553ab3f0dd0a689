import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { InMemoryTransport } from '@modelcontextprotocol/server';
import { type Env, loadConfig, secretsOf } from '../../src/config.js';
import { type ClientDeps, HttpClient } from '../../src/http/client.js';
import type { ClientPolicy } from '../../src/http/policy.js';
import { registerSecret } from '../../src/http/redact.js';
import { silentLogger } from '../../src/log.js';
import { serverFactory } from '../../src/protocol.js';
import { createServer, type SynServer } from '../../src/server.js';
import { createApiViews, type ViewOptions } from '../../src/services.js';
import type { ToolsetDef } from '../../src/tool.js';
import { selectTools } from '../../src/toolsets.js';
import { TOOLSETS } from '../../tools/index.js';

/** A real SDK Client connected in memory to a server built from env + argv, with real HTTP upstream. */
export interface InProcess {
  client: Client;
  server: SynServer;
  /** tools/call, returning the result typed as CallToolResult. */
  call(name: string, args?: Record<string, unknown>): Promise<CallToolResult>;
  close(): Promise<void>;
}

/**
 * Builds the server exactly as the CLI does (config → client → views → selection → boundary). `clock`
 * replaces the client's (and the call deadline's) time, e.g. test/helpers/clock.ts; `views` what the API
 * views are built with (e.g. the clock minted Synqly tokens expire by).
 */
export async function connectInProcess(
  env: Env,
  argv: string[] = ['--toolsets', 'all'],
  policy: Partial<ClientPolicy> = {},
  registry: readonly ToolsetDef[] = TOOLSETS,
  clientName = 'syn-mcp-tests',
  clock: Pick<ClientDeps, 'now' | 'sleep'> = {},
  views: ViewOptions = {},
): Promise<InProcess> {
  const config = loadConfig(argv, env);
  for (const s of secretsOf(config)) registerSecret(s);
  const http = new HttpClient({ policy, ...clock });
  const api = createApiViews(http, config, views);
  const selected = selectTools(registry, api.configured, config);
  const server = createServer({
    tools: selected.tools,
    api,
    log: silentLogger,
    version: 'test',
    callDeadlineMs: http.policy.callDeadlineMs,
    now: http.now,
    byokKeys: config.byokKeys,
    schemaProfile: config.schemaProfile,
    maxResultChars: config.maxResultChars,
  });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  // The shipped transports' SDK server (src/protocol.ts), as one 2025 connection (stdio, a session).
  const sdk = await serverFactory(server, { legacyCanElicit: true })({ era: 'legacy' });
  await sdk.connect(serverSide);
  const client = new Client({ name: clientName, version: '0' });
  await client.connect(clientSide);
  return {
    client,
    server,
    call: async (name, args = {}) => (await client.callTool({ name, arguments: args })) as CallToolResult,
    async close() {
      await client.close();
      await sdk.close();
      await http.close();
    },
  };
}

/** The text of a result's first content block (an input-required round has none: ''). */
export function textOf(result: CallToolResult | object): string {
  const content = 'content' in result && Array.isArray(result.content) ? result.content : [];
  const first = content[0] as { type?: unknown; text?: unknown } | undefined;
  return first?.type === 'text' && typeof first.text === 'string' ? first.text : '';
}

/**
 * The JSON payload of a result's text. A fenced text (third-party content) must be one well-formed fence —
 * the same nonce opening and closing, nothing after it — and the payload is what is inside it, with the
 * guidance shown before the fence (`Next step: …`, `Note: …`) put back as its field (src/fence.ts).
 */
export function jsonOf(result: CallToolResult | object): unknown {
  const text = textOf(result);
  const fenced =
    /^((?:.*\n)*?)Data from .+ follows between the (untrusted-data-[0-9a-f]{16}) markers\..*\n<\2>\n([\s\S]*)\n<\/\2>$/.exec(
      text,
    );
  if (!fenced) return JSON.parse(text);
  const data = JSON.parse(fenced[3] ?? '') as unknown;
  if (typeof data !== 'object' || data === null) return data;
  const guidance: Record<string, string> = {};
  for (const [, label, said] of (fenced[1] ?? '').matchAll(/^(Next step|Note): (.*)$/gm)) {
    guidance[label === 'Note' ? 'note' : 'next_step'] = said ?? '';
  }
  return { ...data, ...guidance };
}
