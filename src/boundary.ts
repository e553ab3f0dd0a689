/**
 * The one error boundary of a tool call: `call` → `invoke` (an audit entry for a write) → `run` (arguments
 * normalised and validated, the user asked first when --confirm says so, the handler run with its context,
 * the result shaped by src/tool-result.ts). Every failure of a handler, the HTTP client or validation becomes
 * one isError result here, and nowhere else. A run paused for a person (src/confirm/human-steps.ts) is asked
 * and resumed here too.
 */
import {
  type CallToolResult,
  type ElicitRequestFormParams,
  type InputRequiredResult,
  inputRequired,
  ProtocolError,
  ProtocolErrorCode,
} from '@modelcontextprotocol/server';
import { redactArgs, upstreamTrace } from './audit.js';
import { DEFAULT_MAX_RESULT_CHARS, decodeBudgetCursor, isBudgetCursor } from './budget.js';
import type { CallScope } from './call-view.js';
import type { Catalog } from './catalog.js';
import { CONFIRM_INPUT, confirmGate, type Reach } from './confirm/gate.js';
import {
  firstHumanRound,
  type HumanStepsAdapter,
  humanStepsByAsking,
  nextHumanRound,
  type RoundOutcome,
} from './confirm/human-steps.js';
import { needsConfirmation } from './confirm/policy.js';
import { createStateSealer, DEFAULT_STATE_TTL_MS, StateError } from './confirm/state.js';
import { toToolResult } from './error-text.js';
import { CancelledError, SynError } from './errors.js';
import { newCorrelationId } from './http/correlation.js';
import { logToolFailure } from './log.js';
import { normaliseArgs } from './profiles.js';
import type { ServerOptions } from './server.js';
import { type AnyToolDef, InputRound, type ToolInput } from './tool.js';
import { type NotifyFn, toolContext } from './tool-context.js';
import { issuesOf, keptResult, toolResult } from './tool-result.js';

/** What a tools/call request brings besides its name and arguments. */
export interface CallExtra {
  signal: AbortSignal;
  progressToken?: string | number | undefined;
  notify?: NotifyFn;
  /** The human input this request carries (2026-07-28 input responses, verified state); none by default. */
  input?: ToolInput | undefined;
  /** Who calls: an HTTP principal's name; '' on stdio or with one shared token (the default). */
  principal?: string | undefined;
}

/** Runs one tool call through the boundary: a tool result, or an input-required round. */
export type CallFn = (
  name: string,
  args: unknown,
  extra: CallExtra,
) => Promise<CallToolResult | InputRequiredResult>;

/** A request that carries no human input and whose client cannot be asked. */
const NO_INPUT: ToolInput = { responses: undefined, state: undefined, canElicit: false };

