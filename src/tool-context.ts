/**
 * The ToolContext a handler receives (src/tool.ts): its call's API views (src/call-view.ts), cancellation,
 * deadline, progress, human input and the secrets it learns. Built by the boundary (src/boundary.ts) once per
 * run of a handler.
 */
import { bindCall, type CallScope, type ServiceViews } from './call-view.js';
import { registerSecret } from './http/redact.js';
import type { Logger } from './log.js';
import { progressMessage } from './progress-text.js';
import { InputRound, type ProgressUpdate, type ToolContext, type ToolInput } from './tool.js';

/** Sends one progress notification to the client. */
export type NotifyFn = (params: {
  progressToken: string | number;
  progress: number;
  total?: number;
  message: string;
}) => Promise<void>;

/** What a context is made of besides the call's scope. */
export interface ContextParts {
  views: ServiceViews;
  log: Logger;
  byokKeys: Readonly<Record<string, string>>;
  input: ToolInput;
  progressToken: string | number | undefined;
  notify: NotifyFn | undefined;
}

/**
 * The context of one handler run, and the secrets it was given to show once (kept out of redaction in this
 * call's result only).
 */
export function toolContext(call: CallScope, parts: ContextParts): { ctx: ToolContext; shown: Set<string> } {
  const { progressToken, notify } = parts;
  const shown = new Set<string>();
  let step = 0;
  const ctx: ToolContext = {
    api: bindCall(parts.views, call),
    signal: call.signal,
    deadline: call.deadline,
    log: parts.log,
    byokKeys: parts.byokKeys,
    input: parts.input,
    ask(round) {
      throw new InputRound(round);
    },
    secret(value, { showOnce }) {
      registerSecret(value);
      if (showOnce) shown.add(value);
    },
    wantsProgress: progressToken !== undefined && notify !== undefined,
    async progress(update: ProgressUpdate) {
      if (progressToken === undefined || !notify) return;
      step = update.progress ?? step + 1;
      const params = { progressToken, progress: step, message: progressMessage(update.message) };
      await notify(update.total === undefined ? params : { ...params, total: update.total });
    },
  };
  return { ctx, shown };
}
