/**
 * The fault matrix (issue 8 item 3), shared by test/faults/matrix.test.ts (faults answered at once, waits
 * skipped by a jumping clock) and test/faults/slow-upstream.test.ts (soak: faults only real time ends). For
 * every API, through its emulator and a real SDK Client, one read (GET) and one write (POST) under each
 * upstream fault. Every call ends with a result or an actionable isError result (never an internal error),
 * within its deadline (the call itself is bounded: a hang fails the test by its timeout), and a POST that
 * reached the upstream is never sent twice.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Env } from '../../src/config.js';
import type { ClientDeps } from '../../src/http/client.js';
import type { Fault, FaultRule } from '../../src/sandbox/common/faults.js';
import type { RecordedRequest } from '../../src/sandbox/common/server.js';
import { createSynapEmulator } from '../../src/sandbox/synap/index.js';
import { createSynapseEmulator } from '../../src/sandbox/synapse/index.js';
import { createSyncGuardEmulator } from '../../src/sandbox/syncguard/index.js';
import { createSynchronexEmulator } from '../../src/sandbox/synchronex/index.js';
import { createSynqlyEmulator } from '../../src/sandbox/synqly/index.js';
import { TOOLSETS } from '../../tools/index.js';
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
  method: 'GET' | 'POST';
  path: RegExp;
  /** Runs agents: its attempt may take minutes, so a slow upstream is waited for, not cut at 30 s. */
  longRunning?: boolean;
}

interface Api {
  name: string;
  create(): Emulator & Record<string, unknown>;
  env(e: Record<string, unknown>, url: string): Env;
  read: Call;
  write: Call;
}

const APIS: Api[] = [
  {
    name: 'SyncGuard',
    create: () => createSyncGuardEmulator() as unknown as Emulator & Record<string, unknown>,
    env: (e, url) => ({ SYNCGUARD_API_KEY: String(e.apiKey), SYNCGUARD_BASE_URL: url }),
    read: { tool: 'list_incidents', args: {}, method: 'GET', path: /\/incidents$/ },
    write: {
      tool: 'send_event',
      args: { integrationKey: 'crm', eventType: 'auth_failed', tenantId: 'acme' },
      method: 'POST',
      path: /\/events$/,
    },
  },
  {
    name: 'Synapse',
    create: () => createSynapseEmulator() as unknown as Emulator & Record<string, unknown>,
    env: (e, url) => ({ SYNAPSE_API_KEY: String(e.apiKey), SYNAPSE_BASE_URL: url }),
    read: { tool: 'list_agents', args: {}, method: 'GET', path: /\/agents$/ },
    write: { tool: 'chat', args: { message: 'hello' }, method: 'POST', path: /\/chat$/, longRunning: true },
  },
  {
    name: 'Synqly',
    create: () => createSynqlyEmulator() as unknown as Emulator & Record<string, unknown>,
    env: (e, url) => ({
      SYNQLY_ORG_TOKEN: String(e.orgToken),
      SYNQLY_INTEGRATION_TOKEN: String(e.integrationToken),
      SYNQLY_BASE_URL: url,
    }),
    read: { tool: 'list_accounts', args: {}, method: 'GET', path: /\/v1\/accounts$/ },
    write: { tool: 'create_account', args: { name: 'faults' }, method: 'POST', path: /\/v1\/accounts$/ },
  },
  {
    name: 'Synap',
    create: () => createSynapEmulator() as unknown as Emulator & Record<string, unknown>,
    env: (e, url) => ({ SYNAP_API_KEY: String(e.apiKey), SYNAP_BASE_URL: url }),
    read: {
      // Context fetch is a POST that only reads (api-notes §4): retried like a GET.
      tool: 'fetch_context',
      args: { scope: 'client', search_query: ['deploy'] },
      method: 'POST',
      path: /\/context\/client\/fetch$/,
    },
    write: {
      tool: 'add_memory',
      args: { document: 'a fact', user_id: 'u1', customer_id: 'c1' },
      method: 'POST',
      path: /\/memories\/create$/,
    },
  },
  {
    name: 'Synchronex',
    create: () => createSynchronexEmulator() as unknown as Emulator & Record<string, unknown>,
    env: (e, url) => ({ SYNCHRONEX_API_KEY: String(e.apiKey), SYNCHRONEX_BASE_URL: url }),
    read: { tool: 'get_identity_kernel', args: {}, method: 'GET', path: /\/memory\/identity$/ },
    write: {
      tool: 'create_decision',
      args: { decision: 'use postgres', product_name: 'falcon' },
      method: 'POST',
      path: /\/memory\/decisions$/,
    },
  },
];

