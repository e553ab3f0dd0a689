/**
 * How the Synapse tools tell failures that Synapse reports as data or words in a misleading way (api-notes
 * §2b/§2c): a model failure inside a 200 answer or a "completed" run, a run still going when the call ends,
 * no agents configured, a server still starting. Chat and runs word the same model failure alike.
 */
import { BadRequestError, ServerError, SynError } from '../../src/errors.js';
import { cutText, quotable, sentence } from './text.js';

/** A Synapse failure reported inside a 200 answer (stream `error`/`orchestration_error`, `Local Agent Error:`). */
export class SynapseReportedError extends SynError {
  override name = 'SynapseReportedError';
}

/** A stream that stopped before its `done` event: the outcome is unknown. */
export class SynapseStreamEndedError extends SynError {
  override name = 'SynapseStreamEndedError';
}

/** A sync call's time ran out while the run went on upstream (v1 can neither stop nor read a run). */
export class SynapseRunPendingError extends SynError {
  override name = 'SynapseRunPendingError';
}

/** A sync chat's time ran out before the agent answered; Synapse may still process the message. */
export class SynapseChatPendingError extends SynError {
  override name = 'SynapseChatPendingError';
}

/** The prefix of the answer Synapse sends with HTTP 200 when its local model server is down (§2b). */
export const LOCAL_AGENT_ERROR = 'Local Agent Error:';

/** True for an agent output that is really a model failure (`Local Agent Error: …`). */
export function isLocalAgentError(text: unknown): text is string {
  return typeof text === 'string' && text.trimStart().startsWith(LOCAL_AGENT_ERROR);
}

/** The words every model failure is told with, in chat and in runs alike. */
const MODEL_FAILED = "the agent's model call failed";
const NOT_THE_ANSWER =
  "This is an upstream failure, not the agent's answer; tell the user, and retry once the agent's model " +
  'server works again.';

/**
 * A chat turn whose model call failed: syn-mcp's words, and the model's error as upstream text, which the
 * error result fences as data (SynError's `upstream`, src/fence.ts).
 */
export function chatModelFailure(detail: string): SynapseReportedError {
  return new SynapseReportedError(
    `Synapse chat failed: ${MODEL_FAILED} (its error is below). ${NOT_THE_ANSWER}`,
    {
      text: sentence(detail),
      source: 'synapse',
    },
  );
}

/**
 * Synapse's catch-all chat failure (api-notes §2: 500 `An internal error occurred…`, also the stream's `error`):
 * nothing says the agent's model failed, or whether the agent acted on the message before it.
 */
export function chatInternalError(detail: string): SynapseReportedError {
  return new SynapseReportedError(
    'Synapse reported an internal error during the chat (its words are below), not an answer of the agent. ' +
      'The message was sent and may have been processed: sending it again is processed again. Tell the ' +
      'user, and ask before re-sending.',
    { text: sentence(detail), source: 'synapse' },
  );
}

const INTERNAL_ERROR = /internal error occurred/i;

/** A chat stream's `error` event: Synapse's generic internal error, else the agent's model failure. */
export function chatStreamError(message: string | undefined): SynapseReportedError {
  if (message !== undefined && INTERNAL_ERROR.test(message)) return chatInternalError(message);
  return chatModelFailure(message ?? 'the agent reported an error');
}

/** A run id from Synapse as syn-mcp names it: quoted only when it is id-shaped (text.ts `quotable`). */
export function runLabel(runId: string): string {
  if (runId === '') return '(run id unknown)';
  return quotable(runId) ?? '(its run id is not id-shaped, so not shown)';
}

/** A step of a run whose model call failed (`error` event or `Local Agent Error:` output). */
export interface StepModelFailure {
  stepId?: string | undefined;
  stepName?: string | undefined;
  error: string;
}

/** The human step a run paused at after a model failure: its id, question and field names, from Synapse. */
export interface PendingHumanStep {
  stepId?: string | undefined;
  prompt?: string | undefined;
  /** The names an answer can be keyed by (human-fields.ts `askableFields`). */
  fields: readonly string[];
  /** What is said of the fields left out of `fields` (`unshownFieldsNote`: syn-mcp's words, counts only). */
  unshown: string;
}

/** The pending question as fenced data: step id, prompt and field names, each cut. */
function pendingText(p: PendingHumanStep): string {
  const fields = p.fields.length > 0 ? ` (fields: ${p.fields.map((f) => cutText(f, 40)).join(', ')})` : '';
  const step = p.stepId ? `"${cutText(p.stepId, 80)}"` : '(step id not given)';
  return ` Paused at step ${step}, asking: ${sentence(p.prompt ?? 'no question given')}${fields}`;
}

/**
 * A run with a step whose model call failed: the run "completed" (or paused), but its result is not usable.
 * The step's name and id, the model's error and a pending question came from Synapse: they are fenced as data
 * in the error result. A run paused after the failure still waits on its question: the error says how to
 * resume it, and what resuming carries on with.
 */
