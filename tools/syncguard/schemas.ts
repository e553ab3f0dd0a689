import { z } from 'zod';
import { type CursorState, decodeCursor, encodeCursor } from '../../src/cursor.js';
import { SynError } from '../../src/errors.js';
import { isRecord } from '../../src/json.js';
import { conform } from '../../src/tool.js';

/** Incident statuses of the lifecycle (seed 002). */
export const incidentStatus = z.string().describe('Open, Recovering or Closed');

const nullableString = z.string().nullable().optional();

/** An incident as the model sees it (seed 002 "Full incident object"), without the per-tenant breakdown. */
export const incidentSummary = z.object({
  id: z.string(),
  integrationKey: nullableString,
  patternId: nullableString,
  patternName: nullableString,
  status: incidentStatus.nullable().optional(),
  confidence: nullableString.describe('High or Medium'),
  openedAt: nullableString,
  recoveringAt: nullableString,
  closedAt: nullableString,
  reopenedAt: nullableString,
  reopenCount: z.number().nullable().optional(),
  eventCount: z.number().nullable().optional(),
  tenantCount: z.number().nullable().optional(),
  isChronic: z.boolean().nullable().optional().describe('true when reopened 3 or more times'),
});
export type IncidentSummary = z.infer<typeof incidentSummary>;

export { isRecord };

/** The upstream object, or an empty one when the API sent something else. */
export function asRecord(v: unknown): Record<string, unknown> {
  return isRecord(v) ? v : {};
}

/** The id of an upstream record as a string ('' when absent: the boundary then reports the bad shape). */
export function idOf(raw: unknown): string {
  const id = asRecord(raw).id;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : '';
}

/** Keeps the summary fields of an upstream incident (ids kept, bulky detail dropped). */
export function toIncidentSummary(raw: unknown): IncidentSummary {
  return { ...conform(incidentSummary, raw), id: idOf(raw) };
}

/** A tenant affected by an incident (seed 002 "Full incident object"). */
export const affectedTenant = z.object({
  tenantId: nullableString,
  tenantName: nullableString,
  eventCount: z.number().nullable().optional(),
  firstSeenAt: nullableString,
  lastSeenAt: nullableString,
});

/** The full incident, with its per-tenant breakdown. */
export const incidentDetail = incidentSummary.extend({
  workspaceId: nullableString,
  affectedTenants: z.array(affectedTenant).optional(),
});

/** A failure pattern with its per-workspace settings. */
export const patternSchema = z.object({
  id: z.string(),
  name: nullableString,
  priority: z.number().nullable().optional(),
  isEnabled: z.boolean().nullable().optional(),
  thresholdCount: z.number().nullable().optional(),
  thresholdWindowSeconds: z.number().nullable().optional(),
  eventTypes: z.array(z.string()).optional(),
  errorCodes: z.array(z.string()).optional(),
});

/** A tenant of the workspace. */
export const tenantSchema = z.object({
  id: z.string(),
  externalId: nullableString,
  name: nullableString,
  isActive: z.boolean().nullable().optional(),
  createdAt: nullableString,
});

/** An alert channel; its config values are never shown (they are credentials), only which keys are set. */
export const channelSchema = z.object({
  provider: z.string(),
  isEnabled: z.boolean().nullable().optional(),
  configuredFields: z.array(z.string()).describe('config keys that are set; values are hidden'),
});

/** Reduces an upstream channel to provider, state and the names of its config keys. */
export function toChannel(raw: unknown): z.infer<typeof channelSchema> {
  const src = asRecord(raw);
  const isEnabled = typeof src.isEnabled === 'boolean' ? src.isEnabled : null;
  return {
    provider: String(src.provider ?? ''),
    isEnabled,
    configuredFields: Object.keys(asRecord(src.config)),
  };
}

/** Shapes a record that has an id (pattern, tenant) to its schema, keeping the id as a string. */
export function withId<S extends z.ZodObject>(schema: S, raw: unknown): z.input<S> {
  return { ...conform(schema, raw), id: idOf(raw) };
}