/** The boundary over the served tools (`byName`) and their published schemas (`catalog`). */
export function createBoundary(
  opts: ServerOptions,
  byName: ReadonlyMap<string, AnyToolDef>,
  catalog: Catalog,
): CallFn {
  const now = opts.now ?? Date.now;
  const maxChars = opts.maxResultChars ?? DEFAULT_MAX_RESULT_CHARS;
  const confirmMode = opts.confirm ?? 'destructive';
  const sealer = opts.sealer ?? createStateSealer();
  const askTimeoutMs = opts.askTimeoutMs ?? DEFAULT_STATE_TTL_MS;
  // A service's human steps apply when its resume tool is served too.
  const humanSteps = new Map<string, HumanStepsAdapter>();
  for (const adapter of opts.humanSteps ?? []) {
    if (!byName.has(adapter.resumeTool)) continue;
    for (const name of adapter.tools) humanSteps.set(name, adapter);
  }

  async function call(
    name: string,
    rawArgs: unknown,
    extra: CallExtra,
  ): Promise<CallToolResult | InputRequiredResult> {
    const tool = byName.get(name);
    if (!tool) throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Unknown tool: ${name}`);
    return invoke(tool, rawArgs, extra, false);
  }

  /** A call, audited when the tool can write; `confirmed` when the user has already answered for it. */
  async function invoke(
    tool: AnyToolDef,
    rawArgs: unknown,
    extra: CallExtra,
    confirmed: boolean,
  ): Promise<CallToolResult | InputRequiredResult> {
    const audit = opts.audit;
    if (!audit || tool.annotations.readOnlyHint) return run(tool, rawArgs, extra, undefined, confirmed);
    const started = now();
    const { trace, observe } = upstreamTrace();
    const result = await run(tool, rawArgs, extra, observe, confirmed);
    const asked = !('content' in result);
    // A round that asks the user before anything went upstream is audited with the call that follows it.
    if (asked && trace.status === undefined) return result;
    audit.write({
      ts: new Date(started).toISOString(),
      ...(opts.principal === undefined ? {} : { principal: opts.principal }),
      tool: tool.name,
      args: redactArgs(rawArgs ?? {}),
      outcome: asked ? 'input_required' : result.isError ? 'error' : 'ok',
      ...trace,
      durationMs: now() - started,
    });
    return result;
  }

  /**
   * The boundary: arguments normalised and validated, the handler run with its context, its result shaped;
   * any failure becomes one isError result. The user is brought in here too (src/confirm): a confirmation
   * before the handler runs (`--confirm`), and a run paused for a person asked with its form after it
   * returns. `observe` notes the upstream answers of an audited call; `confirmed`: the user has already
   * answered for this call (a run resumed with their answers).
   */
  async function run(
    tool: AnyToolDef,
    rawArgs: unknown,
    extra: CallExtra,
    observe: CallScope['observe'],
    confirmed: boolean,
  ): Promise<CallToolResult | InputRequiredResult> {
    const { name } = tool;
    const correlationId = newCorrelationId();
    try {
      // Arguments sent under any schema profile are brought back to the full schema first.
      const args = normaliseArgs(catalog.inputSchemas.get(name) ?? {}, rawArgs ?? {}) as Record<
        string,
        unknown
      >;
      // A cursor the result budget made resumes inside a page: unwrap it to the page's own cursor.
      const resume = isBudgetCursor(args.cursor) ? decodeBudgetCursor(name, args.cursor) : undefined;
      if (resume) {
        if (resume.page === undefined) delete args.cursor;
        else args.cursor = resume.page;
      }
      const parsed = tool.input.safeParse(args);
      if (!parsed.success) throw issuesOf(parsed.error);
      // The human in the loop, before anything is sent upstream (src/confirm).
      const reach = reachOf(extra);
      const binding = { tool: name, args: parsed.data, principal: opts.principal ?? extra.principal ?? '' };
      const human = humanSteps.get(name);
      if (human && reach.kind === 'rounds' && reach.requestState !== undefined) {
        const next = await continueHumanStep(human, reach, binding, extra);
        if (next) return answerOf(next);
      }
      if (!confirmed && reach.kind !== 'none' && needsConfirmation(confirmMode, tool.annotations)) {
        const gate = await confirmGate(
          { tool, args: parsed.data, principal: binding.principal },
          { mode: confirmMode, sealer, reach },
        );
        if (gate.kind === 'refused') return gate.result;
        if (gate.kind === 'ask') {
          const request = gate.inputRequests[CONFIRM_INPUT];
          if (!request) throw new Error('the confirmation gate asked nothing');
          return inputRequired({
            inputRequests: { [CONFIRM_INPUT]: inputRequired.elicit(request) },
            requestState: gate.requestState,
          });
        }
      }
      const scope = { signal: extra.signal, deadline: now() + opts.callDeadlineMs, correlationId, observe };
      const { ctx, shown } = toolContext(scope, {
        views: opts.api,
        log: opts.log,
        byokKeys: opts.byokKeys ?? {},
        input: extra.input ?? NO_INPUT,
        progressToken: extra.progressToken,
        notify: extra.notify,
      });
      const answer = toolResult(tool, await tool.handler(parsed.data, ctx), {
        maxChars,
        page: typeof args.cursor === 'string' ? args.cursor : undefined,
        offset: resume?.offset ?? 0,
        shown,
        log: opts.log,
        correlationId,
      });
      if (!human || reach.kind === 'none') return answer;
      // A run paused for a person: ask the user with the step's form, resume, repeat (src/confirm/human-steps.ts).
      if (reach.kind === 'push') {
        return await humanStepsByAsking(answer, {
          adapter: human,
          ask: (params) => reach.ask(params),
          resume: (resumeArgs) => resumeRun(human, resumeArgs, extra),
        });
      }
      return answerOf(firstHumanRound(answer, { adapter: human, sealer, binding }));
    } catch (err) {
      // A refused requestState is a protocol error (-32602): nothing was done.
      if (err instanceof StateError) throw new ProtocolError(ProtocolErrorCode.InvalidParams, err.message);
      if (err instanceof InputRound) return inputRequired(err.round);
      if (extra.signal.aborted) {
        opts.log.debug(`tool ${name}: cancelled`, { tool: name, correlationId });
        return toToolResult(new CancelledError());
      }
      logToolFailure(opts.log, name, err, correlationId);
      return toToolResult(err, { listTool: tool.listTool });
    }
  }

  /** How the user can be reached on this request (see Reach in src/confirm/gate.ts). */
  function reachOf(extra: CallExtra): Reach {
    const input = extra.input ?? NO_INPUT;
    if (!input.canElicit) return { kind: 'none' };
    const elicit = input.elicit;
    if (elicit) {
      return {
        kind: 'push',
        ask: (params) => elicit(params, { timeoutMs: askTimeoutMs, signal: extra.signal }),
      };
    }
    const requestState = typeof input.state === 'string' ? input.state : undefined;
    return { kind: 'rounds', requestState, inputResponses: input.responses };
  }

  /** Resumes a paused run with the user's answers: the user has answered, so no confirmation is asked. */
  async function resumeRun(
    adapter: HumanStepsAdapter,
    args: Record<string, unknown>,
    extra: CallExtra,
  ): Promise<CallToolResult> {
    const tool = byName.get(adapter.resumeTool);
    if (!tool) throw new SynError(`${adapter.resumeTool} is not served: the run cannot be resumed here.`);
    const result = await invoke(tool, args, { ...extra, input: NO_INPUT }, true);
    if (!('content' in result)) throw new SynError(`${adapter.resumeTool} asked for input while resuming.`);
    return result as CallToolResult;
  }

  /**
   * A 2026 retry that carries a human step's state: the run goes on from it (the tool is not run again).
   * Undefined when the state is not a human step's (a confirmation's, for the gate to open).
   */
  async function continueHumanStep(
    adapter: HumanStepsAdapter,
    reach: Extract<Reach, { kind: 'rounds' }>,
    binding: { tool: string; args: unknown; principal: string },
    extra: CallExtra,
  ): Promise<RoundOutcome<CallToolResult> | undefined> {
    const tool = byName.get(binding.tool);
    try {
      return await nextHumanRound(reach.requestState ?? '', reach.inputResponses, {
        adapter,
        sealer,
        binding,
        resume: (args) => resumeRun(adapter, args, extra),
        paused: (kept) => keptResult(tool, kept),
      });
    } catch (err) {
      if (err instanceof StateError && err.fault === 'mismatch') return undefined;
      throw err;
    }
  }

  return call;
}

/** A round's outcome as the call's answer. */
function answerOf(outcome: RoundOutcome<CallToolResult>): CallToolResult | InputRequiredResult {
  if (outcome.kind === 'result') return outcome.result;
  // The forms are flat objects of primitive fields (human-form.ts builds them to the elicitation schema).
  const inputRequests = Object.fromEntries(
    Object.entries(outcome.inputRequests).map(([key, request]) => [
      key,
      inputRequired.elicit(request as unknown as ElicitRequestFormParams),
    ]),
  );
  return inputRequired({ inputRequests, requestState: outcome.requestState });
}
