/**
 * Synqly `filter` / `order` arguments (api-notes §1: `field[op]value`, repeatable, ANDed; `field[asc|desc]`):
 * the fields each tool accepts and the operators, published in the argument descriptions and checked before
 * anything is sent, so a filter on a field the records do not have is an error naming the valid fields, not an
 * empty list. Time windows (`since` / `until`, absolute or "1h" ago) become `time[gte]` / `time[lte]` filters.
 */
import { z } from 'zod';
import { InputError } from '../../src/errors.js';
import { instantOf } from '../../src/instant.js';

/** Filter operators. */
export const FILTER_OPS = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'like', 'in'] as const;

/** The fields each Synqly list tool filters and orders on. */
export const FILTER_FIELDS = {
  list_accounts: ['id', 'name', 'fullname', 'environment', 'labels', 'created_at', 'updated_at'],
  list_integrations: [
    'id',
    'name',
    'fullname',
    'account_id',
    'category',
    'provider_type',
    'provider_fullname',
    'integration_point_id',
    'created_at',
    'updated_at',
  ],
  list_integration_points: ['id', 'name', 'fullname', 'connector', 'created_at', 'updated_at'],
  list_tokens: [
    'id',
    'name',
    'fullname',
    'owner_id',
    'owner_type',
    'token_type',
    'expires',
    'created_at',
    'updated_at',
  ],
  query_tickets: [
    'id',
    'name',
    'summary',
    'status',
    'priority',
    'project',
    'issue_type',
    'creator',
    'assignee',
    'contact',
    'tags',
    'due_date',
    'created_at',
    'updated_at',
  ],
  list_identity_users: ['uid', 'name', 'full_name', 'email_addr', 'status', 'type'],
  query_siem_events: [
    'time',
    'class_name',
    'class_uid',
    'activity_name',
    'activity_id',
    'severity',
    'status',
    'user.name',
    'user.uid',
    'src_endpoint.ip',
    'metadata.uid',
    'metadata.product.name',
  ],
  query_identity_audit_log: [
    'time',
    'class_name',
    'activity_name',
    'user.name',
    'metadata.uid',
    'metadata.product.name',
  ],
} as const satisfies Record<string, readonly string[]>;

/** A Synqly list tool that takes filters. */
export type FilterTool = keyof typeof FILTER_FIELDS;

const FILTER = /^([A-Za-z0-9_.]+)\[([a-z]+)\](.*)$/;
const ORDER = /^([A-Za-z0-9_.]+)(?:\[(asc|desc)\])?$/;

/** The `filter` and `order` arguments of a tool, describing its fields and the operators. */
export function filterArgs(tool: FilterTool) {
  const fields = FILTER_FIELDS[tool].join(', ');
  return {
    filter: z
      .array(z.string().min(1))
      .optional()
      .describe(`field[op]value, ANDed; op: eq ne gt gte lt lte like in. Fields: ${fields}.`),
    order: z.array(z.string().min(1)).optional().describe('field[asc|desc].'),
  };
}

/** Refuses, before anything is sent, a filter or order that is malformed or names a field the tool lacks. */
export function checkFilters(
  tool: FilterTool,
  args: { filter?: readonly string[] | undefined; order?: readonly string[] | undefined },
): void {
  const fields: readonly string[] = FILTER_FIELDS[tool];
  const valid = `Valid fields for ${tool}: ${fields.join(', ')}.`;
  for (const expr of args.filter ?? []) {
    const m = FILTER.exec(expr);
    if (!m) {
      throw new InputError(`Write filters as field[op]value, e.g. "${fields[0]}[eq]x". ${valid}`, [
        { path: 'filter', message: `"${expr}" is not a filter expression` },
      ]);
    }
    const [, field = '', op = ''] = m;
    if (!(FILTER_OPS as readonly string[]).includes(op)) {
      throw new InputError(`Operators: ${FILTER_OPS.join(', ')}.`, [
        { path: 'filter', message: `unknown operator "${op}" in "${expr}"` },
      ]);
    }
    if (!fields.includes(field)) {
      throw new InputError(valid, [{ path: 'filter', message: `${tool} cannot filter on "${field}"` }]);
    }
  }
  for (const expr of args.order ?? []) {
    const field = ORDER.exec(expr)?.[1];
    if (field === undefined || !fields.includes(field)) {
      throw new InputError(`Order by field, field[asc] or field[desc]. ${valid}`, [
        { path: 'order', message: `cannot order by "${expr}"` },
      ]);
    }
  }
}

/** `since` / `until` arguments of tools whose records carry an OCSF `time`. */
export const timeWindowArgs = {
  since: z.string().min(1).optional().describe('RFC 3339 or an age ("7d").'),
  until: z.string().min(1).optional().describe('RFC 3339 or an age.'),
};

/** The tool's filters plus those of its time window; undefined when there are none. */
export function withTimeWindow(
  args: { filter?: readonly string[] | undefined; since?: string | undefined; until?: string | undefined },
  now: number = Date.now(),
): string[] | undefined {
  const all = [...(args.filter ?? []), ...timeFilters(args, now)];
  return all.length > 0 ? all : undefined;
}

/** The `time[gte]` / `time[lte]` filters of a time window (absolute times in UTC). */
export function timeFilters(
  args: { since?: string | undefined; until?: string | undefined },
  now: number = Date.now(),
): string[] {
  const out: string[] = [];
  if (args.since !== undefined)
    out.push(`time[gte]${new Date(instantOf('since', args.since, now)).toISOString()}`);
  if (args.until !== undefined)
    out.push(`time[lte]${new Date(instantOf('until', args.until, now)).toISOString()}`);
  return out;
}
