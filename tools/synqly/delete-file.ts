import { z } from 'zod';
import { buildPath } from '../../src/http/path.js';
import { defineTool } from '../../src/tool.js';
import { connectorWriteTarget, storagePathArg } from './schemas.js';
import { connectorWrite, usedIntegration } from './target.js';

export default defineTool({
  name: 'delete_file',
  title: 'Synqly · Delete file',
  description:
    'Delete a file (path from list_storage_files) from the Synqly-connected storage; irreversible. Confirm with the user first.',
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  services: ['synqly'],
  listTool: 'list_storage_files',
  input: z.strictObject({ ...connectorWriteTarget, path: storagePathArg }),
  output: z.object({ deleted: z.boolean(), path: z.string(), integration: usedIntegration }),
  async handler(args, ctx) {
    const { integration } = await connectorWrite(
      ctx,
      { accountId: args.accountId, integrationId: args.integrationId },
      { method: 'DELETE', path: buildPath('/v1/storage/files/{path*}', { path: args.path }) },
    );
    return { deleted: true, path: args.path, integration };
  },
});
