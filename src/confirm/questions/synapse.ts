/** One table of data: the confirmation question of each Synapse tool that needs one, by tool name. */
import { ident, oneLine, quoted } from '../words.js';
import { ask, given, type Wording } from './ask.js';

/** Synapse's questions, by tool name. */
export const SYNAPSE_QUESTIONS: Readonly<Record<string, Wording>> = {
  chat: ask(
    ['message', 'agent'],
    (a) =>
      `Send this message to Synapse agent ${given(a.agent) ? ident(a.agent) : '(the first agent)'}: ` +
      `${quoted(a.message, 200)}?`,
  ),
  run_orchestration: ask(
    ['orch_id', 'message'],
    (a) =>
      `Start a new run of Synapse orchestration ${ident(a.orch_id)}` +
      `${given(a.message) ? ` with the input ${quoted(a.message, 200)}` : ''}?`,
  ),
  resume_orchestration_run: ask(
    ['run_id', 'response'],
    (a) => `Resume paused Synapse run ${ident(a.run_id)} with the answers ${oneLine(a.response, 200)}?`,
  ),
};
