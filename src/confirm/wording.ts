/**
 * What the user is asked before a tool call that needs confirmation: one question per tool, naming what the
 * call does and its target (account, integration, file, key, tenant, memory …) in plain words from the
 * call's own arguments, and the form the client shows. The questions are tables keyed by tool name, one per
 * API in questions/, beside the tools rather than in them (tools/ owns the tool files); a meta-test checks
 * every destructive and write tool has its own question and that every argument a question reads is a field
 * of that tool's input.
 */
import type { ToolAnnotations } from '../tool.js';
import type { Wording } from './questions/ask.js';
import { SYNAP_QUESTIONS } from './questions/synap.js';
import { SYNAPSE_QUESTIONS } from './questions/synapse.js';
import { SYNCGUARD_QUESTIONS } from './questions/syncguard.js';
import { SYNCHRONEX_QUESTIONS } from './questions/synchronex.js';
import { SYNQLY_QUESTIONS } from './questions/synqly.js';
import { oneLine, quoted } from './words.js';

/** Every tool's question, by tool name. */
export const WORDINGS: Readonly<Record<string, Wording>> = {
  ...SYNCGUARD_QUESTIONS,
  ...SYNAPSE_QUESTIONS,
  ...SYNQLY_QUESTIONS,
  ...SYNAP_QUESTIONS,
  ...SYNCHRONEX_QUESTIONS,
};

/** A form field of an elicitation (form mode allows flat primitive fields only). */
export type FormField =
  | { type: 'boolean'; title: string; description: string; default: boolean }
  | { type: 'string'; title: string; description: string; minLength: number; maxLength: number };

/** The requested schema of a form elicitation. */
export type FormSchema = {
  type: 'object';
  properties: Record<string, FormField>;
  required: string[];
};

/** What the user is shown and asked for before one call. */
export interface Confirmation {
  /** The elicitation's message: the question and who is asking. */
  message: string;
  /** A boolean `confirm` (default false), or a string `confirm` the user types. */
  requestedSchema: FormSchema;
  /** The text the user must type, for a typed confirmation. */
  expected: string | undefined;
  /** False when no question was written for the tool and the generic one was used. */
  specific: boolean;
}

/** The tool as a confirmation sees it. */
export interface ConfirmableTool {
  name: string;
  title: string;
  annotations: ToolAnnotations;
}

/** The key of the single field of every confirmation form. */
export const CONFIRM_FIELD = 'confirm';

/** The confirmation of one call of `tool` with these (validated) arguments. */
export function confirmationFor(
  tool: ConfirmableTool,
  args: Readonly<Record<string, unknown>>,
): Confirmation {
  const wording = WORDINGS[tool.name];
  const question =
    wording?.ask(args) ?? `Run ${quoted(tool.title)} with the arguments ${oneLine(args, 300)}?`;
  const expected = wording?.typed?.(args);
  const message =
    `${question}\n\nThe AI assistant asks to run the syn-mcp tool ${tool.name} (${tool.title}). ` +
    'Nothing is sent until you confirm.';
  const field: FormField =
    expected === undefined
      ? {
          type: 'boolean',
          title: tool.annotations.destructiveHint ? 'Confirm this change' : 'Confirm',
          description: 'Tick to let syn-mcp make this call; leave it unticked to cancel.',
          default: false,
        }
      : {
          type: 'string',
          title: `Type ${oneLine(expected)} to confirm`,
          description: `Type exactly ${oneLine(expected)}; anything else cancels. Irreversible.`,
          minLength: 1,
          maxLength: 200,
        };
  return {
    message,
    requestedSchema: { type: 'object', properties: { [CONFIRM_FIELD]: field }, required: [CONFIRM_FIELD] },
    expected,
    specific: wording !== undefined,
  };
}