/** Short timeouts so slow faults resolve quickly; a small body cap so "oversized" is cheap. */
const POLICY = { attemptTimeoutMs: 400, callDeadlineMs: 3_000, maxResponseBytes: 64 * 1024 };

/** Each fault, what the model must be told, and whether a read recovers when the fault happens once. */
/** One upstream fault and what a call under it must end with. */
export interface FaultCase {
  name: string;
  fault: Fault;
  times: number;
  /** What the model must be told. */
  text: RegExp;
  /** Whether a read recovers when the fault happens once. */
  readRecovers: boolean;
}

/** Faults answered at once: the client's only waits are its own backoff and Retry-After. */
export const PROMPT_FAULTS: FaultCase[] = [
  {
    name: '429 with Retry-After within the deadline',
    fault: { kind: 'status', status: 429, retryAfter: '1' },
    times: 1,
    text: /rate limit reached \(HTTP 429\).*Retry after 1 s/,
    readRecovers: true,
  },
  {
    name: '429 without Retry-After',
    fault: { kind: 'status', status: 429, body: { message: 'Too many requests' } },
    times: 1,
    text: /rate limit reached \(HTTP 429\)/,
    readRecovers: true,
  },
  {
    name: '429 with Retry-After past the deadline',
    fault: { kind: 'status', status: 429, retryAfter: '120' },
    times: 1,
    text: /rate limit reached \(HTTP 429\).*Retry after 120 s/,
    readRecovers: false,
  },
  {
    name: '500',
    fault: { kind: 'status', status: 500 },
    times: Number.POSITIVE_INFINITY,
    text: /unavailable \(HTTP 500\)/,
    readRecovers: false,
  },
  {
    name: '502',
    fault: { kind: 'status', status: 502 },
    times: Number.POSITIVE_INFINITY,
    text: /unavailable \(HTTP 502\)/,
    readRecovers: false,
  },
  {
    name: '503 once',
    fault: { kind: 'status', status: 503 },
    times: 1,
    text: /unavailable \(HTTP 503\)/,
    readRecovers: true,
  },
  {
    name: 'reset before answering',
    fault: { kind: 'reset' },
    times: 1,
    text: /could not be reached/,
    readRecovers: true,
  },
  {
    name: 'reset mid-body',
    fault: { kind: 'cut-body' },
    times: Number.POSITIVE_INFINITY,
    text: /could not be reached|cut off/,
    readRecovers: false,
  },
  {
    name: 'malformed JSON',
    fault: { kind: 'malformed' },
    times: Number.POSITIVE_INFINITY,
    text: /could not be read/,
    readRecovers: false,
  },
  {
    name: 'wrong content type',
    fault: { kind: 'wrong-content-type' },
    times: Number.POSITIVE_INFINITY,
    text: /could not be read.*HTML page/,
    readRecovers: false,
  },
  {
    name: 'oversized body',
    fault: { kind: 'oversized', bytes: 200_000 },
    times: Number.POSITIVE_INFINITY,
    text: /could not be read.*(too large|exceeds)/,
    readRecovers: false,
  },
];

