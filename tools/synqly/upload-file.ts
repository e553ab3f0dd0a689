import { FormData } from 'undici';
import { z } from 'zod';
import { InputError } from '../../src/errors.js';
import { buildPath } from '../../src/http/path.js';
import { defineTool } from '../../src/tool.js';
import { connectorWriteTarget, storagePathArg } from './schemas.js';
import { connectorWrite, usedIntegration } from './target.js';
import { noteField } from './unconfirmed.js';

/** Largest file upload_file sends (decoded bytes). */
export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;

function decode(content: string, encoding: 'utf8' | 'base64'): Buffer {
  if (encoding === 'utf8') return Buffer.from(content, 'utf8');
  const compact = content.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(compact) || compact.replace(/=+$/, '').length % 4 === 1) {
    throw new InputError('content is not valid base64.', [
      { path: 'content', message: 'not base64 (use encoding "utf8" for text)' },
    ]);
  }
  return Buffer.from(compact, compact.includes('-') || compact.includes('_') ? 'base64url' : 'base64');
}

export default defineTool({
  name: 'upload_file',
  title: 'Synqly · Upload file',
  description:
    'Write a file (at most 5 MiB) to the Synqly-connected storage, replacing any file at that path: confirm with the user first when one may exist.',
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  services: ['synqly'],
  listTool: ['list_accounts', 'list_integrations'],
  input: z.strictObject({
    ...connectorWriteTarget,
    path: storagePathArg,
    content: z.string().describe('Base64 if encoding is base64.'),
    encoding: z.enum(['utf8', 'base64']).optional().describe('base64 for binary (default utf8).'),
    content_type: z
      .string()
      .regex(/^[\w.+-]+\/[\w.+-]+(\s*;.*)?$/)
      .optional()
      .describe('Default text/plain, or application/octet-stream for base64.'),
  }),
  output: z.object({
    path: z.string(),
    size: z.number(),
    content_type: z.string(),
    uploaded: z.boolean(),
    integration: usedIntegration,
    note: noteField,
  }),
  async handler(args, ctx) {
    const encoding = args.encoding ?? 'utf8';
    const bytes = decode(args.content, encoding);
    if (bytes.length > MAX_UPLOAD_BYTES) {
      throw new InputError(
        `content is ${bytes.length} bytes; upload_file sends at most ${MAX_UPLOAD_BYTES} bytes (5 MiB).`,
        [{ path: 'content', message: 'larger than 5 MiB' }],
      );
    }
    const path = buildPath('/v1/storage/files/{path*}', { path: args.path });
    const contentType =
      args.content_type ?? (encoding === 'utf8' ? 'text/plain; charset=utf-8' : 'application/octet-stream');
    const fileName =
      args.path
        .split('/')
        .filter((s) => s !== '')
        .at(-1) ?? 'file';
    const form = new FormData();
    form.append('file', new Blob([bytes], { type: contentType }), fileName);
    const { res, integration } = await connectorWrite(
      ctx,
      { accountId: args.accountId, integrationId: args.integrationId },
      { method: 'POST', path, form },
    );
    // Synqly's success answer carries nothing of the file, so path, size and content_type are only what was
    // sent: the note says so rather than letting them pass for what the storage now holds.
    return {
      path: args.path,
      size: bytes.length,
      content_type: contentType,
      uploaded: true,
      integration,
      note:
        `Synqly accepted the upload (HTTP ${res.status}) but its answer does not show the file: path, size and ` +
        'content_type are what was sent, not confirmed by Synqly. download_file or list_storage_files shows ' +
        'what the storage holds.',
    };
  },
});
