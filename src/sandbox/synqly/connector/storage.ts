/** Connector storage routes: multipart upload, download, delete, folder list. */
import { connectorPage, decodeCursor, readLimit } from '../paging.js';
import { badRequest, notFound } from '../problem.js';
import type { Reply, Route, RouteContext } from '../route.js';
import { data, param } from './context.js';

function storagePath(ctx: RouteContext): string {
  const raw = param(ctx, 'path');
  const segments = raw.split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..')) {
    throw badRequest(
      'Invalid path',
      { id: 'path', location: 'path', value: raw },
      {
        remediation: 'Use a relative path such as reports/summary.txt, without empty, "." or ".." segments.',
      },
    );
  }
  return raw;
}

function listFolder(ctx: RouteContext): Reply {
  const folder = storagePath(ctx);
  const paths = [...data(ctx).files.keys()]
    .filter((p) => p.startsWith(`${folder}/`))
    .sort()
    .map((path) => ({ path }));
  const raw = ctx.req.query.get('cursor');
  const state = raw ? decodeCursor(raw) : {};
  const page = connectorPage(paths, state.o ?? 0, readLimit(ctx.req.query), {});
  return { body: page };
}

async function uploadFile(ctx: RouteContext): Promise<Reply> {
  const path = storagePath(ctx);
  const entries = [...(ctx.req.form?.entries() ?? [])];
  const first = entries[0];
  if (entries.length !== 1 || !first || first[0] !== 'file' || typeof first[1] === 'string') {
    throw badRequest(
      'The upload must have a single file part named "file"',
      { id: 'file', location: 'body' },
      {
        remediation: 'Send multipart/form-data with one part: name="file", with a filename.',
      },
    );
  }
  const file = first[1];
  data(ctx).files.set(path, {
    bytes: Buffer.from(await file.arrayBuffer()),
    contentType: file.type || 'application/octet-stream',
  });
  return undefined;
}

function downloadFile(ctx: RouteContext): Reply {
  const path = storagePath(ctx);
  const file = data(ctx).files.get(path);
  if (!file) throw notFound('File', path, 'List files with GET /v1/storage/folders/{path}.');
  return { bytes: file.bytes, contentType: file.contentType };
}

function deleteFile(ctx: RouteContext): Reply {
  const path = storagePath(ctx);
  if (!data(ctx).files.delete(path)) throw notFound('File', path);
  return undefined;
}

/** Storage: folder list, upload, download, delete. */
export const STORAGE_ROUTES: Route[] = [
  { method: 'GET', path: '/v1/storage/folders/*path', surface: 'connector', handler: listFolder },
  {
    method: 'POST',
    path: '/v1/storage/files/*path',
    surface: 'connector',
    body: 'multipart',
    handler: uploadFile,
  },
  { method: 'GET', path: '/v1/storage/files/*path', surface: 'connector', handler: downloadFile },
  { method: 'DELETE', path: '/v1/storage/files/*path', surface: 'connector', handler: deleteFile },
];
