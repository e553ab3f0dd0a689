/**
 * The user's answer to a confirmation, judged: only an accepted form whose `confirm` field holds `true` (or,
 * for a typed confirmation, exactly the expected text) lets the call go ahead. Anything else (declined,
 * cancelled, timed out, a form that does not match the schema, a box left unticked, a typo) is a no.
 */
import { CONFIRM_FIELD, type Confirmation } from './wording.js';
import { oneLine } from './words.js';

/** An elicitation's answer as the client sent it (not yet trusted to match the form). */
export interface ElicitAnswer {
  action: string;
  content?: unknown;
}

/** The verdict: go ahead, or why not. */
export type Verdict = { confirmed: true } | { confirmed: false; reason: string };

/** Judges `answer` to `confirmation`; an absent answer (the client gave none, or timed out) is a no. */
export function judge(confirmation: Confirmation, answer: ElicitAnswer | undefined): Verdict {
  if (!answer) return { confirmed: false, reason: 'no answer came back' };
  if (answer.action === 'decline') return { confirmed: false, reason: 'declined' };
  if (answer.action === 'cancel') return { confirmed: false, reason: 'cancelled' };
  if (answer.action !== 'accept') return { confirmed: false, reason: 'the answer was not understood' };
  const content = answer.content;
  if (content === null || typeof content !== 'object' || Array.isArray(content)) {
    return { confirmed: false, reason: 'the form came back empty' };
  }
  const value = (content as Record<string, unknown>)[CONFIRM_FIELD];
  if (confirmation.expected === undefined) {
    if (value === true) return { confirmed: true };
    if (value === false) return { confirmed: false, reason: 'the box was left unticked' };
    return { confirmed: false, reason: 'the form did not match what was asked' };
  }
  if (typeof value !== 'string') return { confirmed: false, reason: 'the form did not match what was asked' };
  if (value.trim() === confirmation.expected) return { confirmed: true };
  return { confirmed: false, reason: `the text typed was not ${oneLine(confirmation.expected)}` };
}

/** The tool result of a call the user did not confirm: an error the model reads, nothing sent. */
export function notConfirmedResult(
  tool: { name: string; title: string },
  reason: string,
): { content: [{ type: 'text'; text: string }]; isError: true } {
  return {
    content: [
      {
        type: 'text',
        text:
          `${tool.title}: not confirmed by the user (${reason}); nothing was changed. ` +
          `Do not retry ${tool.name} unless the user asks for it again.`,
      },
    ],
    isError: true,
  };
}
