import { z } from 'zod';
import { CancelledError } from '../../src/errors.js';
import { defineTool, type ToolContext } from '../../src/tool.js';
import { checkFilters, timeWindowArgs, withTimeWindow } from './filters.js';
import { type AnsweringIntegration, answeredBy, answeringIntegration } from './read-target.js';
import {
  asRecord,
  connectorPaging,
  connectorTarget,
  isRecord,
  nextPageCursor,
  ocsfRecord,
  upstreamCursor,
  warningsField,
  withWarnings,
  wrapCursor,
} from './schemas.js';

const TOOL = 'query_siem_events';

/** How the tool waits for a `PENDING` query. */
export interface SiemPolling {
  /** Pause between two polls (ms). */
  intervalMs: number;
  /** Time kept free before the call's deadline for the last request (ms, at most). */
  reserveMs?: number;
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new CancelledError());
    const onAbort = () => {
      clearTimeout(timer);
      reject(new CancelledError());
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Builds the tool with a given poll interval (tests use a short one). */
export function querySiemEventsTool(polling: SiemPolling) {
  return defineTool({
    name: TOOL,
    title: 'Synqly · Query SIEM events',
    description:
      'Query OCSF security events in the Synqly-connected SIEM (Splunk, Sentinel, …). A PENDING query is polled in the call; if time runs out it stays PENDING and nextCursor continues it.',
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    services: ['synqly'],
    listTool: ['list_accounts', 'list_integrations'],
    input: z.strictObject({
      ...connectorTarget,
      ...connectorPaging('query_siem_events'),
      ...timeWindowArgs,
      include_raw_data: z.boolean().optional().describe('Include raw_data.'),
    }),
    output: z.object({
      status: z
        .string()
        .nullable()
        .describe(
          "COMPLETE, PENDING when the query is still running, null when Synqly's answer said neither",
        ),
      items: z.array(ocsfRecord),
      nextCursor: z
        .string()
        .optional()
        .describe('Pass as `cursor`: the next page, or the same query while it is PENDING.'),
      polls: z.number().describe('How many times syn-mcp asked again while the query was PENDING'),
      note: z.string().optional(),
      integration: answeringIntegration,
      warnings: warningsField,
    }),
    async handler(args, ctx) {
      const { accountId, integrationId, cursor, include_raw_data, limit, order } = args;
      checkFilters(TOOL, args);
      const filter = withTimeWindow(args);
      // The upstream cursor of the last request: its answer, empty with the same cursor, is the last page.
      let sent: string | undefined;
      const ask = (upstream: string | undefined) => {
        sent = upstream;
        return ctx.api.synqly.connector(
          { accountId, integrationId },
          {
            method: 'GET',
            path: '/v1/siem/events',
            query: { cursor: upstream, limit, filter, order, include_raw_data },
          },
        );
      };
      let body = asRecord((await ask(upstreamCursor(TOOL, cursor))).data);
      // Named before polling: the look-up's time is then not taken from the reserve kept for the last poll.
      const integration = await answeredBy(ctx, { accountId, integrationId });
      let polls = 0;
      const started = Date.now();
      const reserve = Math.min(polling.reserveMs ?? 2_000, Math.max(0, ctx.deadline - started) / 4);
      while (body.status === 'PENDING' && canPoll(ctx, polling.intervalMs, reserve)) {
        const next = typeof body.cursor === 'string' && body.cursor !== '' ? body.cursor : undefined;
        if (next === undefined) break;
        polls += 1;
        await ctx.progress({ message: `SIEM query still running; asking again (${polls})` });
        await pause(polling.intervalMs, ctx.signal);
        body = asRecord((await ask(next)).data);
      }
      // No status is not COMPLETE: only Synqly can say the query finished (api-notes: PENDING | COMPLETE).
      const status = typeof body.status === 'string' && body.status !== '' ? body.status : null;
      const items = (Array.isArray(body.result) ? body.result : []).filter(isRecord);
      const nextCursor =
        status === 'PENDING'
          ? wrapCursor(TOOL, body.cursor)
          : nextPageCursor(TOOL, body.cursor, items.length, sent);
      const out: {
        status: string | null;
        items: Record<string, unknown>[];
        polls: number;
        nextCursor?: string;
        note?: string;
        integration: AnsweringIntegration;
      } = { status, items, polls, integration };
      if (nextCursor) out.nextCursor = nextCursor;
      if (status === 'PENDING') {
        out.note = nextCursor
          ? 'The SIEM is still running this query. Call query_siem_events again with cursor=nextCursor ' +
            '(and the same filters) to get its results.'
          : 'The SIEM reported the query as PENDING without a cursor to continue it; run the query again later.';
      } else if (status === null) {
        out.note =
          "Synqly's answer did not say whether the query finished (no status): these results may be partial. " +
          'Running the same query again later may return more.';
      }
      return withWarnings(out, body);
    },
  });
}

function canPoll(ctx: ToolContext, intervalMs: number, reserveMs: number): boolean {
  return !ctx.signal.aborted && Date.now() + intervalMs + reserveMs < ctx.deadline;
}

/** Production poll interval: 2 s between polls. */
export default querySiemEventsTool({ intervalMs: 2_000 });
