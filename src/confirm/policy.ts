/** Which tool calls the user confirms through the client (`--confirm`). */
import type { ToolAnnotations } from '../tool.js';

/** `--confirm` values: destructive (the default), writes, off. */
export const CONFIRM_MODES = ['destructive', 'writes', 'off'] as const;

/** What `--confirm` asked for. */
export type ConfirmMode = (typeof CONFIRM_MODES)[number];

/**
 * True when a call of a tool with these annotations waits for the user's confirmation under `mode`:
 * `destructive` → tools marked destructiveHint; `writes` → every tool that is not readOnlyHint; `off` → none.
 */
export function needsConfirmation(mode: ConfirmMode, annotations: ToolAnnotations): boolean {
  if (mode === 'off') return false;
  if (mode === 'writes') return !annotations.readOnlyHint;
  return annotations.destructiveHint && !annotations.readOnlyHint;
}
