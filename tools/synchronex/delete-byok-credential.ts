import { z } from 'zod';
import { buildPath } from '../../src/http/path.js';
import { defineTool } from '../../src/tool.js';
import { deletionOutput, deletionResult } from './deletion.js';

export default defineTool({
  name: 'delete_byok_credential',
  title: 'Synchronex · Delete BYOK credential',
  description:
    'Remove a bring-your-own-key credential (id from list_byok_credentials) from Synchronex; AI workers stop using that key. Confirm with the user first.',
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  services: ['synchronex'],
  listTool: 'list_byok_credentials',
  input: z.strictObject({ id: z.string().min(1).describe('Credential id.') }),
  output: deletionOutput,
  async handler(args, ctx) {
    const path = buildPath('/byok/{id}', { id: args.id });
    const res = await ctx.api.synchronex.request({ method: 'DELETE', path });
    return deletionResult(args.id, res, 'credential', 'list_byok_credentials');
  },
});
