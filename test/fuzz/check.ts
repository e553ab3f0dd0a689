/**
 * The fuzz oracle and its bookkeeping: a tools/call answer is either a valid result (structured content, valid
 * against the tool's outputSchema as the SDK Client checks, and a text block) or an isError result with one
 * short text — never a JSON-RPC error for object arguments, never an "internal error" of the boundary, never a
 * hang. Arguments that are not an object may get -32602 Invalid params, and nothing else; over stdio, a
 * request line longer than the transport's cap gets -32600 (and only such a line).
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { type CallToolResult, ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import fc from 'fast-check';
import type { Budget, FuzzCase, Schema } from './arbitraries.js';
import { familiesOf } from './arbitraries.js';

/** Longest a single fuzzed call may take before it counts as a hang (ms). */
export const CALL_TIMEOUT_MS = 15_000;

/** What a call produced, as counted in the report. */
export type Outcome = 'ok' | 'isError' | 'invalidParams' | 'tooLarge';

/** Cases run and outcomes seen, per family. */
export class Tally {
  readonly cases = new Map<string, number>();
  readonly outcomes = new Map<Outcome, number>();
  total = 0;

  add(family: FuzzCase['family'], outcome: Outcome): void {
    this.total++;
    this.cases.set(family, (this.cases.get(family) ?? 0) + 1);
    this.outcomes.set(outcome, (this.outcomes.get(outcome) ?? 0) + 1);
  }

  /** One line for the test output. */
  summary(label: string, tools: number): string {
    const fmt = (m: Map<string, number>) => [...m].map(([k, v]) => `${k} ${v}`).join(', ');
    return `fuzz ${label}: ${this.total} cases over ${tools} tools (${fmt(this.cases)}; outcomes: ${fmt(this.outcomes)})`;
  }
}

function isPlainObject(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describeArgs(args: unknown): string {
  const text = JSON.stringify(args) ?? String(args);
  return text.length > 300 ? `${text.slice(0, 300)}… (${text.length} chars)` : text;
}

/**
 * Checks one answer; returns its outcome or throws an Error that says what is wrong and with which arguments
 * (fast-check then shrinks the arguments and reports the seed).
 */
export function judge(
  tool: string,
  fuzzCase: FuzzCase,
  answer: { result?: unknown; error?: unknown },
  lineCap = Number.POSITIVE_INFINITY,
): Outcome {
  const where = `${tool} (${fuzzCase.family}) with ${describeArgs(fuzzCase.args)}`;
  if (answer.error !== undefined) {
    const err = answer.error;
    if (err instanceof McpError && err.code === ErrorCode.InvalidRequest && /capped at/.test(err.message)) {
      const line = {
        method: 'tools/call',
        params: { name: tool, arguments: fuzzCase.args },
        jsonrpc: '2.0',
        id: 0,
      };
      const bytes = Buffer.byteLength(JSON.stringify(line));
      if (bytes + 16 > lineCap) return 'tooLarge';
      throw new Error(`${where}: a ${bytes}-byte request was refused as too large (cap ${lineCap})`);
    }
    if (
      !isPlainObject(fuzzCase.args) &&
      err instanceof McpError &&
      err.code === ErrorCode.InvalidParams &&
      /Invalid params for tools\/call/.test(err.message)
    ) {
      return 'invalidParams';
    }
    const detail = err instanceof McpError ? `JSON-RPC ${err.code}: ${err.message}` : String(err);
    throw new Error(`${where}: expected a result, got ${detail.slice(0, 500)}`);
  }
  const result = answer.result as CallToolResult;
  if (!isPlainObject(fuzzCase.args)) {
    throw new Error(`${where}: arguments that are not an object were accepted as a call`);
  }
  const first = result.content?.[0];
  if (first?.type !== 'text' || first.text.trim() === '') {
    throw new Error(`${where}: the result has no text block: ${describeArgs(result)}`);
  }
  if (result.isError === true) {
    if (result.structuredContent !== undefined)
      throw new Error(`${where}: an error carries structuredContent`);
    if (/Internal error in syn-mcp/.test(first.text)) {
      throw new Error(`${where}: the tool failed unexpectedly (internal error): ${first.text}`);
    }
    return 'isError';
  }
  if (!isPlainObject(result.structuredContent))
    throw new Error(`${where}: a success without structuredContent`);
  return 'ok';
}

/** Sends one fuzz case through a real SDK Client (which also checks structured results against outputSchema). */
export async function callCase(
  client: Client,
  tool: string,
  args: unknown,
): Promise<{ result?: unknown; error?: unknown }> {
  try {
    const result = await client.callTool(
      { name: tool, arguments: args as Record<string, unknown> },
      undefined,
      { timeout: CALL_TIMEOUT_MS },
    );
    return { result };
  } catch (error) {
    return { error };
  }
}

/** Fuzzes one tool family by family through `client`; every case is judged and tallied. */
export async function fuzzTool(
  client: Client,
  tool: { name: string; inputSchema: Schema },
  budget: Budget,
  tally: Tally,
  lineCap = Number.POSITIVE_INFINITY,
): Promise<void> {
  for (const [family, arbitrary, key] of familiesOf(tool.inputSchema)) {
    if (budget[key] === 0) continue;
    await fc.assert(
      fc.asyncProperty(arbitrary, async (args) => {
        const fuzzCase: FuzzCase = { family, args };
        tally.add(family, judge(tool.name, fuzzCase, await callCase(client, tool.name, args), lineCap));
      }),
      { numRuns: budget[key], endOnFailure: true },
    );
  }
  // The server still serves after this tool's cases.
  await client.ping({ timeout: CALL_TIMEOUT_MS });
}
