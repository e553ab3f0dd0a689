/**
 * The confirmation gate in front of a tool call: decides, before anything is sent upstream, whether the call
 * goes ahead, is refused as not confirmed, or first asks the user. Protocol-neutral: the server says how the
 * user can be reached on this request (a 2025 session's server-to-client elicitation, or a 2026 round of
 * `input_required` with sealed state) and turns the outcome into its own answer.
 */
import { type ElicitAnswer, judge, notConfirmedResult } from './answer.js';
import { type ConfirmMode, needsConfirmation } from './policy.js';
import type { StateSealer } from './state.js';
import { type ConfirmableTool, type Confirmation, confirmationFor, type FormSchema } from './wording.js';

/** The key of the confirmation in `inputRequests` / `inputResponses`. */
export const CONFIRM_INPUT = 'confirm';
/** The kind of round sealed in a confirmation's request state. */
export const CONFIRM_KIND = 'confirm';

/** A form elicitation's parameters. */
export interface FormElicitation {
  mode: 'form';
  message: string;
  requestedSchema: FormSchema;
}

/** How the user can be reached on this request. */
export type Reach =
  /** The client cannot show a form (or confirmation is off): the call keeps today's behaviour. */
  | { kind: 'none' }
  /**
   * A 2025 session whose client declared form elicitation: ask now and wait. `ask` resolves to the answer,
   * or rejects when none came back (timeout, closed session, a malformed answer).
   */
  | {
      kind: 'push';
      ask(params: { mode: 'form'; message: string; requestedSchema: object }): Promise<ElicitAnswer>;
    }
  /**
   * A 2026-07-28 request whose own capabilities declare form elicitation: answer `input_required`; the
   * client retries with `inputResponses` and the echoed `requestState`.
   */
  | {
      kind: 'rounds';
      requestState: string | undefined;
      inputResponses: Readonly<Record<string, unknown>> | undefined;
    };

/** What the gate decided. */
export type GateOutcome =
  | { kind: 'proceed' }
  | { kind: 'refused'; result: ReturnType<typeof notConfirmedResult> }
  | { kind: 'ask'; inputRequests: Record<string, FormElicitation>; requestState: string };

/** One call at the gate. */
export interface GateCall {
  tool: ConfirmableTool;
  /** The validated arguments: what would be sent. */
  args: Readonly<Record<string, unknown>>;
  /** The caller ('' on stdio or with one shared HTTP token). */
  principal: string;
}

function elicitationOf(c: Confirmation): FormElicitation {
  return { mode: 'form', message: c.message, requestedSchema: c.requestedSchema };
}

/** A bare elicitation result among `inputResponses` (anything else reads as no answer). */
function answerIn(responses: Readonly<Record<string, unknown>> | undefined): ElicitAnswer | undefined {
  const entry = responses?.[CONFIRM_INPUT];
  if (entry === null || typeof entry !== 'object') return undefined;
  const action = (entry as { action?: unknown }).action;
  if (typeof action !== 'string') return undefined;
  return { action, content: (entry as { content?: unknown }).content };
}

/**
 * Runs the gate. Rejects with a StateError (answered -32602, nothing done) for a `requestState` that is
 * malformed, tampered, for another call, expired or already used.
 */
export async function confirmGate(
  call: GateCall,
  opts: { mode: ConfirmMode; sealer: StateSealer; reach: Reach },
): Promise<GateOutcome> {
  const { reach } = opts;
  if (reach.kind === 'none' || !needsConfirmation(opts.mode, call.tool.annotations))
    return { kind: 'proceed' };
  const confirmation = confirmationFor(call.tool, call.args);
  const binding = { kind: CONFIRM_KIND, tool: call.tool.name, args: call.args, principal: call.principal };

  if (reach.kind === 'push') {
    let answer: ElicitAnswer | undefined;
    try {
      answer = await reach.ask(elicitationOf(confirmation));
    } catch {
      answer = undefined;
    }
    const verdict = judge(confirmation, answer);
    return verdict.confirmed
      ? { kind: 'proceed' }
      : { kind: 'refused', result: notConfirmedResult(call.tool, verdict.reason) };
  }

  // Rounds: an answer counts only beside the state this server sealed for this very call.
  if (reach.requestState !== undefined) {
    await opts.sealer.open(reach.requestState, binding);
    const answer = answerIn(reach.inputResponses);
    if (answer !== undefined) {
      const verdict = judge(confirmation, answer);
      return verdict.confirmed
        ? { kind: 'proceed' }
        : { kind: 'refused', result: notConfirmedResult(call.tool, verdict.reason) };
    }
  }
  return {
    kind: 'ask',
    inputRequests: { [CONFIRM_INPUT]: elicitationOf(confirmation) },
    requestState: opts.sealer.seal(binding),
  };
}
