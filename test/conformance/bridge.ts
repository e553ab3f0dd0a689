/**
 * A loopback HTTP-to-stdio bridge, so that the conformance suite (which speaks only Streamable HTTP) can drive
 * the BUILT server over stdio. One stdio process per MCP session: an `initialize` POST without a session id
 * spawns `node <bin> ...args` (the bin package.json names), and the bridge hands out a session id for it. Each POSTed JSON-RPC
 * message is written to the process's stdin as one line; each request is answered with the line the process
 * writes back with the same id, verbatim, as `application/json`. Notifications and responses get 202.
 * Nothing else is added: no SSE stream (GET is 405), no Host/Origin checks, no server-to-client requests.
 * DELETE ends the session (closes stdin).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { type ServerProcess, spawnServer, within } from '../e2e/spawn.js';

/** A running bridge. */
export interface Bridge {
  /** The MCP endpoint, `http://127.0.0.1:PORT/mcp`. */
  url: string;
  /** stdio processes spawned so far (one per session). */
  spawned(): number;
  close(): Promise<void>;
}

interface Session {
  proc: ServerProcess;
  waiting: Map<string, (line: string) => void>;
}

const ANSWER_MS = 30_000;

type Message = { id?: unknown; method?: unknown };

function reply(
  res: ServerResponse,
  status: number,
  body?: unknown,
  headers: Record<string, string> = {},
): void {
  if (body === undefined) {
    res.writeHead(status, headers).end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}

const rpcError = (code: number, message: string) => ({ jsonrpc: '2.0', id: null, error: { code, message } });

function open(args: readonly string[], env: Record<string, string>): Session {
  const proc = spawnServer(args, env);
  const waiting = new Map<string, (line: string) => void>();
  const stdout = proc.child.stdout;
  if (!stdout) throw new Error('bridge: the server has no stdout');
  createInterface({ input: stdout }).on('line', (line) => {
    let message: Message;
    try {
      message = JSON.parse(line) as Message;
    } catch {
      return;
    }
    if (message.method !== undefined) return; // server-to-client traffic has nowhere to go
    const key = JSON.stringify(message.id);
    waiting.get(key)?.(line);
    waiting.delete(key);
  });
  return { proc, waiting };
}

/** Writes one message and, when it is a request, resolves to the server's answer line. */
function forward(session: Session, message: Message): Promise<string> | undefined {
  const isRequest = typeof message.method === 'string' && message.id !== undefined;
  const answered = isRequest
    ? new Promise<string>((resolve) => session.waiting.set(JSON.stringify(message.id), resolve))
    : undefined;
  session.proc.child.stdin?.write(`${JSON.stringify(message)}\n`);
  return answered && within(answered, ANSWER_MS, `answer to ${String(message.method)}`);
}

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Starts the bridge; every session runs `node <bin> ...args` with exactly `env`. */
export async function startBridge(args: readonly string[], env: Record<string, string>): Promise<Bridge> {
  const sessions = new Map<string, Session>();
  let spawned = 0;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if ((req.url ?? '').split('?')[0] !== '/mcp')
      return reply(res, 404, { error: 'the MCP endpoint is /mcp' });
    const sid = req.headers['mcp-session-id'];
    const id = Array.isArray(sid) ? sid[0] : sid;
    if (req.method === 'DELETE') {
      const session = id ? sessions.get(id) : undefined;
      if (!session || !id) return reply(res, 404, rpcError(-32001, 'Session not found'));
      sessions.delete(id);
      session.proc.child.stdin?.end();
      return reply(res, 200);
    }
    if (req.method !== 'POST')
      return reply(res, 405, rpcError(-32000, 'Method not allowed'), { allow: 'POST, DELETE' });
    let parsed: unknown;
    try {
      parsed = JSON.parse(await body(req));
    } catch {
      return reply(res, 400, rpcError(-32700, 'Parse error'));
    }
    const messages = (Array.isArray(parsed) ? parsed : [parsed]) as Message[];
    let session = id ? sessions.get(id) : undefined;
    const headers: Record<string, string> = {};
    if (id && !session) return reply(res, 404, rpcError(-32001, 'Session not found'));
    if (!session) {
      if (messages[0]?.method !== 'initialize') {
        return reply(res, 400, rpcError(-32000, 'Bad Request: send initialize first'));
      }
      const newId = randomUUID();
      session = open(args, env);
      spawned++;
      sessions.set(newId, session);
      headers['mcp-session-id'] = newId;
    }
    const current = session;
    const answers = messages
      .map((m) => forward(current, m))
      .filter((a): a is Promise<string> => a !== undefined);
    if (answers.length === 0) return reply(res, 202, undefined, headers);
    const lines = await Promise.all(answers);
    const text = Array.isArray(parsed) ? `[${lines.join(',')}]` : (lines[0] ?? '');
    res.writeHead(200, { 'content-type': 'application/json', ...headers }).end(text);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      reply(res, 502, rpcError(-32603, `bridge: ${err instanceof Error ? err.message : String(err)}`));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    spawned: () => spawned,
    async close() {
      for (const s of sessions.values()) s.proc.child.stdin?.end();
      sessions.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
