import { z } from 'zod';
import { decodeCursor, encodeCursor } from '../../src/cursor.js';
import { InputError } from '../../src/errors.js';
import { defineTool } from '../../src/tool.js';
import {
  type IncidentSummary,
  incidentSummary,
  pageSizeOf,
  pagingArgs,
  readPage,
  toIncidentSummary,
} from './schemas.js';
import { type IncidentWindow, inWindow, windowOf } from './window.js';

const TOOL = 'list_incidents';
type Status = 'open' | 'recovering' | 'closed';

/** Most upstream pages one call reads while the time window filters every item of a page out. */
const MAX_PAGES_PER_CALL = 10;

/**
 * The upstream queries that together return the asked statuses: SyncGuard takes one `status` per request
 * (none = the active ones, Open + Recovering), so several statuses take several queries, read one after the
 * other.
 */
function queriesFor(statuses: ReadonlySet<Status>): (Status | undefined)[] {
  const active = statuses.has('open') && statuses.has('recovering');
  const out: (Status | undefined)[] = active
    ? [undefined]
    : (['open', 'recovering'] as const).filter((s) => statuses.has(s));
  if (statuses.has('closed')) out.push('closed');
  return out;
}

/**
 * True unless the incident's own fields contradict what was asked. An incident's status is documented
 * (Open, Recovering, Closed; api-notes §3), but the `status` query values other than `closed`, and whether
 * each filter is honoured at all, are not, so an incident a filter should have excluded is left out here
 * rather than shown as matching it. `statuses` undefined: all were asked, so any status fits (even one not
 * documented).
 */
function fitsAsked(
  incident: IncidentSummary,
  statuses: ReadonlySet<Status> | undefined,
  args: { integrationKey?: string | undefined; chronic?: boolean | undefined },
): boolean {
  const status = typeof incident.status === 'string' ? incident.status.toLowerCase() : undefined;
  if (statuses !== undefined && status !== undefined && !statuses.has(status as Status)) return false;
  const key = incident.integrationKey;
  if (args.integrationKey !== undefined && typeof key === 'string' && key !== args.integrationKey)
    return false;
  return !(args.chronic === true && incident.isChronic === false);
}

const output = z.object({
  items: z.array(incidentSummary),
  nextCursor: z
    .string()
    .optional()
    .describe('Pass as `cursor` to get the next page; absent on the last page.'),
  note: z.string().optional(),
});

export default defineTool({
  name: TOOL,
  title: 'SyncGuard · List incidents',
  description:
    'List SyncGuard incidents, ids for get_incident, list_events and resolve_incident; default status open + recovering. since/until keep incidents opened or reopened then (filtered by syn-mcp; see note).',
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  services: ['syncguard'],
  input: z.strictObject({
    status: z
      .array(z.enum(['open', 'recovering', 'closed', 'all']))
      .min(1)
      .optional()
      .describe('One or more, or ["all"].'),
    integrationKey: z.string().min(1).optional().describe('Only this integration.'),
    chronic: z.boolean().optional().describe('Only chronic incidents (reopened 3+ times).'),
    since: z.string().min(1).optional().describe('RFC 3339 or an age ("1h").'),
    until: z.string().min(1).optional().describe('RFC 3339 or an age.'),
    ...pagingArgs,
  }),
  output,
  async handler(args, ctx) {
    const all = args.status?.includes('all') === true;
    const asked = new Set<Status>(
      all ? ['open', 'recovering', 'closed'] : ((args.status ?? ['open', 'recovering']) as Status[]),
    );
    const queries = queriesFor(asked);
    const state = args.cursor ? decodeCursor(TOOL, args.cursor) : {};
    const window: IncidentWindow | undefined =
      args.since !== undefined || args.until !== undefined
        ? windowOf(args, typeof state.now === 'number' ? state.now : Date.now())
        : undefined;
    let q = typeof state.q === 'number' ? state.q : 0;
    let page = typeof state.page === 'number' ? state.page : undefined;
    const pageSize = pageSizeOf(args, state);
    if (q >= queries.length) {
      throw new InputError('Pass the same status as in the call that returned this cursor.', [
        { path: 'cursor', message: 'from a call with other statuses' },
      ]);
    }
    const items: z.input<typeof incidentSummary>[] = [];
    let unasked = 0;
    let nextCursor: string | undefined;
    for (let read = 0; read < MAX_PAGES_PER_CALL; read++) {
      const data = await ctx.api.syncguard.get('/incidents', {
        query: {
          status: queries[q],
          integrationKey: args.integrationKey,
          chronic: args.chronic === true ? 'true' : undefined,
          page,
          pageSize,
        },
      });
      const got = readPage(TOOL, data, { page, pageSize });
      const summaries = got.items.map(toIncidentSummary);
      const fitting = summaries.filter((i) => fitsAsked(i, all ? undefined : asked, args));
      unasked += summaries.length - fitting.length;
      items.push(...(window ? fitting.filter((i) => inWindow(i, window)) : fitting));
      const keep = { pageSize, ...(window ? { now: window.now } : {}) };
      if (got.nextCursor) {
        const next = decodeCursor(TOOL, got.nextCursor);
        page = typeof next.page === 'number' ? next.page : undefined;
      } else if (q + 1 < queries.length) {
        q += 1;
        page = undefined;
      } else {
        nextCursor = undefined;
        break;
      }
      nextCursor = encodeCursor(TOOL, { ...keep, q, ...(page !== undefined ? { page } : {}) });
      // Stop at a page boundary once something was found; a status query that has ended goes straight on to
      // the next status, and a page the window (or fitsAsked) emptied reads on, within this call.
      if (got.nextCursor && items.length > 0) break;
    }
    const out: z.input<typeof output> = { items };
    if (nextCursor) out.nextCursor = nextCursor;
    const notes: string[] = [];
    if (unasked > 0) {
      notes.push(
        `SyncGuard returned ${unasked} incident(s) whose status, integrationKey or chronic flag is not what was asked (it did not apply that filter); syn-mcp left them out.`,
      );
    }
    if (window) {
      notes.push(
        `SyncGuard cannot filter incidents by time: syn-mcp kept those opened or reopened ${window.text}, from the pages it read${nextCursor ? '; more may follow on the next pages (nextCursor)' : ''}.`,
      );
    }
    if (notes.length > 0) out.note = notes.join(' ');
    return out;
  },
});
