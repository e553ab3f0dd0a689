/**
 * The human-input seam (ToolContext.input / ctx.ask, src/tool.ts) through the real SDK on both eras: a tool
 * that asks the user once, written in the 2026-07-28 style, gets its answer from a v2 client with form
 * elicitation on a 2025 connection (the SDK's legacy shim sends elicitation/create) and on a 2026-07-28
 * request (input_required, retried by the client with inputResponses and the echoed requestState); a client
 * without elicitation is never asked.
 */
import { Client, InMemoryTransport, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { acceptedContent, createMcpHandler, inputRequired } from '@modelcontextprotocol/server';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { silentLogger } from '../../src/log.js';
import { serverFactory } from '../../src/protocol.js';
import { createServer, type SynServer } from '../../src/server.js';
import { defineTool } from '../../src/tool.js';

const ANSWER = z.object({ confirm: z.boolean() });

const askOnce = defineTool({
  name: 'ask_once',
  title: 'Test · Ask once',
  description: 'Asks the user to confirm, then says what the answer was.',
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
  services: ['syncguard'],
  input: z.strictObject({ target: z.string() }),
  output: z.object({ outcome: z.string(), state: z.string().optional() }),
  async handler(args, ctx) {
    if (!ctx.input.canElicit) return { outcome: 'not asked' };
    const answer = acceptedContent(ctx.input.responses, 'confirm', ANSWER);
    if (!answer) {
      return ctx.ask({
        inputRequests: {
          confirm: inputRequired.elicit({
            message: `Delete ${args.target}?`,
            requestedSchema: {
              type: 'object',
              properties: { confirm: { type: 'boolean', title: 'Confirm' } },
              required: ['confirm'],
            },
          }),
        },
        requestState: `target:${args.target}`,
      });
    }
    const state = typeof ctx.input.state === 'string' ? ctx.input.state : undefined;
    return { outcome: answer.confirm ? 'confirmed' : 'refused', ...(state ? { state } : {}) };
  },
});

function server(): SynServer {
  return createServer({
    tools: [askOnce],
    api: { configured: {}, bind: {} },
    log: silentLogger,
    version: 'test',
    callDeadlineMs: 5_000,
    // The tool asks for itself here: the boundary's own confirmation of destructive tools is off.
    confirm: 'off',
  });
}

const clients: Client[] = [];
afterEach(async () => {
  await Promise.allSettled(clients.splice(0).map((c) => c.close()));
});

/** A v2 client; with `answer`, it declares form elicitation and answers every form with it. */
function client(mode: 'legacy' | { pin: string }, answer?: boolean): { client: Client; asked: string[] } {
  const asked: string[] = [];
  const c = new Client(
    { name: 'seam-test', version: '0' },
    { versionNegotiation: { mode }, capabilities: answer === undefined ? {} : { elicitation: { form: {} } } },
  );
  if (answer !== undefined) {
    c.setRequestHandler('elicitation/create', (request) => {
      asked.push(request.params.message);
      return { action: 'accept', content: { confirm: answer } };
    });
  }
  clients.push(c);
  return { client: c, asked };
}

async function legacyConnect(c: Client): Promise<void> {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const sdk = await serverFactory(server(), { legacyCanElicit: true })({ era: 'legacy' });
  await sdk.connect(serverSide);
  await c.connect(clientSide);
}

async function modernConnect(c: Client): Promise<void> {
  const handler = createMcpHandler(serverFactory(server(), { legacyCanElicit: false }), { legacy: 'reject' });
  const transport = new StreamableHTTPClientTransport(new URL('http://127.0.0.1/mcp'), {
    fetch: (url, init) => handler.fetch(new Request(url, init)),
  });
  await c.connect(transport);
}

describe('human input through the SDK', () => {
  it('2025 connection with form elicitation: asked once through elicitation/create, then answered', async () => {
    const { client: c, asked } = client('legacy', true);
    await legacyConnect(c);
    const result = await c.callTool({ name: 'ask_once', arguments: { target: 'acct-1' } });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ outcome: 'confirmed' });
    expect(asked).toEqual(['Delete acct-1?']);
  });

  it('2025 connection without elicitation: never asked', async () => {
    const { client: c } = client('legacy');
    await legacyConnect(c);
    const result = await c.callTool({ name: 'ask_once', arguments: { target: 'acct-1' } });
    expect(result.structuredContent).toEqual({ outcome: 'not asked' });
  });

  it('2026-07-28 with form elicitation: input_required, retried with the answer and the echoed state', async () => {
    const { client: c, asked } = client({ pin: '2026-07-28' }, false);
    await modernConnect(c);
    expect(c.getProtocolEra()).toBe('modern');
    const result = await c.callTool({ name: 'ask_once', arguments: { target: 'acct-2' } });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toEqual({ outcome: 'refused', state: 'target:acct-2' });
    expect(asked).toEqual(['Delete acct-2?']);
  });

  it('2026-07-28 without elicitation: never asked', async () => {
    const { client: c } = client({ pin: '2026-07-28' });
    await modernConnect(c);
    const result = await c.callTool({ name: 'ask_once', arguments: { target: 'acct-3' } });
    expect(result.structuredContent).toEqual({ outcome: 'not asked' });
  });
});