export function runModelFailure(
  runId: string,
  failure: StepModelFailure,
  status?: string,
  pending?: PendingHumanStep,
): SynapseReportedError {
  const step =
    failure.stepName && failure.stepId && failure.stepName !== failure.stepId
      ? `step "${cutText(failure.stepName, 80)}" (${cutText(failure.stepId, 80)})`
      : failure.stepName || failure.stepId
        ? `step "${cutText(failure.stepName ?? failure.stepId ?? '', 80)}"`
        : 'a step';
  const ended = quotable(status) ? ` and ended "${status}"` : '';
  const waiting = pending
    ? ' The run is now paused waiting for human input (the step and its question are below): resuming it ' +
      `(resume_orchestration_run with ${quotable(runId) ? `run_id "${runId}"` : "the run's run_id"}) carries ` +
      `on with the error text as the failed step's output.${pending.unshown} Tell the user both, and resume only ` +
      'if they still want to, with their answers.'
    : '';
  return new SynapseReportedError(
    `Synapse orchestration run ${runLabel(runId)} failed at a step: ${MODEL_FAILED} (the step and ` +
      `its error are below). Synapse carried on${ended} with the error text as that step's output, so the run's ` +
      `result is not usable. ${NOT_THE_ANSWER}${waiting}`,
    {
      text: `${step}: ${sentence(failure.error)}${pending ? pendingText(pending) : ''}`,
      source: 'synapse',
    },
  );
}

/** Refuses an "answer" that is really a local model failure. */
export function checkChatAnswer(response: string): void {
  if (isLocalAgentError(response)) throw chatModelFailure(response);
}

/** Synapse has no agent: nothing can answer a chat (its 400 `No agents configured`). */
export function noAgentsError(): SynError {
  return new SynError(
    'Synapse has no agents configured, so there is no agent to chat with. Ask the user to create an agent ' +
      'in Synapse; calling again will not help until then.',
  );
}

/** Rewords Synapse's chat failures that are not the caller's fault (no agents; the agent's model failed). */
export function chatFailure(err: unknown): unknown {
  if (err instanceof BadRequestError && /no agents configured/i.test(err.apiMessage)) return noAgentsError();
  if (err instanceof ServerError && /agent encountered an error/i.test(err.apiMessage)) {
    return chatModelFailure(err.apiMessage);
  }
  if (err instanceof ServerError && INTERNAL_ERROR.test(err.apiMessage))
    return chatInternalError(err.apiMessage);
  if (err instanceof ServerError && err.status === 503 && /still be starting/i.test(err.apiMessage)) {
    // Raised before the agent is reached: nothing happened, so a retry is safe.
    return new SynError(
      'Synapse is still starting (HTTP 503). The message did not reach the agent; retry in a minute.',
      {
        text: sentence(err.apiMessage),
        source: 'synapse',
      },
    );
  }
  return err;
}

/**
 * No chat answer by the call's time limit. v1 chat has no id to come back to (no way to read a turn later),
 * so the words say what is known: the message went out, the agent may still act on it and answer into the
 * session, and sending it again runs it again.
 */
export function noChatAnswer(waitedMs: number, sessionId: string | undefined): SynapseChatPendingError {
  const seconds = Math.max(1, Math.round(waitedMs / 1000));
  const session = sessionId
    ? `its answer would then join the session ${quotable(sessionId) ?? 'given in session_id'}`
    : 'its answer would then go to a new session whose id Synapse had not yet returned';
  return new SynapseChatPendingError(
    `Synapse chat: no answer came from the agent within this call's ${seconds} s. The message was sent and ` +
      `may still be processed in Synapse (the agent may act on it; ${session}), but Synapse offers no way to ` +
      'fetch that answer later. Do not send the message again blindly: a second send is processed again. Tell ' +
      'the user it got no answer in time and ask before re-sending; a client that follows progress can wait ' +
      'for a long answer.',
  );
}

/**
 * What Synapse's `/chat` answers when its agent loop gave no answer (SYN api_v1 `v1_chat`: no `final` event, or
 * one without `response`); its `/chat/stream` sends a `response` with content `""` then.
 */
export const STAND_IN_ANSWER = 'I completed the requested actions.';

/**
 * A chat answer that holds no answer of the agent: no `response` (api-notes §2: `{response, agent_id,
 * agent_name, session_id}`), an empty one, or Synapse's stand-in text. The message was sent, but what the agent
 * answered is not known, and an empty or stock answer would be one made up.
 */
export function noChatResponse(what = 'without a response field'): SynapseReportedError {
  return new SynapseReportedError(
    `Synapse answered the chat ${what}, so the agent's answer is not known. The message ` +
      'was sent: sending it again is processed again. Tell the user, and ask before re-sending.',
  );
}

/** The agent's answer in a chat `response` (sync field or stream content), or the error saying there is none. */
export function chatAnswer(response: unknown): string {
  if (typeof response !== 'string') throw noChatResponse();
  if (response.trim() === '') throw noChatResponse('with an empty response');
  if (response.trim() === STAND_IN_ANSWER) throw noChatResponse("with Synapse's stand-in text for no answer");
  checkChatAnswer(response);
  return response;
}
