/**
 * What a Synchronex DELETE's answer says was done. Synchronex publishes no response bodies (api-notes §8.1),
 * so a 2xx is read for what it says: a 202 only accepted the deletion, and a body saying `deleted: false`
 * did not delete; only an answer that says neither is reported as deleted.
 */
import { z } from 'zod';
import type { ApiResponse } from '../../src/http/request.js';
import { isRecord } from '../memory/shape.js';

export const deletionOutput = z.object({
  id: z.string(),
  deleted: z.boolean().describe('True only when Synchronex answered that it is deleted.'),
  note: z.string().optional().describe('Why deleted is false: what Synchronex answered instead.'),
});

/** The result of a DELETE of `what` (e.g. `decision`) with id `id`; `listTool` is where to check it. */
export function deletionResult(
  id: string,
  res: ApiResponse,
  what: string,
  listTool: string,
): z.input<typeof deletionOutput> {
  if (res.status === 202) {
    return {
      id,
      deleted: false,
      note:
        `Synchronex accepted the deletion of the ${what} (HTTP 202) but did not say it is done: check with ` +
        `${listTool} before telling the user it is gone.`,
    };
  }
  if (isRecord(res.data) && res.data.deleted === false) {
    return {
      id,
      deleted: false,
      note: `Synchronex answered HTTP ${res.status} with deleted: false: the ${what} was not deleted.`,
    };
  }
  return { id, deleted: true };
}
