import { z } from 'zod';
import { type CursorState, decodeCursor, encodeCursor } from '../../src/cursor.js';
import type { QueryValue } from '../../src/http/request.js';
import { isRecord } from '../../src/json.js';
import { conform } from '../../src/tool.js';
import { checkFilters, type FilterTool, filterArgs } from './filters.js';

type Obj = Record<string, unknown>;

export { isRecord };

/** The object, or an empty one. */
export function asRecord(v: unknown): Obj {
  return isRecord(v) ? v : {};
}

/** The `result` of a Synqly envelope `{result, cursor?, meta?, messages?}`. */
export function resultOf(body: unknown): unknown {
  return asRecord(body).result;
}

/** The id of an upstream record as a string ('' when absent: the boundary then reports the bad shape). */
export function idOf(raw: unknown): string {
  const id = asRecord(raw).id;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : '';
}

/** Shapes a record that has an id to its schema, keeping the id as a string. */
export function withId<S extends z.ZodObject>(schema: S, raw: unknown): z.input<S> {
  return { ...conform(schema, raw), id: idOf(raw) };
}

/** Non-fatal problems of a Synqly answer (`messages.problems[]`), as short texts. */
export function warningsOf(body: unknown): string[] | undefined {
  const problems = asRecord(asRecord(body).messages).problems;
  if (!Array.isArray(problems)) return undefined;
  const out = problems
    .filter(isRecord)
    .map((p) => [p.message, p.detail].filter((t) => typeof t === 'string' && t !== '').join(': '))
    .filter((t) => t !== '');
  return out.length > 0 ? out : undefined;
}

/** Adds `warnings` to a result when Synqly reported any. */
export function withWarnings<T extends object>(out: T, body: unknown): T & { warnings?: string[] } {
  const warnings = warningsOf(body);
  return warnings ? { ...out, warnings } : out;
}

/** Output field for `messages.problems`. */
export const warningsField = z
  .array(z.string())
  .optional()
  .describe('Non-fatal problems Synqly reported while processing the request.');

// ── Arguments ────────────────────────────────────────────────────────────────

/** `accountId` + `integrationId` of connector tools: act on that integration with a token syn-mcp mints. */
export const connectorTarget = {
  accountId: z
    .string()
    .min(1)
    .optional()
    .describe("From list_accounts; omit both for the configured token's integration."),
  integrationId: z.string().min(1).optional().describe('From list_integrations.'),
};

/** `connectorTarget` of connector writes: the result names the integration a call without ids wrote to. */
export const connectorWriteTarget = {
  ...connectorTarget,
  accountId: connectorTarget.accountId.describe(
    "From list_accounts; omit both for the configured token's integration (refused if unknown).",
  ),
};

const cursorArg = z.string().min(1).optional().describe('nextCursor.');

/** Paging and filter arguments of Management lists (`limit` + `start_after` upstream). */
export function managementPaging(tool: FilterTool) {
  return {
    limit: z.number().int().min(1).max(1000).optional().describe('Default 100.'),
    cursor: cursorArg,
    ...filterArgs(tool),
  };
}

/** Paging and filter arguments of Connector queries (`cursor` upstream). */
export function connectorPaging(tool: FilterTool) {
  return {
    limit: z.number().int().min(1).max(1000).optional().describe('Default 100.'),
    cursor: cursorArg,
    ...filterArgs(tool),
  };
}

/** Output of list tools: `{ items, nextCursor? }`. */
export function listOutput<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    nextCursor: z
      .string()
      .optional()
      .describe('Pass as `cursor` to get the next page; absent on the last page.'),
    warnings: warningsField,
  });
}

// ── Paging ───────────────────────────────────────────────────────────────────

/** Synqly's default page size. */
export const DEFAULT_LIMIT = 100;

interface ManagementPagingArgs {
  limit?: number | undefined;
  cursor?: string | undefined;
  filter?: string[] | undefined;
  order?: string[] | undefined;
}

/** The query of a Management list call: `limit`, `start_after` (or an upstream `cursor`), `filter`, `order`. */
export function managementQuery(
  tool: FilterTool,
  args: ManagementPagingArgs,
): { query: Record<string, QueryValue>; limit: number | undefined } {
  checkFilters(tool, args);
  const state: CursorState = args.cursor ? decodeCursor(tool, args.cursor) : {};
  const limit = args.limit ?? (typeof state.limit === 'number' ? state.limit : undefined);
  const query: Record<string, QueryValue> = {
    limit,
    start_after: typeof state.start_after === 'string' ? state.start_after : undefined,
    cursor: typeof state.cursor === 'string' ? state.cursor : undefined,
    filter: args.filter,
    order: args.order,
  };
  return { query, limit };
}

/**
 * Reads a Management list `{result: T[], total?, cursor?}`. The next page starts after the last item's
 * `name` (api-notes §1, §8.4) when the page was full; an upstream `cursor` key, if one comes back, decides instead.
 */
export function readManagementList(
  tool: string,
  body: unknown,
  limit: number | undefined,
): { items: unknown[]; nextCursor?: string } {
  const src = asRecord(body);
  const items = Array.isArray(src.result) ? src.result : [];
  const keep: CursorState = limit !== undefined ? { limit } : {};
  if ('cursor' in src) {
    // Seed 000: an empty string or null cursor means there are no further pages.
    return typeof src.cursor === 'string' && src.cursor !== '' && items.length > 0
      ? { items, nextCursor: encodeCursor(tool, { ...keep, cursor: src.cursor }) }
      : { items };
  }
  const last = asRecord(items.at(-1)).name;
  if (items.length >= (limit ?? DEFAULT_LIMIT) && typeof last === 'string' && last !== '') {
    return { items, nextCursor: encodeCursor(tool, { ...keep, start_after: last }) };
  }
  return { items };
}

