/**
 * Real SDK clients that show the user a form (elicitation), connected to the BUILT server: the v1 SDK Client
 * (2025-11-25: the server sends elicitation/create) and the v2 client pinned to 2026-07-28 (input_required
 * rounds), over stdio (the client spawns the server) or Streamable HTTP. A scripted user answers each form in
 * turn and records what it was asked. Every client connected here is closed by `closeFormClients()` (call it
 * in afterEach, before spawn.ts's `cleanup()` kills the servers).
 */
import { Client as ClientV2, StreamableHTTPClientTransport as HttpV2 } from '@modelcontextprotocol/client';
import { StdioClientTransport as StdioV2 } from '@modelcontextprotocol/client/stdio';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { type CallToolResult, ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { CLI, startHttp } from '../e2e/spawn.js';

/** What a form asked. */
export interface Asked {
  message: string;
  requestedSchema: unknown;
}

/** What the user does with a form. */
export type Answer = {
  action: 'accept' | 'decline' | 'cancel';
  content?: Record<string, string | number | boolean>;
};

/** A scripted user: the answers still to give, in order, and every form asked so far. */
export interface FormUser {
  answers: Answer[];
  asked: Asked[];
}

export function formUser(...answers: Answer[]): FormUser {
  return { answers, asked: [] };
}

/** Records the form and gives the user's next answer; a user out of answers cancels. */
export function answerForm(u: FormUser, params: Asked): Answer {
  u.asked.push({ message: params.message, requestedSchema: params.requestedSchema });
  return u.answers.shift() ?? { action: 'cancel' };
}

export type Era = '2025' | '2026';
export type Transport = 'stdio' | 'http';

/** A connected client of either generation, reduced to what the tests use. */
export interface FormClient {
  call(name: string, args: Record<string, unknown>): Promise<CallToolResult>;
  close(): Promise<void>;
}

/** The server a client talks to: one it spawns over stdio with `args` and exactly `env`, or a running URL. */
export type ServerTarget = { args: readonly string[]; env: Record<string, string> } | { url: string };

export interface FormClientOptions {
  era: Era;
  server: ServerTarget;
  /** The clientInfo name. */
  name: string;
  /** Who answers the forms; none: the client declares no elicitation capability. */
  user?: FormUser | ((params: Asked) => Answer);
  /** The v2 client's elicitation capability (`{ form: {} }` names the mode; `{}` means form too). */
  elicitation?: { form?: Record<string, never> };
}

const closers = new Set<() => Promise<void>>();

/** Closes every client connected here. */
export async function closeFormClients(): Promise<void> {
  await Promise.allSettled([...closers].map((close) => close()));
}

function track(client: { close(): Promise<void> }): () => Promise<void> {
  const close = async () => {
    closers.delete(close);
    await client.close();
  };
  closers.add(close);
  return close;
}

/** Connects a client of `era` to `server` whose forms `user` answers. */
export async function connectFormClient(opts: FormClientOptions): Promise<FormClient> {
  const { era, server, name, user } = opts;
  const info = { name, version: '0' };
  const respond = (params: unknown): Answer =>
    typeof user === 'function' ? user(params as Asked) : answerForm(user as FormUser, params as Asked);
  // stderr piped, not inherited: the server's log lines stay out of the test output.
  const spawned = (s: { args: readonly string[]; env: Record<string, string> }) => ({
    command: process.execPath,
    args: [CLI, ...s.args],
    env: s.env,
    stderr: 'pipe' as const,
  });
  if (era === '2025') {
    const client = user ? new Client(info, { capabilities: { elicitation: {} } }) : new Client(info);
    if (user) client.setRequestHandler(ElicitRequestSchema, async (request) => respond(request.params));
    await client.connect(
      'url' in server
        ? new StreamableHTTPClientTransport(new URL(server.url))
        : new StdioClientTransport(spawned(server)),
    );
    return {
      call: async (tool, a) => (await client.callTool({ name: tool, arguments: a })) as CallToolResult,
      close: track(client),
    };
  }
  const client = new ClientV2(info, {
    capabilities: user ? { elicitation: opts.elicitation ?? {} } : {},
    versionNegotiation: { mode: { pin: '2026-07-28' } },
  });
  if (user) client.setRequestHandler('elicitation/create', async (request) => respond(request.params));
  await client.connect('url' in server ? new HttpV2(new URL(server.url)) : new StdioV2(spawned(server)));
  return {
    call: async (tool, a) => (await client.callTool({ name: tool, arguments: a })) as CallToolResult,
    close: track(client),
  };
}

/**
 * Starts the built server with `args` on `env` over `transport` (stdio: the client spawns it; http:
 * `--http --port 0`) and connects a form client of `era` to it.
 */
export async function serveWithFormClient(
  era: Era,
  transport: Transport,
  server: { args: readonly string[]; env: Record<string, string> },
  opts: Omit<FormClientOptions, 'era' | 'server'>,
): Promise<FormClient> {
  const target = transport === 'http' ? { url: (await startHttp(server.args, server.env)).url } : server;
  return connectFormClient({ ...opts, era, server: target });
}

/** A tools/call that may end in an input_required round: the raw result, or a rejection with the error. */
export type RoundsCall = (params: Record<string, unknown>) => Promise<unknown>;

/**
 * A v2 client pinned to 2026-07-28 on `url` that handles input_required rounds by hand (as a model could):
 * each call returns the raw result, an input_required round included, or rejects with the server's error.
 */
export async function connectRoundsClient(
  url: string,
  name: string,
  headers?: Record<string, string>,
): Promise<RoundsCall> {
  const client = new ClientV2(
    { name, version: '0' },
    {
      capabilities: { elicitation: {} },
      versionNegotiation: { mode: { pin: '2026-07-28' } },
      inputRequired: { autoFulfill: false },
    },
  );
  await client.connect(new HttpV2(new URL(url), headers ? { requestInit: { headers } } : undefined));
  track(client);
  return (params) =>
    client.callTool(params as { name: string; arguments: Record<string, unknown> }, {
      allowInputRequired: true,
    });
}