/**
 * The page size sent when the model gives none (seed 002's example `pageSize=25`). Always sending one is what
 * lets a bare-array page (api-notes §8.2) say whether more may follow: without it a full page of the API's
 * own default would look like the last one.
 */
export const DEFAULT_PAGE_SIZE = 25;

/** Shared paging arguments of SyncGuard list tools. */
export const pagingArgs = {
  pageSize: z.number().int().min(1).max(100).optional().describe(`Default ${DEFAULT_PAGE_SIZE}.`),
  cursor: z.string().optional().describe('nextCursor.'),
};

/** The page size of a call: the model's, else the cursor's, else DEFAULT_PAGE_SIZE. */
export function pageSizeOf(args: { pageSize?: number | undefined }, state: CursorState | undefined): number {
  return args.pageSize ?? (typeof state?.pageSize === 'number' ? state.pageSize : DEFAULT_PAGE_SIZE);
}

/** The page/pageSize query of a SyncGuard list call, from the tool's cursor and pageSize. */
export function pageQuery(
  tool: string,
  args: { pageSize?: number | undefined; cursor?: string | undefined },
) {
  const state = args.cursor ? decodeCursor(tool, args.cursor) : undefined;
  const page = typeof state?.page === 'number' ? state.page : undefined;
  return { page, pageSize: pageSizeOf(args, state) };
}

/** Keys a paged wrapper may hold its items under: `items` (api-notes §8.2) and the usual alternatives. */
const LIST_KEYS = ['items', 'data', 'results', 'incidents', 'events', 'tenants'] as const;

/**
 * Reads a SyncGuard paged list: `data` is a bare array or `{items, page, pageSize, totalCount}` (api-notes
 * §8.2). Returns the items and the cursor of the next page when there is one.
 */
export function readPage(
  tool: string,
  data: unknown,
  sent: { page: number | undefined; pageSize: number | undefined },
): { items: unknown[]; nextCursor?: string } {
  const page = sent.page ?? 1;
  if (Array.isArray(data)) {
    const more = sent.pageSize !== undefined && data.length >= sent.pageSize;
    return more
      ? {
          items: data,
          nextCursor: encodeCursor(tool, { page: page + 1, pageSize: sent.pageSize ?? data.length }),
        }
      : { items: data };
  }
  const body = isRecord(data) ? data : {};
  const key = LIST_KEYS.find((k) => Array.isArray(body[k]));
  const items = key ? (body[key] as unknown[]) : [];
  const current = typeof body.page === 'number' ? body.page : page;
  const size = typeof body.pageSize === 'number' ? body.pageSize : sent.pageSize;
  const total =
    typeof body.totalCount === 'number'
      ? body.totalCount
      : typeof body.total === 'number'
        ? body.total
        : undefined;
  const more =
    size !== undefined &&
    (total !== undefined ? current * size < total : items.length >= size) &&
    items.length > 0;
  return more && size !== undefined
    ? { items, nextCursor: encodeCursor(tool, { page: current + 1, pageSize: size }) }
    : { items };
}

/**
 * The list in an unpaged SyncGuard answer (timeline, patterns, trends): a bare array or a wrapper holding one.
 * Anything else is an error, not an empty list: "none" must mean SyncGuard said none.
 */
export function listIn(what: string, data: unknown): unknown[] {
  if (Array.isArray(data)) return data;
  const body = isRecord(data) ? data : {};
  const key = LIST_KEYS.find((k) => Array.isArray(body[k]));
  if (key) return body[key] as unknown[];
  const got = data === null ? 'no data' : typeof data === 'object' ? 'an object' : `a ${typeof data}`;
  throw new SynError(
    `SyncGuard answered the ${what} request with ${got}, not a list: syn-mcp cannot tell what it holds. Reading again is safe.`,
  );
}

/** Output of list tools: `{ items, nextCursor? }`. */
export function listOutput<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    nextCursor: z
      .string()
      .optional()
      .describe('Pass as `cursor` to get the next page; absent on the last page.'),
  });
}
