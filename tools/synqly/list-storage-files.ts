import { z } from 'zod';
import { buildPath } from '../../src/http/path.js';
import { defineTool } from '../../src/tool.js';
import { connectorListOutput, connectorRead } from './read-target.js';
import { asRecord, connectorTarget, readConnectorList, upstreamCursor } from './schemas.js';

const TOOL = 'list_storage_files';

export default defineTool({
  name: TOOL,
  title: 'Synqly · List storage files',
  description:
    'List the files under a folder of the Synqly-connected storage (S3, GCS, …), with paths for download_file and delete_file.',
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  services: ['synqly'],
  listTool: ['list_storage_files', 'list_accounts', 'list_integrations'],
  input: z.strictObject({
    ...connectorTarget,
    path: z.string().min(1).max(1024).describe('Folder, e.g. "reports/2024".'),
    limit: z.number().int().min(1).max(1000).optional().describe('Default 100.'),
    cursor: z.string().min(1).optional().describe('nextCursor.'),
  }),
  output: connectorListOutput(z.object({ path: z.string() })),
  async handler(args, ctx) {
    const { res, integration } = await connectorRead(
      ctx,
      { accountId: args.accountId, integrationId: args.integrationId },
      {
        method: 'GET',
        path: buildPath('/v1/storage/folders/{path*}', { path: args.path }),
        query: { cursor: upstreamCursor(TOOL, args.cursor), limit: args.limit },
      },
    );
    const { items, ...rest } = readConnectorList(TOOL, res.data, args.cursor);
    const paths = items
      .map((i) => asRecord(i).path)
      .filter((p): p is string => typeof p === 'string')
      .map((path) => ({ path }));
    return { items: paths, ...rest, integration };
  },
});
