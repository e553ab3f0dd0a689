/**
 * Hostile upstreams (issue 17 part 3): a 3xx from an API — the usual http→https redirect of a proxy — is an
 * error naming the base URL variable to fix and where the redirect pointed, for a read and a write of every
 * API, through its emulator and a real SDK Client. The redirect is never followed: a trap server at the
 * Location counts every request it gets, and must get none. Before the fix a 301/307 with an empty body read
 * as success (`resolved: true`, `deleted: true`).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Env } from '../../src/config.js';
import { RedirectError } from '../../src/errors.js';
import { HttpClient } from '../../src/http/client.js';
import type { FaultRule } from '../../src/sandbox/common/faults.js';
import type { RecordedRequest } from '../../src/sandbox/common/server.js';
import { createSynapEmulator } from '../../src/sandbox/synap/index.js';
import { createSynapseEmulator } from '../../src/sandbox/synapse/index.js';
import { createSyncGuardEmulator } from '../../src/sandbox/syncguard/index.js';
import { createSynchronexEmulator } from '../../src/sandbox/synchronex/index.js';
import { createSynqlyEmulator } from '../../src/sandbox/synqly/index.js';
import { connectInProcess, type InProcess, textOf } from '../helpers/in-process.js';

interface Emulator {
  listen(): Promise<string>;
  close(): Promise<void>;
  readonly requests: RecordedRequest[];
  inject(rule: FaultRule): void;
  clearFaults(): void;
}

interface Call {
  tool: string;
  args: Record<string, unknown>;
  method: string;
  path: RegExp;
}

interface Api {
  name: string;
  baseEnv: string;
  create(): Emulator & Record<string, unknown>;
  env(e: Record<string, unknown>, url: string): Env;
  secret(e: Record<string, unknown>): string;
  calls: Call[];
}

const APIS: Api[] = [
  {
    name: 'SyncGuard',
    baseEnv: 'SYNCGUARD_BASE_URL',
    create: () => createSyncGuardEmulator() as unknown as Emulator & Record<string, unknown>,
    env: (e, url) => ({ SYNCGUARD_API_KEY: String(e.apiKey), SYNCGUARD_BASE_URL: url }),
    secret: (e) => String(e.apiKey),
    calls: [
      { tool: 'list_incidents', args: {}, method: 'GET', path: /\/incidents$/ },
      {
        tool: 'resolve_incident',
        args: { id: 'inc_redirected' },
        method: 'POST',
        path: /\/incidents\/inc_redirected\/resolve$/,
      },
    ],
  },
  {
    name: 'Synapse',
    baseEnv: 'SYNAPSE_BASE_URL',
    create: () => createSynapseEmulator() as unknown as Emulator & Record<string, unknown>,
    env: (e, url) => ({ SYNAPSE_API_KEY: String(e.apiKey), SYNAPSE_BASE_URL: url }),
    secret: (e) => String(e.apiKey),
    calls: [
      { tool: 'list_agents', args: {}, method: 'GET', path: /\/agents$/ },
      { tool: 'chat', args: { message: 'hello' }, method: 'POST', path: /\/chat(\/stream)?$/ },
    ],
  },
  {
    name: 'Synqly',
    baseEnv: 'SYNQLY_BASE_URL',
    create: () => createSynqlyEmulator() as unknown as Emulator & Record<string, unknown>,
    env: (e, url) => ({
      SYNQLY_ORG_TOKEN: String(e.orgToken),
      SYNQLY_INTEGRATION_TOKEN: String(e.integrationToken),
      SYNQLY_BASE_URL: url,
    }),
    secret: (e) => String(e.orgToken),
    calls: [
      { tool: 'list_accounts', args: {}, method: 'GET', path: /\/v1\/accounts$/ },
      {
        tool: 'delete_account',
        args: { accountId: 'acc_redirected' },
        method: 'DELETE',
        path: /\/v1\/accounts\/acc_redirected$/,
      },
    ],
  },
  {
    name: 'Synap',
    baseEnv: 'SYNAP_BASE_URL',
    create: () => createSynapEmulator() as unknown as Emulator & Record<string, unknown>,
    env: (e, url) => ({ SYNAP_API_KEY: String(e.apiKey), SYNAP_BASE_URL: url }),
    secret: (e) => String(e.apiKey),
    calls: [
      {
        tool: 'fetch_context',
        args: { scope: 'client', search_query: ['deploy'] },
        method: 'POST',
        path: /\/context\/client\/fetch$/,
      },
      {
        tool: 'delete_memory',
        args: { memory_id: 'mem_redirected' },
        method: 'DELETE',
        path: /\/memories\/mem_redirected$/,
      },
    ],
  },
  {
    name: 'Synchronex',
    baseEnv: 'SYNCHRONEX_BASE_URL',
    create: () => createSynchronexEmulator() as unknown as Emulator & Record<string, unknown>,
    env: (e, url) => ({ SYNCHRONEX_API_KEY: String(e.apiKey), SYNCHRONEX_BASE_URL: url }),
    secret: (e) => String(e.apiKey),
    calls: [
      { tool: 'get_identity_kernel', args: {}, method: 'GET', path: /\/memory\/identity$/ },
      {
        tool: 'create_decision',
        args: { decision: 'use postgres', product_name: 'falcon' },
        method: 'POST',
        path: /\/memory\/decisions$/,
      },
    ],
  },
];

/** The address redirects point at: it must never be asked anything. */
let trap: Server;
let trapUrl = '';
const trapped: string[] = [];

