import { z } from 'zod';
import { buildPath } from '../../src/http/path.js';
import { defineTool } from '../../src/tool.js';
import { asRecord, connectorTarget, listOutput, readConnectorList, upstreamCursor } from './schemas.js';
import { connectorRequest } from './tokens.js';

const TOOL = 'list_storage_files';

export default defineTool({
  name: TOOL,
  title: 'Synqly · List storage files',
  description:
    'List the files under a folder of the storage connected through a Synqly integration (S3, Azure Blob, ' +
    'GCS, …). Returns file paths for download_file and delete_file; page with nextCursor. Uses ' +
    'SYNQLY_INTEGRATION_TOKEN, or accountId + integrationId (from list_integrations).',
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  services: ['synqly'],
  listTool: 'list_integrations',
  input: z.strictObject({
    ...connectorTarget,
    path: z.string().min(1).max(1024).describe('Folder to list, e.g. "reports" or "reports/2024".'),
    limit: z.number().int().min(1).max(1000).optional().describe('Items per page (Synqly default 100).'),
    cursor: z
      .string()
      .min(1)
      .optional()
      .describe('nextCursor from the previous page of this tool; omit for the first page.'),
  }),
  output: listOutput(z.object({ path: z.string() })),
  async handler(args, ctx) {
    const res = await connectorRequest(
      ctx,
      { accountId: args.accountId, integrationId: args.integrationId },
      {
        method: 'GET',
        path: buildPath('/v1/storage/folders/{path*}', { path: args.path }),
        query: { cursor: upstreamCursor(TOOL, args.cursor), limit: args.limit },
      },
    );
    const { items, ...rest } = readConnectorList(TOOL, res.data);
    const paths = items
      .map((i) => asRecord(i).path)
      .filter((p): p is string => typeof p === 'string')
      .map((path) => ({ path }));
    return { items: paths, ...rest };
  },
});
