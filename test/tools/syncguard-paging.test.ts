import { describe, expect, it } from 'vitest';
import { decodeCursor } from '../../src/cursor.js';
import { pageQuery, readPage } from '../../tools/syncguard/schemas.js';

describe('SyncGuard paged lists (api-notes §8.2: bare array or {items, page, pageSize, totalCount})', () => {
  it('reads the documented wrapper and stops at totalCount', () => {
    const first = readPage(
      'list_incidents',
      { items: [1, 2], page: 1, pageSize: 2, totalCount: 3 },
      { page: undefined, pageSize: 2 },
    );
    expect(first.items).toEqual([1, 2]);
    expect(decodeCursor('list_incidents', first.nextCursor ?? '')).toEqual({ page: 2, pageSize: 2 });
    const last = readPage(
      'list_incidents',
      { items: [3], page: 2, pageSize: 2, totalCount: 3 },
      { page: 2, pageSize: 2 },
    );
    expect(last).toEqual({ items: [3] });
  });

  it('reads a bare array: a full page means there may be more, only when the page size is known', () => {
    expect(readPage('list_incidents', [1, 2], { page: undefined, pageSize: 2 }).nextCursor).toEqual(
      expect.any(String),
    );
    expect(readPage('list_incidents', [1], { page: undefined, pageSize: 2 })).toEqual({ items: [1] });
    expect(readPage('list_incidents', [1, 2], { page: undefined, pageSize: undefined })).toEqual({
      items: [1, 2],
    });
  });

  it('accepts the usual alternative keys and a `total`', () => {
    const r = readPage(
      'list_incidents',
      { incidents: [1], page: 1, pageSize: 1, total: 2 },
      { page: undefined, pageSize: undefined },
    );
    expect(r.items).toEqual([1]);
    expect(decodeCursor('list_incidents', r.nextCursor ?? '')).toEqual({ page: 2, pageSize: 1 });
    expect(readPage('list_events', { data: [] }, { page: undefined, pageSize: 5 })).toEqual({ items: [] });
  });

  it('turns a cursor back into page/pageSize, with an explicit pageSize winning', () => {
    const cursor = readPage('list_tenants', [1, 2], { page: 3, pageSize: 2 }).nextCursor ?? '';
    expect(pageQuery('list_tenants', { cursor })).toEqual({ page: 4, pageSize: 2 });
    expect(pageQuery('list_tenants', { cursor, pageSize: 10 })).toEqual({ page: 4, pageSize: 10 });
    expect(() => pageQuery('list_events', { cursor })).toThrow(/cursor is not one that list_events returned/);
  });
});
