import { z } from 'zod';
import { NetworkError, SynError } from '../../src/errors.js';
import { buildPath } from '../../src/http/path.js';
import { defineTool } from '../../src/tool.js';
import { type AnsweringIntegration, answeringIntegration, connectorRead } from './read-target.js';
import { connectorTarget, storagePathArg } from './schemas.js';

/** Largest file download_file reads. */
export const MAX_DOWNLOAD_BYTES = 5 * 1024 * 1024;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The bytes as text when they are UTF-8 without control characters other than whitespace. */
function asText(bytes: Buffer): string | undefined {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return undefined;
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: detecting binary content is the point.
  return /[\u0000-\u0008\u000b\u000e-\u001f\u007f]/.test(text) ? undefined : text;
}

export default defineTool({
  name: 'download_file',
  title: 'Synqly · Download file',
  description:
    'Read a file (path from list_storage_files) from the Synqly-connected storage: UTF-8 text as text, else base64 (encoding says which); over 5 MiB is refused.',
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  services: ['synqly'],
  listTool: 'list_storage_files',
  input: z.strictObject({ ...connectorTarget, path: storagePathArg }),
  output: z.object({
    path: z.string(),
    size: z.number(),
    content_type: z.string().nullable(),
    encoding: z.enum(['utf8', 'base64']),
    content: z.string(),
    integration: answeringIntegration,
  }),
  async handler(args, ctx) {
    let res: { data: unknown; headers: Readonly<Record<string, string | undefined>> };
    let integration: AnsweringIntegration;
    try {
      ({ res, integration } = await connectorRead<Buffer>(
        ctx,
        { accountId: args.accountId, integrationId: args.integrationId },
        {
          method: 'GET',
          path: buildPath('/v1/storage/files/{path*}', { path: args.path }),
          responseType: 'bytes',
          maxBytes: MAX_DOWNLOAD_BYTES,
        },
      ));
    } catch (err) {
      if (err instanceof NetworkError && err.kind === 'malformed') {
        throw new SynError(
          `Synqly: ${args.path} is larger than ${MAX_DOWNLOAD_BYTES} bytes (5 MiB), the most download_file ` +
            'reads; it was not downloaded.',
        );
      }
      throw err;
    }
    const bytes = Buffer.isBuffer(res.data) ? res.data : Buffer.alloc(0);
    const text = asText(bytes);
    return {
      path: args.path,
      size: bytes.length,
      content_type: res.headers['content-type'] ?? null,
      encoding: text !== undefined ? ('utf8' as const) : ('base64' as const),
      content: text ?? bytes.toString('base64'),
      integration,
    };
  },
});
