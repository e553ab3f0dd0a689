import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { conform } from '../../src/conform.js';

describe('conform', () => {
  const tenant = z.object({ id: z.string(), events: z.number().optional() });
  const schema = z.object({
    id: z.string(),
    code: z.string().optional(),
    count: z.number().nullable().optional(),
    active: z.boolean().optional(),
    tags: z.array(z.string()).optional(),
    tenants: z.array(tenant).optional(),
    ref: z.union([z.number(), z.object({ href: z.string() })]).optional(),
    meta: z.record(z.string(), z.unknown()).optional(),
    note: z.string().nullable().optional(),
  });

  it('keeps declared fields that fit, coerces scalars to the declared type, drops the rest', () => {
    const raw = {
      id: 'inc_1',
      code: 401,
      count: '12',
      active: 'yes',
      tags: ['a', 2, { no: 1 }, 'b'],
      tenants: [{ id: 't1', events: '3' }, 'not a tenant', { id: 't2', extra: true }],
      ref: { href: '/x', more: 1 },
      meta: { anything: [1, 2] },
      note: null,
      undeclared: 'dropped',
    };
    expect(conform(schema, raw)).toEqual({
      id: 'inc_1',
      code: '401',
      count: 12,
      tags: ['a', '2', 'b'],
      tenants: [{ id: 't1', events: 3 }, { id: 't2' }],
      ref: { href: '/x' },
      meta: { anything: [1, 2] },
      note: null,
    });
  });

  it('leaves missing and undefined fields out, and a number that is not finite or numeric text', () => {
    expect(conform(schema, { id: 'x', count: Number.NaN, code: undefined })).toEqual({ id: 'x' });
    expect(conform(schema, { id: 'x', count: '1e3' })).toEqual({ id: 'x' });
    expect(conform(schema, { count: 1 })).toEqual({ count: 1 });
    expect(conform(schema, 'not an object')).toEqual({});
  });

  it('passes undeclared fields through for a loose object only, the same on every call', () => {
    const loose = z.looseObject({ id: z.string() });
    for (let i = 0; i < 3; i++) {
      expect(conform(loose, { id: 1, extra: { deep: true } })).toEqual({ id: '1', extra: { deep: true } });
      expect(conform(z.object({ id: z.string() }), { id: 1, extra: 1 })).toEqual({ id: '1' });
    }
  });

  it('takes the first union option that fits', () => {
    const u = z.object({ v: z.union([z.boolean(), z.string()]) });
    expect(conform(u, { v: true })).toEqual({ v: true });
    expect(conform(u, { v: 5 })).toEqual({ v: '5' });
    expect(conform(u, { v: [] })).toEqual({});
  });
});