/** Faults that hold the answer past the attempt timeout: only real time (the socket's timers) ends them. */
export const SLOW_FAULTS: FaultCase[] = [
  {
    name: 'slow headers',
    fault: { kind: 'delay', ms: 2_000 },
    times: Number.POSITIVE_INFINITY,
    text: /did not answer in time/,
    readRecovers: false,
  },
  {
    name: 'slow body',
    fault: { kind: 'slow-body', ms: 2_000 },
    times: Number.POSITIVE_INFINITY,
    text: /did not answer in time|did not arrive in time/,
    readRecovers: false,
  },
];

/**
 * The matrix: for every API, one read and one write under each of `faults`, through a real SDK Client in
 * process; `clock` replaces the client's time (test/helpers/clock.ts) or, absent, real time is used.
 */
export function faultMatrix(faults: FaultCase[], clock: Pick<ClientDeps, 'now' | 'sleep'> = {}): void {
  for (const api of APIS) {
    describe(`fault matrix: ${api.name}`, () => {
      let emulator: Emulator & Record<string, unknown>;
      let mcp: InProcess;
      beforeAll(async () => {
        emulator = api.create();
        const url = await emulator.listen();
        mcp = await connectInProcess(
          api.env(emulator, url),
          ['--toolsets', 'all'],
          POLICY,
          TOOLSETS,
          undefined,
          clock,
        );
      });
      afterAll(async () => {
        await mcp.close();
        await emulator.close();
      });

      const hits = (call: Call) =>
        emulator.requests.filter((r) => r.method === call.method && call.path.test(r.path)).length;

      async function under(fault: FaultCase, call: Call): Promise<{ result: CallToolResult; sent: number }> {
        emulator.clearFaults();
        emulator.requests.length = 0;
        emulator.inject({ fault: fault.fault, method: call.method, path: call.path, times: fault.times });
        const result = (await mcp.client.callTool({
          name: call.tool,
          arguments: call.args,
        })) as CallToolResult;
        emulator.clearFaults();
        return { result, sent: hits(call) };
      }

      it.each(faults)(
        'read under $name: a result or an actionable error, retried only when safe',
        async (fault) => {
          const { result, sent } = await under(fault, api.read);
          expect(textOf(result)).not.toMatch(/Internal error in syn-mcp/);
          if (fault.readRecovers) {
            expect(result.isError, textOf(result)).toBeFalsy();
            expect(sent).toBeGreaterThanOrEqual(2);
          } else {
            expect(result.isError).toBe(true);
            expect(textOf(result)).toMatch(fault.text);
            expect(textOf(result)).toMatch(/Retrying later is safe|Retry after/);
            expect(sent).toBeLessThanOrEqual(3);
          }
        },
      );

      it.each(faults)(
        'write under $name: an actionable error and the POST sent exactly once',
        async (fault) => {
          const { result, sent } = await under(fault, api.write);
          if (api.write.longRunning && (fault.fault.kind === 'delay' || fault.fault.kind === 'slow-body')) {
            // A slow answer to a long-running call is waited for and delivered, sent once.
            expect(sent).toBe(1);
            expect(textOf(result)).not.toMatch(/Internal error in syn-mcp/);
            return;
          }
          expect(result.isError, textOf(result)).toBe(true);
          expect(textOf(result)).toMatch(fault.text);
          expect(textOf(result)).not.toMatch(/Internal error in syn-mcp/);
          // A refused connection is the only failure where a POST may go again; none of these faults refuses.
          expect(sent).toBe(1);
          if (fault.fault.kind === 'status' && fault.fault.status === 429) {
            expect(textOf(result)).not.toMatch(/may have been applied/);
          } else {
            expect(textOf(result)).toMatch(/may (or may not )?have been applied|Retry after/);
          }
          if (fault.fault.kind === 'status' && fault.fault.retryAfter) {
            expect(result._meta).toEqual({ retryAfterSeconds: Number(fault.fault.retryAfter) });
          }
        },
      );
    });
  }
}