beforeAll(async () => {
  trap = createServer((req, res) => {
    trapped.push(`${req.method} ${req.url}`);
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"resolved":true,"deleted":true}');
  });
  await new Promise<void>((resolve) => trap.listen(0, '127.0.0.1', resolve));
  trapUrl = `http://127.0.0.1:${(trap.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => trap.close(() => resolve()));
});

for (const api of APIS) {
  describe(`redirects: ${api.name}`, () => {
    let emulator: Emulator & Record<string, unknown>;
    let mcp: InProcess;
    beforeAll(async () => {
      emulator = api.create();
      const url = await emulator.listen();
      mcp = await connectInProcess(api.env(emulator, url), ['--toolsets', 'all']);
    });
    afterAll(async () => {
      await mcp.close();
      await emulator.close();
    });

    const cases = api.calls.flatMap((call) =>
      ([301, 307] as const).map((status) => ({ call, status, label: `${call.tool} under ${status}` })),
    );

    it.each(cases)(
      '$label: an error naming the base URL variable, not followed',
      async ({ call, status }) => {
        emulator.clearFaults();
        emulator.requests.length = 0;
        trapped.length = 0;
        const secret = api.secret(emulator);
        // The Location carries a token in its query, as some gateways do: it is never shown.
        const location = `${trapUrl}/moved/here?token=${secret}&sig=abc`;
        emulator.inject({
          fault: { kind: 'redirect', status, location },
          method: call.method,
          path: call.path,
          times: Number.POSITIVE_INFINITY,
        });
        const result = await mcp.call(call.tool, call.args);
        emulator.clearFaults();
        const text = textOf(result);
        expect(result.isError, text).toBe(true);
        expect(result.structuredContent).toBeUndefined();
        expect(text).toContain(`HTTP ${status}`);
        expect(text).toMatch(new RegExp(`set ${api.baseEnv} to`));
        expect(text).toContain('the request was not carried out');
        // Where it pointed, inside the fence (it came from the upstream), without its query.
        const fenced = /<(untrusted-data-[0-9a-f]{16})>\n([\s\S]*)\n<\/\1>$/.exec(text);
        expect(fenced?.[2]).toContain(`location: ${trapUrl}/moved/here`);
        expect(text).not.toContain(secret);
        expect(text).not.toContain('sig=abc');
        // Never followed, and not retried as if it were a failure.
        expect(trapped).toEqual([]);
        expect(emulator.requests.filter((r) => call.path.test(r.path))).toHaveLength(1);
      },
    );
  });
}

describe('redirects: an event stream', () => {
  it('a 307 where an SSE stream was expected is a RedirectError too, its body never read as events', async () => {
    const emulator = createSynapseEmulator();
    const url = await emulator.listen();
    const http = new HttpClient();
    try {
      const view = http.view({
        service: 'synapse',
        baseUrl: url,
        defaultCredential: 'apiKey',
        missingEnv: 'SYNAPSE_API_KEY',
        credentials: {
          apiKey: {
            env: 'SYNAPSE_API_KEY',
            header: 'Authorization',
            scheme: 'bearer',
            secret: emulator.apiKey,
          },
        },
      });
      trapped.length = 0;
      emulator.inject({
        fault: { kind: 'redirect', status: 307, location: `${trapUrl}/stream` },
        path: /\/chat\/stream$/,
      });
      const err = await view
        .stream({ method: 'POST', path: '/chat/stream', body: { message: 'hi' } })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RedirectError);
      expect(err).toMatchObject({
        status: 307,
        baseUrlEnv: 'SYNAPSE_BASE_URL',
        location: `${trapUrl}/stream`,
      });
      expect(trapped).toEqual([]);
    } finally {
      await http.close();
      await emulator.close();
    }
  });
});