interface ConnectorPagingArgs {
  limit?: number | undefined;
  cursor?: string | undefined;
  filter?: string[] | undefined;
  order?: string[] | undefined;
}

/** The upstream cursor inside one of our cursors (undefined for the first page). */
export function upstreamCursor(tool: string, cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  const state = decodeCursor(tool, cursor);
  return typeof state.cursor === 'string' ? state.cursor : undefined;
}

/** The query of a Connector query call: `cursor`, `limit`, `filter`, `order` (checked first). */
export function connectorQuery(tool: FilterTool, args: ConnectorPagingArgs): Record<string, QueryValue> {
  checkFilters(tool, args);
  return {
    cursor: upstreamCursor(tool, args.cursor),
    limit: args.limit,
    filter: args.filter,
    order: args.order,
  };
}

/** Our cursor wrapping an upstream one; undefined when upstream says there are no more pages. */
export function wrapCursor(tool: string, cursor: unknown): string | undefined {
  return typeof cursor === 'string' && cursor !== '' ? encodeCursor(tool, { cursor }) : undefined;
}

/**
 * Our cursor for the page after one of `count` items answered with upstream `cursor`, `sent` being the upstream
 * cursor that asked for it. Seed 000: only an empty or null cursor means there are no further pages, so an
 * empty page with a new cursor is not the end; the same cursor answered with nothing is (no endless paging).
 */
export function nextPageCursor(
  tool: string,
  cursor: unknown,
  count: number,
  sent: string | undefined,
): string | undefined {
  return count === 0 && cursor === sent ? undefined : wrapCursor(tool, cursor);
}

/**
 * Reads a Connector query `{result: T[], cursor}` answered to our `cursor` (undefined for the first page): an
 * empty or null upstream cursor means the last page.
 */
export function readConnectorList(
  tool: string,
  body: unknown,
  cursor: string | undefined,
): { items: Obj[]; nextCursor?: string; warnings?: string[] } {
  const src = asRecord(body);
  const items = (Array.isArray(src.result) ? src.result : []).filter(isRecord);
  const nextCursor = nextPageCursor(tool, src.cursor, items.length, upstreamCursor(tool, cursor));
  const out = nextCursor ? { items, nextCursor } : { items };
  return withWarnings(out, body);
}

// ── Management objects ───────────────────────────────────────────────────────

const text = z.string().nullable().optional();

/** An account (api-notes §1a `Account`). */
export const accountSchema = z.object({
  id: z.string(),
  name: text,
  fullname: text,
  organization_id: text,
  environment: text.describe('test or prod'),
  labels: z.array(z.string()).nullable().optional(),
  created_at: text,
  updated_at: text,
});

/** An integration, without its provider_config (which may hold credentials). */
export const integrationSchema = z.object({
  id: z.string(),
  name: text,
  fullname: text,
  account_id: text,
  category: text.describe('Connector category, e.g. siem, ticketing, identity, storage, notifications'),
  provider_type: text.describe('e.g. ticketing_jira'),
  provider_fullname: text,
  integration_point_id: text,
  refresh_token_id: text,
  created_at: text,
  updated_at: text,
});

/** An integration point. */
export const integrationPointSchema = z.object({
  id: z.string(),
  name: text,
  fullname: text,
  description: text,
  connector: text.describe('Connector category id, e.g. siem'),
  environments: z
    .object({ test: z.array(z.string()).optional(), prod: z.array(z.string()).optional() })
    .nullable()
    .optional(),
  created_at: text,
  updated_at: text,
});

/** A refresh token's metadata; its secrets (`primary`, `secondary`) are never shown. */
export const tokenInfoSchema = z.object({
  id: z.string(),
  name: text,
  fullname: text,
  owner_id: text,
  owner_type: text.describe('organization or integration'),
  token_type: text.describe('adhoc, logon or default'),
  token_ttl: text,
  expires: text,
  member_id: text,
  created_at: text,
  updated_at: text,
});

/** Shapes an upstream integration. */
export function toIntegration(raw: unknown): z.input<typeof integrationSchema> {
  return withId(integrationSchema, raw);
}

// ── Connector objects ────────────────────────────────────────────────────────

/** An OCSF event or object as the connector returns it. */
export const ocsfRecord = z.record(z.string(), z.unknown());

/** A ticket (api-notes §1b `Ticket`). */
export const ticketSchema = z.object({
  id: z.string(),
  name: text,
  summary: text,
  description: text,
  status: text,
  priority: text,
  project: text,
  issue_type: text,
  creator: text,
  assignee: text,
  contact: text,
  tags: z.array(z.string()).nullable().optional(),
  due_date: text,
  completion_date: text,
  custom_fields: z.record(z.string(), z.unknown()).nullable().optional(),
  created_at: text,
  updated_at: text,
});

/** Ticket priorities (api-notes §1b). */
export const priorityEnum = z.enum(['URGENT', 'CRITICAL', 'HIGH', 'MEDIUM', 'MODERATE', 'LOW', 'PLANNING']);

/** A storage path: `{path*}` in the path template, each segment encoded, `.`/`..` refused. */
export const storagePathArg = z.string().min(1).max(1024).describe('e.g. "reports/a.txt".');
