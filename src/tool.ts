import type { InputRequiredSpec } from '@modelcontextprotocol/server';
import type { z } from 'zod';
import type { ApiViews } from './call-view.js';
import type { ServiceName } from './errors.js';
import type { Logger } from './log.js';
import type { ProgressText } from './progress-text.js';

/** The four MCP tool hints, all required: a meta-test checks every tool states them. */
export interface ToolAnnotations {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

/** One progress report: a short human-readable message. */
export interface ProgressUpdate {
  /**
   * A client may show it to the model, so upstream text never goes in a plain string: a string is syn-mcp's
   * own words (and numbers it counted); a message naming upstream values is a ProgressText
   * (progress-text.ts), whose values the boundary quotes only when identifier-shaped and fences otherwise.
   */
  message: string | ProgressText;
  /** Monotonic counter; defaults to one more than the last report. */
  progress?: number;
  total?: number;
}

/**
 * Human input, the seam for confirmations and Synapse human steps (issue 18). The SDK carries it in both
 * eras: on 2026-07-28 a tools/call may answer `input_required` (inputRequests and/or a requestState) and
 * the client retries the same call with `inputResponses` and the echoed state; on a 2025 connection that
 * can be asked (stdio, stateful HTTP) the SDK's legacy shim turns the same round into a server-initiated
 * `elicitation/create` and re-enters the call with the answer. So a handler (or the boundary, before the
 * handler) is written once:
 * - first entry: `ctx.input.canElicit` true → `return ctx.ask({ inputRequests: { confirm:
 *   inputRequired.elicit({ message, requestedSchema }) }, requestState })` (nothing sent upstream yet);
 * - re-entry: `ctx.input.responses` holds the answers by key (untrusted: validate with the SDK's
 *   `acceptedContent(responses, key, schema)`), `ctx.input.state` the state after verification.
 * Without `canElicit` nothing can be asked: keep the behaviour without confirmation.
 * The boundary's own confirmations and Synapse human steps (src/confirm) ask a 2025 connection through
 * `elicit` instead of the shim, so that a form left unanswered (timeout) or answered off-schema is told as
 * "not confirmed; nothing was changed" in syn-mcp's words, and 2026-07-28 requests through rounds whose
 * state is sealed by src/confirm/state.ts (`state` is then the raw echoed string, opened there).
 */
export interface ToolInput {
  /** The client's answers to the previous round, by the keys the server gave them; untrusted. */
  readonly responses: Readonly<Record<string, unknown>> | undefined;
  /**
   * The echoed requestState of the previous round: what ServerOptions.verifyState returned for it (sealed
   * state, checked), else the raw string (attacker-controlled); undefined on a first round.
   */
  readonly state: unknown;
  /** True when the client declared form elicitation on this request and can be asked on this transport. */
  readonly canElicit: boolean;
  /**
   * On a 2025 connection that can be asked (stdio, a stateful HTTP session): sends one form elicitation now
   * and resolves to the client's answer (rejects on timeout, cancellation or a malformed answer). Absent on
   * 2026-07-28 requests, which are asked through input_required rounds instead.
   */
  readonly elicit?:
    | ((
        params: { mode: 'form'; message: string; requestedSchema: object },
        opts: { timeoutMs: number; signal: AbortSignal },
      ) => Promise<{ action: string; content?: unknown }>)
    | undefined;
}

/** Thrown by ToolContext.ask: the boundary answers the call with this input-required round. */
export class InputRound extends Error {
  constructor(readonly round: InputRequiredSpec) {
    super('input required');
  }
}

/** What a handler receives besides its arguments. */
export interface ToolContext {
  /**
   * The API views of this call (src/call-view.ts): `ctx.api.<service>.get/post/request/stream(...)` send
   * with the call's cancellation, deadline, correlation id and audit trace already attached; touching an
   * API that is not configured throws NotConfiguredError naming the variable to set (`ctx.api.configured(s)`
   * asks first). `ctx.api.synqly` also picks Synqly's token (`management`, `connector`: src/credentials/synqly).
   */
  api: ApiViews;
  /**
   * Aborted when the MCP client cancels the call. Requests carry it already; a handler uses it for what is
   * not a request (waits, polling), or passes a signal of its own that follows it to narrow one request.
   */
  signal: AbortSignal;
  /** Absolute deadline (epoch ms) for the whole call; requests carry it already (see `signal`). */
  deadline: number;
  /** Reports progress when the client asked for it (sent a progressToken); a no-op otherwise. */
  progress(update: ProgressUpdate): Promise<void>;
  /** True when the client sent a progressToken (streaming endpoints are worth using). */
  wantsProgress: boolean;
  log: Logger;
  /**
   * Registers a new secret the API just issued (rotated key, minted token): it is redacted from every log
   * and every later result, and shown only in this call's result when `showOnce` is true.
   */
  secret(value: string, opts: { showOnce: boolean }): void;
  /** Provider keys by env var name, from SYN_MCP_BYOK_ENV_ALLOWLIST (never from the model). */
  byokKeys: Readonly<Record<string, string>>;
  /** The human input this request carries (see ToolInput). */
  input: ToolInput;
  /** Ends this call with an input-required round asking the user (see ToolInput); only when canElicit. */
  ask(round: InputRequiredSpec): never;
}

/** The object schema of a tool's arguments. */
export type InputSchema = z.ZodObject;
/** The object schema of a tool's structured result. */
export type OutputSchema = z.ZodObject;

/** A tool as declared in `tools/<service>/<tool>.ts`. */
export interface ToolDef<I extends InputSchema = InputSchema, O extends OutputSchema = OutputSchema> {
  /** snake_case verb_noun, `^[a-z0-9_]{1,48}$`. */
  name: string;
  /** Names the service: "SyncGuard · Send event". */
  title: string;
  /** What it does, when to use it, which tool supplies its ids, what it returns. Under 1024 characters. */
  description: string;
  annotations: ToolAnnotations;
  /** The APIs the handler calls; the tool is offered only when one of them is configured. */
  services: readonly ServiceName[];
  input: I;
  output: O;
  /** The tool(s) that list the ids this tool takes, one per kind of id; named in 404 messages. */
  listTool?: string | readonly string[];
  /**
   * A credential of its API that the tool cannot work without, beyond the one every call uses (SyncGuard's
   * optional JWT): the tool is offered only when it is configured.
   */
  needs?: string;
  handler(args: z.output<I>, ctx: ToolContext): Promise<z.input<O>>;
}

/** A tool of any schema, as the registry holds it. */
// biome-ignore lint/suspicious/noExplicitAny: the registry erases each tool's own argument and result types.
export type AnyToolDef = ToolDef<any, any>;

/** Declares a tool; the identity function that gives the handler its typed arguments and result. */
export function defineTool<I extends InputSchema, O extends OutputSchema>(def: ToolDef<I, O>): ToolDef<I, O> {
  return def;
}

/** A toolset as declared in `tools/<service>/index.ts`. */
export interface ToolsetDef {
  /** `<api>`, `<api>_write` or `<api>_admin`. */
  name: string;
  service: ServiceName;
  description: string;
  /** On when the API is configured and no `--toolsets` says otherwise. */
  default: boolean;
  tools: readonly AnyToolDef[];
}

export type { ApiViews } from './call-view.js';
export { conform } from './conform.js';
