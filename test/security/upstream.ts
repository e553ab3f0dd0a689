/**
 * A recording reverse proxy in front of every emulator that `startSandbox()` starts, found from its
 * environment (each `*_BASE_URL`), so new APIs are covered as soon as the sandbox starts them. It
 * - records every request exactly as syn-mcp sent it (raw request target, headers, body) and the answer;
 * - lets syn-mcp run with distinctive secrets: a configured value is swapped for the sandbox's own credential
 *   on the way up, and the sandbox's credential back to the configured value on the way down, so an emulator
 *   that echoes a credential echoes the configured one;
 * - tags each answer with an `x-request-id` it records;
 * - can answer instead of the emulator (`respond`), e.g. with an error body that echoes the credentials.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the proxy received it from syn-mcp. */
export interface ProxiedRequest {
  /** Env prefix of the API, e.g. `SYNCGUARD`. */
  api: string;
  method: string;
  /** The request target exactly as sent (path and query, not normalised). */
  target: string;
  headers: Record<string, string>;
  body: string;
  /** Status of the answer syn-mcp got. */
  status?: number;
  /** The `x-request-id` the proxy put on the answer. */
  requestId: string;
}

/** A canned answer given instead of the emulator's. */
export interface CannedAnswer {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

/** The proxies of one sandbox. */
export interface Upstreams {
  /** The environment to give syn-mcp: proxied base URLs and the distinctive secrets. */
  env: Record<string, string>;
  /** Every distinctive secret configured, by variable name. */
  secrets: Record<string, string>;
  /** Every request, in arrival order, over all APIs. */
  requests: ProxiedRequest[];
  /** When set and returning an answer, the proxy answers with it instead of forwarding. */
  respond: ((req: ProxiedRequest) => CannedAnswer | undefined) | undefined;
  close(): Promise<void>;
}

function headerRecord(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

function swapAll(text: string, pairs: ReadonlyArray<readonly [string, string]>): string {
  let out = text;
  for (const [from, to] of pairs) if (from && out.includes(from)) out = out.split(from).join(to);
  return out;
}

async function readAll(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

/** Names of the variables that hold credentials. */
const SECRET_VARIABLE = /(KEY|TOKEN|JWT|SECRET|PASSWORD)$/;

/** A distinctive, unmistakable value for a secret variable. */
export function distinctiveSecret(name: string): string {
  return `${name.toLowerCase().replace(/_/g, '-')}-DISTINCT-${randomBytes(12).toString('hex')}`;
}

/**
 * Starts one proxy per `*_BASE_URL` of `sandboxEnv`; every credential variable of `sandboxEnv` (a name ending
 * in KEY, TOKEN, JWT, SECRET or PASSWORD) gets a distinctive replacement (`secretFor`).
 */
export async function proxyUpstreams(
  sandboxEnv: Record<string, string>,
  secretFor: (name: string) => string = distinctiveSecret,
): Promise<Upstreams> {
  const secrets: Record<string, string> = {};
  for (const name of Object.keys(sandboxEnv)) if (SECRET_VARIABLE.test(name)) secrets[name] = secretFor(name);
  const up = Object.entries(secrets).map(([name, value]) => [value, sandboxEnv[name] ?? ''] as const);
  const down = up
    .map(([configured, real]) => [real, configured] as const)
    .filter(([real]) => real.length >= 6);
  const servers: Server[] = [];
  let counter = 0;
  const state: Upstreams = {
    env: { ...sandboxEnv, ...secrets },
    secrets,
    requests: [],
    respond: undefined,
    async close() {
      await Promise.all(
        servers.map(
          (s) =>
            new Promise<void>((resolve) => {
              s.close(() => resolve());
              s.closeAllConnections();
            }),
        ),
      );
    },
  };

  for (const [name, value] of Object.entries(sandboxEnv)) {
    if (!name.endsWith('_BASE_URL')) continue;
    const api = name.slice(0, -'_BASE_URL'.length);
    const target = new URL(value);
    const server = createServer((req: IncomingMessage, res: ServerResponse) => {
      void (async () => {
        const body = await readAll(req);
        const record: ProxiedRequest = {
          api,
          method: req.method ?? 'GET',
          target: req.url ?? '/',
          headers: headerRecord(req),
          body: body.toString('utf8'),
          requestId: `req-${api.toLowerCase()}-${++counter}`,
        };
        state.requests.push(record);
        const canned = state.respond?.(record);
        if (canned) {
          record.status = canned.status;
          res.writeHead(canned.status, {
            'content-type': 'application/json',
            ...canned.headers,
            'x-request-id': record.requestId,
          });
          res.end(canned.body);
          return;
        }
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(record.headers)) {
          if (k !== 'host' && k !== 'content-length') headers[k] = swapAll(v, up);
        }
        const upBody = Buffer.from(swapAll(record.body, up));
        if (body.length > 0) headers['content-length'] = String(upBody.length);
        const upstream = request(
          { host: target.hostname, port: target.port, method: record.method, path: record.target, headers },
          (answer) => {
            record.status = answer.statusCode ?? 502;
            const outHeaders: Record<string, string | string[]> = {};
            for (const [k, v] of Object.entries(answer.headers)) {
              if (
                v !== undefined &&
                k !== 'content-length' &&
                k !== 'transfer-encoding' &&
                k !== 'connection'
              ) {
                outHeaders[k] = v;
              }
            }
            outHeaders['x-request-id'] = record.requestId;
            const type = String(answer.headers['content-type'] ?? '');
            if (type.includes('text/event-stream')) {
              res.writeHead(record.status, outHeaders);
              answer.pipe(res);
              return;
            }
            void readAll(answer).then((raw) => {
              const text = Buffer.from(swapAll(raw.toString('utf8'), down));
              res.writeHead(record.status ?? 502, { ...outHeaders, 'content-length': String(text.length) });
              res.end(text);
            });
          },
        );
        upstream.on('error', () => res.destroy());
        res.on('close', () => upstream.destroy());
        upstream.end(upBody.length > 0 ? upBody : undefined);
      })().catch(() => res.destroy());
    });
    servers.push(server);
    const port = await listen(server);
    state.env[name] = `http://127.0.0.1:${port}${target.pathname.replace(/\/$/, '')}`;
  }
  return state;
}
