import type { z } from 'zod';
import type { ServiceName } from './errors.js';
import type { ApiView } from './http/client.js';
import type { Logger } from './log.js';

/** The four MCP tool hints, all required: a meta-test checks every tool states them. */
export interface ToolAnnotations {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

/** The per-API views a handler calls; only configured services are present (others throw on access). */
export type ApiViews = Readonly<Record<ServiceName, ApiView>>;

/** One progress report: a short human-readable message. */
export interface ProgressUpdate {
  message: string;
  /** Monotonic counter; defaults to one more than the last report. */
  progress?: number;
  total?: number;
}

/** What a handler receives besides its arguments. */
export interface ToolContext {
  api: ApiViews;
  /** Aborted when the MCP client cancels the call; pass it to every request. */
  signal: AbortSignal;
  /** Absolute deadline (epoch ms) for the whole call. */
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
   * The result carries third-party text (memories, agent output, tickets, event payloads): its text is
   * delivered inside a per-call nonce fence labelled as data, invisible characters stripped.
   */
  untrusted?: boolean;
  /**
   * A credential of its API that the tool cannot work without, beyond the one every call uses (SyncGuard's
   * optional JWT): the tool is offered only when it is configured. A name, not a check, so that the bin's
   * fast start can tell the selection from the configuration alone.
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

export { conform } from './conform.js';
